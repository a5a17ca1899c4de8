/**
 * "Enter VR" / "Enter AR" buttons in the top bar, created here so the page's
 * HTML stays XR-free. Each stays hidden unless the browser says the session mode
 * is supported (a headset browser, or an emulator in tests). Needs a secure
 * context: over plain http on the LAN, `navigator.xr` does not exist at all.
 */
import type { Subscriptions } from "./Subscriptions.ts";

export type XrMode = "vr" | "ar";

export interface XrButtons {
  set(mode: XrMode | null): void;
  /** While XR's code downloads after the first click: the button says so and cannot be pressed twice. */
  loading(mode: XrMode, on: boolean): void;
  remove(): void;
}

const SESSION: Record<XrMode, XRSessionMode> = { vr: "immersive-vr", ar: "immersive-ar" };
const LABEL: Record<XrMode, string> = { vr: "VR", ar: "AR" };

export function createXrButtons(
  subs: Subscriptions,
  onClick: (mode: XrMode) => void,
  onSupported: (mode: XrMode) => void,
): XrButtons {
  const bar = document.getElementById("topbar");
  // First among the actions: on a headset's narrow browser window, entering the headset is the one that must show.
  const before = document.getElementById("btn-point");
  const made = new Map<XrMode, HTMLButtonElement>();
  for (const mode of ["vr", "ar"] as const) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = `btn-xr-${mode}`;
    b.textContent = `Enter ${LABEL[mode]}`;
    b.title =
      mode === "vr"
        ? "Walk into the plant with a headset (1:1, or tabletop)"
        : "Put the plant on a real table (passthrough)";
    b.hidden = true;
    subs.listen(b, "click", () => onClick(mode));
    if (bar) bar.insertBefore(b, before && before.parentElement === bar ? before : null);
    made.set(mode, b);
  }
  const xr = navigator.xr;
  if (xr) {
    for (const [mode, b] of made) {
      xr.isSessionSupported(SESSION[mode]).then(
        (ok) => {
          b.hidden = !ok;
          if (ok) onSupported(mode);
        },
        () => (b.hidden = true),
      );
    }
  }
  return {
    set(active) {
      for (const [mode, b] of made) {
        b.textContent = active === mode ? `Exit ${LABEL[mode]}` : `Enter ${LABEL[mode]}`;
        b.setAttribute("aria-pressed", String(active === mode));
        b.disabled = active !== null && active !== mode;
      }
    },
    loading(mode, on) {
      const b = made.get(mode);
      if (!b) return;
      b.disabled = on;
      b.setAttribute("aria-busy", String(on));
      b.textContent = on ? `Loading ${LABEL[mode]}…` : `Enter ${LABEL[mode]}`;
    },
    remove() {
      for (const b of made.values()) b.remove();
    },
  };
}
