/**
 * Run something once the page has painted what it just got and has a moment to spare: two animation frames
 * (the labels take the room's first state on the next frame), then an idle period (or `timeoutMs`). Code
 * that is not needed for the first live value is fetched here, so it never competes with showing it.
 */
export function afterPaint(run: () => void, timeoutMs = 2000): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if ("requestIdleCallback" in window) requestIdleCallback(run, { timeout: timeoutMs });
      else setTimeout(run, 0);
    }),
  );
}
