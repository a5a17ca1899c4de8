/**
 * Geometry of one camera on the headset's floating video panel (XrCameraPanel.ts), kept Babylon-free so the
 * browser test aims at it with the same numbers: metres on the panel, and where a frame point or the caption's
 * button sits in the meshes' own frames (the picture plane is 1 unit high, scaled to the picture's height).
 */

/** Panel width (m) and caption height (m). */
export const VIDEO_PANEL_W = 0.4;
export const CAPTION_H = 0.05;
/** The caption's button ("Freeze" / "Back to live"): from this share of the caption's width to its right end. */
export const BUTTON_FROM = 0.66;

type V3 = [number, number, number];

/** Frame point (x, y in 0..1, y down) in the picture plane's own frame (mesh `_xrVideo-<seat>`). */
export function pictureLocal(x: number, y: number): V3 {
  return [(x - 0.5) * VIDEO_PANEL_W, 0.5 - y, 0];
}

/** The middle of the caption's button in the caption plane's own frame (mesh `_xrVideoCaption-<seat>`). */
export function buttonLocal(): V3 {
  return [((1 + BUTTON_FROM) / 2 - 0.5) * VIDEO_PANEL_W, 0, 0];
}
