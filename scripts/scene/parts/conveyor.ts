/** A conveyor, in pieces the scene repeats and scales: bed, legs, drive, ends. */
import type { Part } from "../materials.ts";
import { appendGeometry, at, box, boxFromTo, emptyGeometry, tube } from "../primitives.ts";
import { tubeZ } from "./machineShapes.ts";

/** Conveyor bed for a 1 m length along local x (scaled by the conveyor length). */
export function conveyorBedParts(): Part[] {
  const belt = boxFromTo(-0.5, 0.86, -0.15, 0.5, 0.9, 0.15);
  const steel = emptyGeometry();
  appendGeometry(steel, boxFromTo(-0.5, 0.76, -0.185, 0.5, 0.91, -0.16)); // side frames
  appendGeometry(steel, boxFromTo(-0.5, 0.76, 0.16, 0.5, 0.91, 0.185));
  for (const y of [0.98, 1.05]) {
    appendGeometry(steel, boxFromTo(-0.5, y - 0.01, -0.1, 0.5, y + 0.01, -0.085)); // bottle guides
    appendGeometry(steel, boxFromTo(-0.5, y - 0.01, 0.085, 0.5, y + 0.01, 0.1));
  }
  return [
    ["belt", belt],
    ["steel", steel],
  ];
}

export function conveyorLegParts(): Part[] {
  const steel = emptyGeometry();
  for (const z of [-0.16, 0.16]) appendGeometry(steel, at(box(0.05, 0.76, 0.05), 0, 0.38, z));
  appendGeometry(steel, at(box(0.04, 0.04, 0.32), 0, 0.25, 0));
  appendGeometry(steel, at(box(0.04, 0.04, 0.32), 0, 0.74, 0));
  // Guide rail brackets.
  for (const z of [-0.13, 0.13]) appendGeometry(steel, at(box(0.02, 0.16, 0.02), 0, 0.98, z));
  appendGeometry(steel, at(box(0.02, 0.02, 0.3), 0, 1.06, 0));
  const dark = emptyGeometry();
  for (const z of [-0.16, 0.16]) appendGeometry(dark, at(tube(0.05, 0.03, 12), 0, 0.015, z));
  return [
    ["steel", steel],
    ["dark", dark],
  ];
}

export function conveyorDriveParts(): Part[] {
  const dark = at(box(0.18, 0.2, 0.14), 0, 0.83, 0.26);
  const blue = emptyGeometry();
  appendGeometry(blue, at(tubeZ(0.085, 0.3, 16), 0, 0.83, 0.48));
  appendGeometry(blue, at(tubeZ(0.075, 0.05, 16), 0, 0.83, 0.655));
  return [
    ["dark", dark],
    ["blue", blue],
  ];
}

export function conveyorEndParts(): Part[] {
  return [["steel", at(tubeZ(0.045, 0.37, 16), 0, 0.865, 0)]];
}
