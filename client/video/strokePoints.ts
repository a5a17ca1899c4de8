/**
 * A stroke as it is drawn, on the desktop tile (pointer) or the headset's floating panel (controller ray): x, y
 * pairs in 0..1 of the frame, what the room's `stroke` message carries (shared/protocol/video.ts).
 */
import { MAX_STROKE_POINTS } from "../../shared/protocol.ts";

/** One stroke on a camera as the room relayed it, with who drew it (their colour). */
export interface Ink {
  points: readonly number[];
  color: string;
}

/** Add a point to a stroke unless it repeats the last one, up to the room's limit (MAX_STROKE_POINTS pairs). */
export function addPoint(pts: number[], x: number, y: number): void {
  if (pts.length >= MAX_STROKE_POINTS * 2) return;
  if (pts.length >= 2 && pts[pts.length - 2] === x && pts[pts.length - 1] === y) return;
  pts.push(x, y);
}

/** The room refuses a stroke of fewer than two points (a tap is not a drawing). */
export function isStroke(pts: readonly number[]): boolean {
  return pts.length >= 4;
}
