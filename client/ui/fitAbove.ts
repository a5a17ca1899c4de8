/**
 * Keeps a tall panel that hangs from the top bar (the inspector) clear of the panels docked below it (notes, the
 * timeline): its height ends above the highest of them that shares its columns, and its own content scrolls. An
 * inspector on a pump in alarm (alarm rows, forecast, points, what-ifs) reached the bottom of the window and lay
 * over the notes panel and the timeline, which then took the clicks meant for its lower buttons (a what-if's
 * "Remove"), or hid theirs.
 */
import { LayoutWatch } from "./LayoutWatch.ts";

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Space (px) between the panel and the one below it. */
const GAP = 8;
/** Below this the panel would be a slit: it keeps this much and the window is too small for both (rare). */
const MIN_HEIGHT = 160;

/**
 * The most height `panel` (its current box) may take without reaching any of `others` below its top in its
 * columns, given the window's `viewHeight` and `margin` at the bottom. Pure.
 */
export function roomAbove(panel: Rect, others: readonly Rect[], viewHeight: number, margin: number): number {
  let floor = viewHeight - margin;
  for (const o of others) {
    const sharesColumns = o.left < panel.right && o.right > panel.left;
    if (sharesColumns && o.top > panel.top) floor = Math.min(floor, o.top - GAP);
  }
  return Math.max(MIN_HEIGHT, Math.floor(floor - panel.top));
}

/** Panels docked at the bottom of the window that a panel hanging from the top must stay clear of. */
const BELOW = "#notes, #timeline, #alarms";

export class FitAbove {
  private readonly watch: LayoutWatch;

  constructor(
    private readonly panel: HTMLElement,
    private readonly margin = 12,
  ) {
    // The panel itself too: opening (hidden → shown) is a size change, and only then is its box known.
    this.watch = new LayoutWatch([panel, ...document.querySelectorAll(BELOW)], () => this.fit());
    this.watch.schedule();
  }

  fit(): void {
    const { panel } = this;
    if (panel.hidden) return;
    const others: Rect[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(BELOW)) {
      if (el === panel || el.hidden) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) others.push(r);
    }
    const max = `${roomAbove(panel.getBoundingClientRect(), others, window.innerHeight, this.margin)}px`;
    // Only a changed limit is written: the write resizes the panel, which the observer reports again.
    if (panel.style.maxHeight !== max) panel.style.maxHeight = max;
  }

  dispose(): void {
    this.watch.dispose();
  }
}
