/** Labeler: base cabinet, bottle carousel, two label stations with reels. */
import type { Part } from "../materials.ts";
import { appendGeometry, at, boxFromTo, emptyGeometry, tube } from "../primitives.ts";
import { guardFrame } from "./machineShapes.ts";

export function labelerParts(): Part[] {
  const white = emptyGeometry();
  appendGeometry(white, boxFromTo(-1.0, 0, -0.7, 1.0, 0.95, 0.7));
  const steel = emptyGeometry();
  appendGeometry(steel, at(tube(0.6, 0.08, 32), 0, 0.99, -0.05));
  for (let i = 0; i < 12; i++) {
    const a = (i / 12) * Math.PI * 2;
    appendGeometry(steel, at(tube(0.06, 0.03, 10), Math.cos(a) * 0.5, 1.045, -0.05 + Math.sin(a) * 0.5));
  }
  appendGeometry(steel, at(tube(0.08, 0.75, 12), 0, 1.4, -0.05));
  appendGeometry(steel, at(tube(0.5, 0.06, 32), 0, 1.78, -0.05));
  const blue = emptyGeometry();
  const reels = emptyGeometry();
  const dark = guardFrame(1.1, 0.85, 2.0);
  for (const x of [-0.5, 0.5]) {
    appendGeometry(blue, boxFromTo(x - 0.25, 0.95, 0.35, x + 0.25, 1.55, 0.8));
    appendGeometry(reels, at(tube(0.27, 0.06, 28), x, 1.6, 0.58));
    appendGeometry(dark, at(tube(0.07, 0.1, 12), x, 1.62, 0.58));
  }
  appendGeometry(white, reels);
  return [
    ["white", white],
    ["steel", steel],
    ["blue", blue],
    ["dark", dark],
  ];
}
