/** Shapes several machines share: tubes lying along x or z, a machine guard. Local frame: origin on the floor, +y up. */
import {
  appendGeometry,
  at,
  box,
  emptyGeometry,
  type Geometry,
  rotationX,
  rotationZ,
  transformGeometry,
  tube,
} from "../primitives.ts";

export const tubeX = (r: number, len: number, seg = 16, caps = true): Geometry =>
  transformGeometry(tube(r, len, seg, caps), rotationZ(Math.PI / 2));
export const tubeZ = (r: number, len: number, seg = 16, caps = true): Geometry =>
  transformGeometry(tube(r, len, seg, caps), rotationX(Math.PI / 2));

/** Four posts + top frame, e.g. a machine guard. */
export function guardFrame(hx: number, hz: number, height: number, post = 0.06): Geometry {
  const g = emptyGeometry();
  for (const [sx, sz] of [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ] as const) {
    appendGeometry(g, at(box(post, height, post), sx * hx, height / 2, sz * hz));
  }
  for (const y of [height - post / 2, 0.95]) {
    appendGeometry(g, at(box(2 * hx + post, post, post), 0, y, -hz));
    appendGeometry(g, at(box(2 * hx + post, post, post), 0, y, hz));
    appendGeometry(g, at(box(post, post, 2 * hz), -hx, y, 0));
    appendGeometry(g, at(box(post, post, 2 * hz), hx, y, 0));
  }
  return g;
}
