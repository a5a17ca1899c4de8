/** Capper: base cabinet, capping turret, cap hopper and chute. */
import type { Part } from "../materials.ts";
import { appendGeometry, at, boxFromTo, cylinder, emptyGeometry, tube, tubeBetween } from "../primitives.ts";
import { guardFrame } from "./machineShapes.ts";

export function capperParts(): Part[] {
  const white = boxFromTo(-0.8, 0, -0.6, 0.8, 0.9, 0.6);
  const steel = emptyGeometry();
  appendGeometry(steel, at(tube(0.48, 0.1, 32), 0, 0.95, 0.1));
  for (let i = 0; i < 8; i++) {
    const a = (i / 8) * Math.PI * 2;
    appendGeometry(steel, at(tube(0.05, 0.42, 10), Math.cos(a) * 0.38, 1.21, 0.1 + Math.sin(a) * 0.38));
  }
  appendGeometry(steel, at(tube(0.5, 0.08, 32), 0, 1.46, 0.1));
  appendGeometry(steel, at(tube(0.09, 0.7, 12), 0, 1.85, 0.1));
  appendGeometry(
    steel,
    at(cylinder({ radiusTop: 0.5, radiusBottom: 0.14, height: 0.6, segments: 24 }), 0.2, 2.45, -0.75),
  ); // hopper
  appendGeometry(steel, tubeBetween([0.2, 2.15, -0.75], [0.1, 1.5, -0.2], 0.05, 10));
  const dark = guardFrame(0.95, 0.95, 2.1);
  appendGeometry(dark, at(tube(0.05, 2.15, 8), 0.2, 1.075, -0.75)); // hopper stand
  const blue = at(tube(0.13, 0.3, 20), 0, 2.3, 0.1); // turret drive
  return [
    ["white", white],
    ["steel", steel],
    ["dark", dark],
    ["blue", blue],
  ];
}
