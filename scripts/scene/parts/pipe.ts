/** Pipe pieces, unit sized and scaled by their nodes: segment, elbow, flange, support stand. */
import type { MatKey, Part } from "../materials.ts";
import { appendGeometry, at, box, emptyGeometry, sphere, tube } from "../primitives.ts";

export const PIPE_RADIUS = 0.08;

/** Unit-length pipe along +y from y = 0 to 1 (scaled in y by the segment length). */
export const pipeSegmentParts = (mat: MatKey) => (): Part[] => [[mat, at(tube(PIPE_RADIUS, 1, 16, false), 0, 0.5, 0)]];
export const pipeElbowParts = (mat: MatKey) => (): Part[] => [[mat, sphere(PIPE_RADIUS * 1.12, 16, 8)]];
/** Flange along +y at the origin (rotated like the segment it ends). */
export const pipeFlangeParts = (): Part[] => [["steel", tube(PIPE_RADIUS + 0.05, 0.04, 16)]];
/** Pipe support stand, unit height (scaled in y to the pipe's underside). */
export const pipeSupportParts = (): Part[] => [
  [
    "dark",
    (() => {
      const g = emptyGeometry();
      appendGeometry(g, at(tube(0.03, 1, 8), 0, 0.5, 0));
      appendGeometry(g, at(box(0.22, 0.02, 0.22), 0, 0.01, 0));
      appendGeometry(g, at(box(0.24, 0.03, 0.06), 0, 0.985, 0));
      return g;
    })(),
  ],
];
