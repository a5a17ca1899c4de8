/** A storage or process tank: cone bottom, cylindrical shell, dished head; legs and a ladder. */
import type { Part } from "../materials.ts";
import { appendGeometry, at, box, cylinder, dome, emptyGeometry, sphere, torus, tube } from "../primitives.ts";

/** Reference tank (10 000 L): radius 1.2 m, 3.85 m tall; scaled per capacity. */
export const TANK = { capacity: 10000, radius: 1.2, coneTip: 0.8, coneTop: 1.3, shellTop: 3.5, domeH: 0.35 };

export function tankParts(): Part[] {
  const { radius: R, coneTip, coneTop, shellTop, domeH } = TANK;
  const steel = emptyGeometry();
  appendGeometry(
    steel,
    at(
      cylinder({
        radiusTop: R,
        radiusBottom: 0.1,
        height: coneTop - coneTip,
        segments: 32,
        capTop: false,
        capBottom: true,
      }),
      0,
      (coneTip + coneTop) / 2,
      0,
    ),
  );
  appendGeometry(steel, at(tube(R, shellTop - coneTop, 32, false), 0, (coneTop + shellTop) / 2, 0));
  appendGeometry(steel, at(dome(R, domeH, 32, 6), 0, shellTop, 0));
  for (const y of [coneTop, shellTop, (coneTop + shellTop) / 2])
    appendGeometry(steel, at(torus(R + 0.005, 0.022, 32, 6), 0, y, 0));
  appendGeometry(steel, at(tube(0.24, 0.16, 20), 0, shellTop + domeH + 0.06, 0)); // manway
  appendGeometry(steel, at(tube(0.05, 0.5, 10), R * 0.55, shellTop + domeH * 0.8 + 0.2, 0)); // vent
  appendGeometry(steel, at(sphere(0.12, 12, 6), -R * 0.5, shellTop + domeH * 0.9, 0)); // spray ball housing
  const legs = emptyGeometry();
  const feet = emptyGeometry();
  for (let i = 0; i < 4; i++) {
    const a = Math.PI / 4 + (i * Math.PI) / 2;
    const x = Math.cos(a) * (R + 0.02);
    const z = Math.sin(a) * (R + 0.02);
    appendGeometry(legs, at(tube(0.055, coneTop + 0.35, 12), x, (coneTop + 0.35) / 2, z));
    appendGeometry(feet, at(box(0.22, 0.03, 0.22), x, 0.015, z));
  }
  appendGeometry(steel, legs);
  // Level gauge: a slim vertical tube beside the shell.
  appendGeometry(steel, at(tube(0.025, shellTop - coneTop - 0.3, 8), 0, (coneTop + shellTop) / 2, R + 0.09));
  return [
    ["steel", steel],
    ["dark", feet],
  ];
}
