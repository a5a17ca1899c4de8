/**
 * Builds the plant's 3D scene (GLB) from its instance file, so geometry and
 * twin ids cannot drift apart.
 *
 * Node contract: every twin gets exactly one top-level node (a child of the
 * scene root) named exactly the twin id, placed at its layout position and
 * rotation, with `extras: { twin, type }`; its meshes hang below it in child
 * nodes named "<id>.<part>". Everything that is not a twin (floor, area zones,
 * safety lines, walkways, columns, interconnecting pipes) lives under the
 * top-level node "_environment".
 *
 * Draw calls: one glTF mesh per (type, part), one primitive per material,
 * referenced by every asset of that type (Babylon's loader instances repeated
 * mesh references). Sizes vary through child-node scale only.
 */
import { GlbWriter, type GlbStats, type MaterialDef } from "./glb.ts";
import {
  appendGeometry,
  at,
  box,
  boxFromTo,
  compose,
  cylinder,
  dome,
  emptyGeometry,
  quatFromY,
  rotationX,
  rotationZ,
  sphere,
  torus,
  transformGeometry,
  translation,
  tube,
  tubeBetween,
  type Geometry,
} from "./primitives.ts";
import { resolveLayout, typeName, type PlantInstanceJson, type TwinJson, type Vec3 } from "./plantJson.ts";

export type { PlantInstanceJson } from "./plantJson.ts";

// ---------------------------------------------------------------------------
// Materials (created lazily, in first-use order, so unused ones are not written).

const MATERIALS = {
  concrete: { name: "concrete", baseColor: [0.5, 0.5, 0.48, 1], metallic: 0, roughness: 0.95 },
  zone0: { name: "zone.blue", baseColor: [0.4, 0.46, 0.53, 1], metallic: 0, roughness: 0.9 },
  zone1: { name: "zone.beige", baseColor: [0.56, 0.53, 0.47, 1], metallic: 0, roughness: 0.9 },
  zone2: { name: "zone.sand", baseColor: [0.6, 0.5, 0.34, 1], metallic: 0, roughness: 0.9 },
  zone3: { name: "zone.mauve", baseColor: [0.5, 0.42, 0.5, 1], metallic: 0, roughness: 0.9 },
  safety: { name: "safety.yellow", baseColor: [0.95, 0.72, 0.05, 1], metallic: 0, roughness: 0.55 },
  walkway: { name: "walkway.green", baseColor: [0.2, 0.42, 0.28, 1], metallic: 0, roughness: 0.85 },
  steel: { name: "stainless", baseColor: [0.82, 0.84, 0.87, 1], metallic: 0.4, roughness: 0.35 },
  dark: { name: "steel.dark", baseColor: [0.16, 0.17, 0.19, 1], metallic: 0.3, roughness: 0.6 },
  blue: { name: "paint.blue", baseColor: [0.06, 0.25, 0.62, 1], metallic: 0.15, roughness: 0.45 },
  red: { name: "paint.red", baseColor: [0.72, 0.07, 0.05, 1], metallic: 0.1, roughness: 0.45 },
  belt: { name: "belt", baseColor: [0.04, 0.04, 0.045, 1], metallic: 0, roughness: 0.85 },
  white: { name: "machine.white", baseColor: [0.86, 0.87, 0.86, 1], metallic: 0.05, roughness: 0.45 },
  green: { name: "paint.green", baseColor: [0.14, 0.48, 0.32, 1], metallic: 0.1, roughness: 0.5 },
  orange: { name: "paint.orange", baseColor: [0.9, 0.4, 0.07, 1], metallic: 0.1, roughness: 0.5 },
  wood: { name: "wood", baseColor: [0.62, 0.46, 0.27, 1], metallic: 0, roughness: 0.9 },
  grey: { name: "paint.grey", baseColor: [0.5, 0.52, 0.55, 1], metallic: 0.1, roughness: 0.5 },
} satisfies Record<string, MaterialDef>;

type MatKey = keyof typeof MATERIALS;
type Part = [MatKey, Geometry];

const MAT_ORDER = Object.keys(MATERIALS) as MatKey[];
const ZONE_MATS: MatKey[] = ["zone0", "zone1", "zone2", "zone3"];

// ---------------------------------------------------------------------------
// Geometry helpers.

const tubeX = (r: number, len: number, seg = 16, caps = true): Geometry =>
  transformGeometry(tube(r, len, seg, caps), rotationZ(Math.PI / 2));
const tubeZ = (r: number, len: number, seg = 16, caps = true): Geometry =>
  transformGeometry(tube(r, len, seg, caps), rotationX(Math.PI / 2));

/** Four posts + top frame, e.g. a machine guard. */
function guardFrame(hx: number, hz: number, height: number, post = 0.06): Geometry {
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

// ---------------------------------------------------------------------------
// Equipment geometry, local frame: origin on the floor at the asset centre, +y up.

/** Reference tank (10 000 L): radius 1.2 m, 3.85 m tall; scaled per capacity. */
const TANK = { capacity: 10000, radius: 1.2, coneTip: 0.8, coneTop: 1.3, shellTop: 3.5, domeH: 0.35 };

function tankParts(): Part[] {
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

/** End-suction pump with the casing on the origin, flow along local z at 0.6 m, motor along -x. */
function pumpParts(): Part[] {
  const shaftY = 0.5;
  const blue = emptyGeometry();
  appendGeometry(blue, at(tubeX(0.17, 0.5, 24), -0.5, shaftY, 0)); // motor
  appendGeometry(blue, at(tubeX(0.15, 0.1, 24), -0.8, shaftY, 0)); // fan cowl
  appendGeometry(blue, at(box(0.16, 0.12, 0.16), -0.5, shaftY + 0.22, 0)); // terminal box
  appendGeometry(blue, at(box(0.4, 0.08, 0.3), -0.5, 0.12, 0)); // motor foot
  appendGeometry(blue, at(box(0.12, 0.25, 0.04), -0.5, 0.25, 0.1));
  appendGeometry(blue, at(box(0.12, 0.25, 0.04), -0.5, 0.25, -0.1));
  const steel = emptyGeometry();
  appendGeometry(steel, at(tubeX(0.25, 0.16, 28), 0, shaftY, 0)); // volute
  appendGeometry(steel, at(tubeX(0.18, 0.1, 24), -0.12, shaftY, 0)); // back plate
  appendGeometry(steel, at(tubeZ(0.08, 0.9, 16), 0, 0.6, 0)); // suction/discharge
  appendGeometry(steel, at(tubeZ(0.13, 0.035, 20), 0, 0.6, 0.43));
  appendGeometry(steel, at(tubeZ(0.13, 0.035, 20), 0, 0.6, -0.43));
  const yellow = at(box(0.14, 0.22, 0.2), -0.2, shaftY, 0); // coupling guard
  const dark = emptyGeometry();
  appendGeometry(dark, at(box(1.15, 0.08, 0.5), -0.3, 0.04, 0)); // base plate
  appendGeometry(dark, at(box(0.18, 0.2, 0.3), 0, 0.18, 0)); // casing pedestal
  return [
    ["blue", blue],
    ["steel", steel],
    ["safety", yellow],
    ["dark", dark],
  ];
}

/** Valve with the body at 0.6 m, flow along local x, actuator on top. */
function valveParts(): Part[] {
  const red = emptyGeometry();
  appendGeometry(red, at(sphere(0.13, 16, 8), 0, 0.6, 0));
  appendGeometry(red, at(tubeX(0.085, 0.44, 16), 0, 0.6, 0));
  const steel = emptyGeometry();
  appendGeometry(steel, at(tubeX(0.13, 0.035, 20), 0.22, 0.6, 0));
  appendGeometry(steel, at(tubeX(0.13, 0.035, 20), -0.22, 0.6, 0));
  appendGeometry(steel, at(tube(0.03, 0.2, 10), 0, 0.8, 0)); // stem
  appendGeometry(steel, at(box(0.1, 0.06, 0.1), 0, 0.72, 0)); // yoke
  const yellow = emptyGeometry();
  appendGeometry(yellow, at(tube(0.17, 0.16, 24), 0, 0.97, 0)); // actuator
  appendGeometry(yellow, at(tube(0.12, 0.05, 20), 0, 1.075, 0));
  const dark = emptyGeometry();
  appendGeometry(dark, at(tube(0.03, 0.47, 8), 0, 0.235, 0)); // stand
  appendGeometry(dark, at(box(0.18, 0.02, 0.18), 0, 0.01, 0));
  appendGeometry(dark, at(tube(0.04, 0.03, 12), 0, 1.115, 0)); // position indicator
  return [
    ["red", red],
    ["steel", steel],
    ["safety", yellow],
    ["dark", dark],
  ];
}

/** Plate heat exchanger, product flow along local z (nozzles at ±1.2 m, 0.6 m high). */
function heatExchangerParts(): Part[] {
  const blue = emptyGeometry();
  appendGeometry(blue, boxFromTo(-0.38, 0.05, 0.72, 0.38, 1.95, 0.86)); // fixed frame plate
  appendGeometry(blue, boxFromTo(-0.36, 0.12, -0.3, 0.36, 1.88, -0.18)); // pressure plate
  appendGeometry(blue, boxFromTo(-0.12, 0.05, -0.95, 0.12, 1.95, -0.85)); // support column
  const steel = emptyGeometry();
  const plates = 18;
  const z0 = -0.16;
  const z1 = 0.7;
  const pitch = (z1 - z0) / plates;
  for (let i = 0; i < plates; i++) {
    const z = z0 + pitch * (i + 0.5);
    appendGeometry(steel, at(box(0.62, 1.5, pitch * 0.7), 0, 1.0, z));
  }
  appendGeometry(steel, boxFromTo(-0.05, 1.86, -0.9, 0.05, 1.95, 0.8)); // top guide bar
  appendGeometry(steel, boxFromTo(-0.05, 0.14, -0.9, 0.05, 0.22, 0.8)); // bottom guide bar
  for (const [x, y] of [
    [0.22, 0.28],
    [0.22, 1.7],
    [-0.22, 0.28],
    [-0.22, 1.7],
  ] as const) {
    appendGeometry(steel, at(tubeZ(0.022, 1.3, 8), x, y, 0.2)); // tie bolts
  }
  appendGeometry(steel, at(tubeZ(0.075, 0.36, 16), 0, 0.6, 1.03)); // product in/out
  appendGeometry(steel, at(tubeZ(0.075, 0.9, 16), 0, 0.6, -0.75));
  appendGeometry(steel, at(tubeZ(0.06, 0.3, 16), 0.2, 1.6, 1.0)); // medium nozzles
  appendGeometry(steel, at(tubeZ(0.06, 0.3, 16), -0.2, 1.6, 1.0));
  const dark = emptyGeometry();
  appendGeometry(dark, boxFromTo(-0.45, 0, 0.65, 0.45, 0.05, 0.95));
  appendGeometry(dark, boxFromTo(-0.25, 0, -1.0, 0.25, 0.05, -0.8));
  return [
    ["blue", blue],
    ["steel", steel],
    ["dark", dark],
  ];
}

/** Rotary filler: octagonal base, carousel with filling valves, product bowl, guard frame. */
function fillerParts(): Part[] {
  const white = at(cylinder({ radiusTop: 1.35, radiusBottom: 1.35, height: 0.85, segments: 8 }), 0, 0.425, 0);
  const steel = emptyGeometry();
  appendGeometry(steel, at(tube(1.15, 0.08, 40), 0, 0.89, 0)); // carousel table
  appendGeometry(steel, at(tube(0.18, 1.5, 16), 0, 1.65, 0)); // centre column
  appendGeometry(steel, at(torus(1.0, 0.035, 40, 6), 0, 1.42, 0));
  appendGeometry(steel, at(tube(0.7, 0.35, 32), 0, 2.4, 0)); // product bowl
  appendGeometry(steel, at(dome(0.7, 0.16, 32, 4), 0, 2.575, 0));
  const valves = 20;
  for (let i = 0; i < valves; i++) {
    const a = (i / valves) * Math.PI * 2;
    const c = Math.cos(a);
    const s = Math.sin(a);
    appendGeometry(steel, at(tube(0.05, 0.4, 8), c * 1.0, 1.13, s * 1.0));
    appendGeometry(steel, tubeBetween([c * 0.68, 2.25, s * 0.68], [c * 1.0, 1.33, s * 1.0], 0.015, 6, false));
  }
  appendGeometry(steel, at(tube(0.36, 0.05, 20), 1.35, 0.9, -1.0)); // infeed star wheel
  const dark = guardFrame(1.6, 1.6, 2.4);
  appendGeometry(dark, at(tube(0.04, 1.2, 8), 1.85, 0.6, 1.2)); // HMI stand
  const blue = at(box(0.08, 0.4, 0.5), 1.85, 1.35, 1.2);
  return [
    ["white", white],
    ["steel", steel],
    ["dark", dark],
    ["blue", blue],
  ];
}

/** Capper: base cabinet, capping turret, cap hopper and chute. */
function capperParts(): Part[] {
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

/** Labeler: base cabinet, bottle carousel, two label stations with reels. */
function labelerParts(): Part[] {
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

/** Conveyor bed for a 1 m length along local x (scaled by the conveyor length). */
function conveyorBedParts(): Part[] {
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

function conveyorLegParts(): Part[] {
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

function conveyorDriveParts(): Part[] {
  const dark = at(box(0.18, 0.2, 0.14), 0, 0.83, 0.26);
  const blue = emptyGeometry();
  appendGeometry(blue, at(tubeZ(0.085, 0.3, 16), 0, 0.83, 0.48));
  appendGeometry(blue, at(tubeZ(0.075, 0.05, 16), 0, 0.83, 0.655));
  return [
    ["dark", dark],
    ["blue", blue],
  ];
}

function conveyorEndParts(): Part[] {
  return [["steel", at(tubeZ(0.045, 0.37, 16), 0, 0.865, 0)]];
}

/** Palletizer: yellow gantry frame, gripper, roller base, pallet with a stack of cases. */
function palletizerParts(): Part[] {
  const yellow = emptyGeometry();
  const h = 3.0;
  for (const [sx, sz] of [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ] as const) {
    appendGeometry(yellow, at(box(0.16, h, 0.16), sx * 1.4, h / 2, sz * 1.4));
  }
  appendGeometry(yellow, at(box(2.96, 0.16, 0.16), 0, h - 0.08, -1.4));
  appendGeometry(yellow, at(box(2.96, 0.16, 0.16), 0, h - 0.08, 1.4));
  appendGeometry(yellow, at(box(0.16, 0.16, 2.64), -1.4, h - 0.08, 0));
  appendGeometry(yellow, at(box(0.16, 0.16, 2.64), 1.4, h - 0.08, 0));
  const dark = emptyGeometry();
  appendGeometry(dark, at(box(0.22, 0.2, 2.64), 0.2, h - 0.18, 0)); // gantry beam
  appendGeometry(dark, at(box(0.4, 0.3, 0.4), 0.2, h - 0.4, 0.1)); // carriage
  appendGeometry(dark, at(box(0.14, 1.1, 0.14), 0.2, h - 1.05, 0.1)); // mast
  appendGeometry(dark, at(box(0.9, 0.12, 0.7), 0.2, h - 1.66, 0.1)); // gripper head
  appendGeometry(dark, boxFromTo(-0.8, 0, -0.7, 0.8, 0.22, 0.7)); // roller base
  const wood = emptyGeometry();
  const deckY = 0.22;
  for (const x of [-0.54, 0, 0.54]) {
    for (const z of [-0.44, 0, 0.44]) appendGeometry(wood, at(box(0.12, 0.09, 0.12), x, deckY + 0.045, z));
  }
  appendGeometry(wood, at(box(1.2, 0.03, 1.0), 0, deckY + 0.105, 0));
  const caseW = 0.38;
  const caseH = 0.28;
  const caseD = 0.46;
  for (let layer = 0; layer < 2; layer++) {
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        const x = -0.4 + i * 0.4;
        const z = -0.24 + j * 0.48;
        appendGeometry(wood, at(box(caseW, caseH, caseD), x, deckY + 0.12 + caseH / 2 + layer * (caseH + 0.01), z));
      }
    }
  }
  return [
    ["safety", yellow],
    ["dark", dark],
    ["wood", wood],
  ];
}

/** Screw compressor cabinet with an air receiver beside it. */
function compressorParts(): Part[] {
  const orange = boxFromTo(-0.9, 0.1, -0.55, 0.9, 1.7, 0.55);
  const dark = emptyGeometry();
  appendGeometry(dark, boxFromTo(-0.95, 0, -0.6, 0.95, 0.1, 0.6));
  for (let i = 0; i < 6; i++) appendGeometry(dark, boxFromTo(-0.7, 0.45 + i * 0.12, 0.55, 0.2, 0.5 + i * 0.12, 0.57)); // louvres
  appendGeometry(dark, boxFromTo(0.4, 1.0, 0.55, 0.75, 1.45, 0.58)); // control panel
  const steel = emptyGeometry();
  const rx = 1.75;
  appendGeometry(steel, at(tube(0.4, 1.3, 28, false), rx, 1.05, 0));
  appendGeometry(steel, at(dome(0.4, 0.2, 28, 4), rx, 1.7, 0));
  appendGeometry(steel, transformGeometry(dome(0.4, 0.2, 28, 4), compose(rotationX(Math.PI), translation(rx, 0.4, 0))));
  for (let i = 0; i < 3; i++) {
    const a = (i / 3) * Math.PI * 2;
    appendGeometry(steel, at(tube(0.04, 0.4, 8), rx + Math.cos(a) * 0.3, 0.2, Math.sin(a) * 0.3));
  }
  appendGeometry(steel, tubeBetween([0.6, 1.7, 0], [0.6, 2.1, 0], 0.05, 10));
  appendGeometry(steel, tubeBetween([0.6, 2.1, 0], [rx, 2.1, 0], 0.05, 10));
  appendGeometry(steel, tubeBetween([rx, 2.1, 0], [rx, 1.85, 0], 0.05, 10));
  return [
    ["orange", orange],
    ["dark", dark],
    ["steel", steel],
  ];
}

/** Air-cooled chiller: long cabinet with two fans on top and water nozzles at +x. */
function chillerParts(): Part[] {
  const green = boxFromTo(-1.5, 0.1, -0.65, 1.5, 1.7, 0.65);
  const dark = emptyGeometry();
  appendGeometry(dark, boxFromTo(-1.55, 0, -0.7, 1.55, 0.1, 0.7));
  const steel = emptyGeometry();
  for (const x of [-0.75, 0.75]) {
    appendGeometry(dark, at(tube(0.55, 0.25, 32), x, 1.82, 0));
    appendGeometry(steel, at(torus(0.5, 0.02, 32, 4), x, 1.95, 0));
    appendGeometry(steel, at(box(1.0, 0.02, 0.04), x, 1.95, 0));
    appendGeometry(steel, at(box(0.04, 0.02, 1.0), x, 1.95, 0));
  }
  for (let i = 0; i < 8; i++) appendGeometry(dark, boxFromTo(-1.3 + i * 0.33, 0.3, 0.65, -1.1 + i * 0.33, 1.4, 0.67)); // coil grilles
  for (const z of [-0.3, 0.3]) {
    appendGeometry(steel, at(tubeX(0.07, 0.3, 16), 1.65, 1.3, z));
    appendGeometry(steel, at(tubeX(0.12, 0.03, 16), 1.8, 1.3, z));
  }
  return [
    ["green", green],
    ["dark", dark],
    ["steel", steel],
  ];
}

function genericParts(): Part[] {
  return [
    ["grey", boxFromTo(-0.5, 0.1, -0.5, 0.5, 1.3, 0.5)],
    ["dark", boxFromTo(-0.55, 0, -0.55, 0.55, 0.1, 0.55)],
  ];
}

const PIPE_RADIUS = 0.08;

/** Unit-length pipe along +y from y = 0 to 1 (scaled in y by the segment length). */
const pipeSegmentParts = (mat: MatKey) => (): Part[] => [[mat, at(tube(PIPE_RADIUS, 1, 16, false), 0, 0.5, 0)]];
const pipeElbowParts = (mat: MatKey) => (): Part[] => [[mat, sphere(PIPE_RADIUS * 1.12, 16, 8)]];
/** Flange along +y at the origin (rotated like the segment it ends). */
const pipeFlangeParts = (): Part[] => [["steel", tube(PIPE_RADIUS + 0.05, 0.04, 16)]];
/** Pipe support stand, unit height (scaled in y to the pipe's underside). */
const pipeSupportParts = (): Part[] => [
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

// Environment meshes (unit sized, scaled by their nodes).
const unitSlab = (mat: MatKey, top: number, thickness: number) => (): Part[] => [
  [mat, at(box(1, thickness, 1), 0, top - thickness / 2, 0)],
];
const COLUMN_HEIGHT = 8;
function columnParts(): Part[] {
  const dark = emptyGeometry();
  // H-section column: two flanges and a web.
  appendGeometry(dark, at(box(0.36, COLUMN_HEIGHT, 0.03), 0, COLUMN_HEIGHT / 2, -0.17));
  appendGeometry(dark, at(box(0.36, COLUMN_HEIGHT, 0.03), 0, COLUMN_HEIGHT / 2, 0.17));
  appendGeometry(dark, at(box(0.03, COLUMN_HEIGHT, 0.32), 0, COLUMN_HEIGHT / 2, 0));
  appendGeometry(dark, at(box(0.6, 0.03, 0.6), 0, 0.015, 0));
  const yellow = at(box(0.5, 1.2, 0.5), 0, 0.6, 0);
  return [
    ["dark", dark],
    ["safety", yellow],
  ];
}

const MESH_PARTS: Record<string, () => Part[]> = {
  Tank: tankParts,
  Pump: pumpParts,
  Valve: valveParts,
  HeatExchanger: heatExchangerParts,
  Filler: fillerParts,
  Capper: capperParts,
  Labeler: labelerParts,
  Palletizer: palletizerParts,
  Compressor: compressorParts,
  Chiller: chillerParts,
  Generic: genericParts,
  "Conveyor.bed": conveyorBedParts,
  "Conveyor.leg": conveyorLegParts,
  "Conveyor.drive": conveyorDriveParts,
  "Conveyor.end": conveyorEndParts,
  "Pipe.segment": pipeSegmentParts("steel"),
  "Pipe.elbow": pipeElbowParts("steel"),
  "Pipe.flange": pipeFlangeParts,
  "Pipe.support": pipeSupportParts,
  "Utility.segment": pipeSegmentParts("green"),
  "Utility.elbow": pipeElbowParts("green"),
  "env.floor": unitSlab("concrete", 0, 0.2),
  "env.zone0": unitSlab("zone0", 0.01, 0.01),
  "env.zone1": unitSlab("zone1", 0.01, 0.01),
  "env.zone2": unitSlab("zone2", 0.01, 0.01),
  "env.zone3": unitSlab("zone3", 0.01, 0.01),
  "env.line": unitSlab("safety", 0.016, 0.014),
  "env.walkway": unitSlab("walkway", 0.01, 0.01),
  "env.column": columnParts,
  "env.beam": () => [["dark", box(1, 1, 1)]],
};

// ---------------------------------------------------------------------------
// Per-type placement knowledge: footprint (for routing decorative pipes) and ports.

/** Footprint radius in metres (for keeping decorative pipes clear of equipment). */
const FOOTPRINT: Record<string, number> = {
  Pump: 0.7,
  Valve: 0.3,
  HeatExchanger: 1.0,
  Filler: 1.7,
  Capper: 1.1,
  Labeler: 1.3,
  Palletizer: 1.6,
  Compressor: 1.4,
  Chiller: 1.7,
  Generic: 0.8,
};

/** Twin types with a dedicated look (others render as a generic cabinet). */
const TWIN_KINDS = new Set([
  "Tank",
  "Pump",
  "Valve",
  "HeatExchanger",
  "Pipe",
  "Filler",
  "Capper",
  "Labeler",
  "Conveyor",
  "Palletizer",
  "Compressor",
  "Chiller",
]);
/** Twin types that exchange product through pipes (drawn interconnects only between these). */
const PROCESS_TYPES = new Set(["Tank", "Pump", "Valve", "HeatExchanger"]);
/** Utility connection points (local frame) for heats/cools lines. */
const UTILITY_PORT: Record<string, Vec3> = {
  HeatExchanger: [0.2, 1.6, 1.15],
  Chiller: [1.8, 1.3, 0.3],
  Compressor: [0, 1.7, 0],
  Valve: [0, 0.6, 0],
  Pump: [0, 0.6, 0],
};
const PIPE_Y = 0.6;
const RACK_Y = 3.4;

interface PlacedTwin {
  twin: TwinJson;
  kind: string;
  position: Vec3;
  rotation: number;
  /** Tank vessel scale [radial, height] (1 for others). */
  tankScale: [number, number];
  radius: number;
}

export interface PlantSceneResult {
  glb: Uint8Array;
  stats: GlbStats & { bytes: number; twins: number };
}

/** Builds the GLB for a plant instance (see the module comment for the node contract). */
export function buildPlantScene(plant: PlantInstanceJson): Uint8Array {
  return buildPlantSceneWithStats(plant).glb;
}

export function buildPlantSceneWithStats(plant: PlantInstanceJson): PlantSceneResult {
  const w = new GlbWriter();
  const matIndex = new Map<MatKey, number>();
  const meshIndex = new Map<string, number>();
  const material = (k: MatKey): number => {
    let i = matIndex.get(k);
    if (i === undefined) {
      i = w.addMaterial(MATERIALS[k]);
      matIndex.set(k, i);
    }
    return i;
  };
  const mesh = (key: string): number => {
    let i = meshIndex.get(key);
    if (i !== undefined) return i;
    const build = MESH_PARTS[key];
    if (!build) throw new Error(`No mesh definition for ${key}.`);
    const byMat = new Map<MatKey, Geometry>();
    for (const [m, g] of build()) {
      if (g.indices.length === 0) continue;
      const acc = byMat.get(m) ?? emptyGeometry();
      appendGeometry(acc, g);
      byMat.set(m, acc);
    }
    const prims = MAT_ORDER.filter((m) => byMat.has(m)).map((m) => ({ data: byMat.get(m)!, material: material(m) }));
    i = w.addMesh(`mesh:${key}`, prims);
    meshIndex.set(key, i);
    return i;
  };

  // Resolve layouts first (throws on an unknown layout before anything is written).
  const placed = new Map<string, PlacedTwin>();
  const twinNodesSpec: Array<{ twin: TwinJson; build: () => number }> = [];
  for (const twin of plant.twins) {
    const layout = resolveLayout(twin);
    const tn = typeName(twin.type);
    const kind = TWIN_KINDS.has(tn) ? tn : "Generic";
    if (layout.kind === "path") {
      twinNodesSpec.push({ twin, build: () => pipeTwinNode(twin, layout.path) });
      continue;
    }
    let tankScale: [number, number] = [1, 1];
    let radius = FOOTPRINT[kind] ?? 0.8;
    if (kind === "Tank") {
      const cap = Number(twin.properties?.capacity);
      const ratio = Number.isFinite(cap) && cap > 0 ? cap / TANK.capacity : 0.5;
      tankScale = [Math.pow(ratio, 0.4), Math.pow(ratio, 0.2)];
      radius = TANK.radius * tankScale[0] + 0.1;
    }
    const p: PlacedTwin = { twin, kind, position: layout.position, rotation: layout.rotation, tankScale, radius };
    if (kind !== "Conveyor" && kind !== "Pipe") placed.set(twin.id, p);
    twinNodesSpec.push({ twin, build: () => placedTwinNode(p, layout.length) });
  }

  function twinExtras(twin: TwinJson): Record<string, unknown> {
    return { twin: twin.id, type: twin.type };
  }

  function placedTwinNode(p: PlacedTwin, length: number | undefined): number {
    const { twin, kind } = p;
    const children: number[] = [];
    const id = twin.id;
    if (kind === "Conveyor") {
      const L = length ?? 3;
      children.push(w.addNode({ name: `${id}.bed`, mesh: mesh("Conveyor.bed"), scale: [L, 1, 1] }));
      const legs = Math.max(2, Math.ceil(L / 1.5) + 1);
      for (let i = 0; i < legs; i++) {
        const x = -L / 2 + 0.2 + (i * (L - 0.4)) / (legs - 1);
        children.push(w.addNode({ name: `${id}.leg${i}`, mesh: mesh("Conveyor.leg"), translation: [x, 0, 0] }));
      }
      children.push(w.addNode({ name: `${id}.end0`, mesh: mesh("Conveyor.end"), translation: [-L / 2, 0, 0] }));
      children.push(w.addNode({ name: `${id}.end1`, mesh: mesh("Conveyor.end"), translation: [L / 2, 0, 0] }));
      children.push(
        w.addNode({ name: `${id}.drive`, mesh: mesh("Conveyor.drive"), translation: [L / 2 - 0.35, 0, 0] }),
      );
    } else if (kind === "Pipe") {
      // A pipe placed by position only: a 1 m stub along local x.
      children.push(
        ...pipeRunNodes(
          id,
          [
            [-0.5, PIPE_Y, 0],
            [0.5, PIPE_Y, 0],
          ],
          [0, 0, 0],
          "Pipe",
          true,
        ),
      );
    } else if (kind === "Tank") {
      const [sr, sh] = p.tankScale;
      children.push(w.addNode({ name: `${id}.vessel`, mesh: mesh("Tank"), scale: [sr, sh, sr] }));
    } else {
      children.push(w.addNode({ name: `${id}.body`, mesh: mesh(kind) }));
    }
    return w.addNode({
      name: id,
      translation: p.position,
      rotation: yRotation(p.rotation),
      children,
      extras: twinExtras(twin),
    });
  }

  function pipeTwinNode(twin: TwinJson, path: Vec3[]): number {
    const origin = path[0]!;
    const children = pipeRunNodes(twin.id, path, origin, "Pipe", true);
    return w.addNode({ name: twin.id, translation: origin, children, extras: twinExtras(twin) });
  }

  /**
   * Child nodes drawing a pipe polyline (absolute points) relative to `origin`:
   * one scaled segment per leg, elbows at bends, flanges at the ends, stands below.
   */
  function pipeRunNodes(
    prefix: string,
    points: Vec3[],
    origin: Vec3,
    family: "Pipe" | "Utility",
    flanges: boolean,
  ): number[] {
    const nodes: number[] = [];
    const pts = points.filter((p, i) => i === 0 || dist(p, points[i - 1]!) > 1e-6);
    const rel = (p: Vec3): Vec3 => [p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]];
    const supports: Vec3[] = [];
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i]!;
      const b = pts[i + 1]!;
      const len = dist(a, b);
      const dir: Vec3 = [(b[0] - a[0]) / len, (b[1] - a[1]) / len, (b[2] - a[2]) / len];
      nodes.push(
        w.addNode({
          name: `${prefix}.seg${i}`,
          mesh: mesh(`${family}.segment`),
          translation: rel(a),
          rotation: quatFromY(dir),
          scale: [1, len, 1],
        }),
      );
      if (i > 0)
        nodes.push(w.addNode({ name: `${prefix}.bend${i}`, mesh: mesh(`${family}.elbow`), translation: rel(a) }));
      if (flanges && i === 0)
        nodes.push(
          w.addNode({
            name: `${prefix}.flange0`,
            mesh: mesh("Pipe.flange"),
            translation: rel(a),
            rotation: quatFromY(dir),
          }),
        );
      if (flanges && i + 2 === pts.length)
        nodes.push(
          w.addNode({
            name: `${prefix}.flange1`,
            mesh: mesh("Pipe.flange"),
            translation: rel(b),
            rotation: quatFromY(dir),
          }),
        );
      // Stands along horizontal legs, ~every 3 m (6 m on the overhead rack).
      if (Math.abs(dir[1]) < 1e-6 && a[1] > 0.3) {
        const spacing = a[1] > 2 ? 6 : 3;
        const n = Math.max(1, Math.round(len / spacing));
        for (let k = 0; k < n; k++) {
          const t = (k + 0.5) / n;
          supports.push([a[0] + (b[0] - a[0]) * t, a[1], a[2] + (b[2] - a[2]) * t]);
        }
      }
    }
    supports.filter(standIsClear).forEach((s, k) => {
      const h = s[1] - PIPE_RADIUS;
      nodes.push(
        w.addNode({
          name: `${prefix}.stand${k}`,
          mesh: mesh("Pipe.support"),
          translation: rel([s[0], 0, s[2]]),
          scale: [1, h, 1],
        }),
      );
    });
    return nodes;
  }

  // Pipe stands must not land on equipment or on another pipe's path.
  const pipePaths: Vec3[][] = [];
  for (const t of plant.twins) {
    const l = resolveLayout(t);
    if (l.kind === "path") pipePaths.push(l.path);
  }
  function standIsClear(s: Vec3): boolean {
    for (const p of placed.values()) {
      if (Math.hypot(s[0] - p.position[0], s[2] - p.position[2]) < p.radius + 0.2) return false;
    }
    for (const path of pipePaths) {
      for (let i = 0; i + 1 < path.length; i++) {
        const a = path[i]!;
        const b = path[i + 1]!;
        if (Math.abs(a[1] - s[1]) < 1e-6) continue; // the pipe's own level: stands along it are fine
        if (segmentDistance([a[0], a[2]], [b[0], b[2]], [s[0], s[2]]) < 0.3) return false;
      }
    }
    return true;
  }

  // ---- Twins (built first so meshes appear in type order; node order is irrelevant to readers).
  const twinRoots = twinNodesSpec.map((s) => s.build());

  // ---- Environment.
  const env: number[] = [];
  const bbox = plantBounds(plant);
  const margin = 5;
  const fx0 = bbox[0] - margin;
  const fz0 = bbox[1] - margin;
  const fx1 = bbox[2] + margin;
  const fz1 = bbox[3] + margin;
  env.push(
    w.addNode({
      name: "_floor",
      mesh: mesh("env.floor"),
      translation: [(fx0 + fx1) / 2, 0, (fz0 + fz1) / 2],
      scale: [fx1 - fx0, 1, fz1 - fz0],
    }),
  );

  const zoneOf = new Map<string, number>();
  const areaNodes: number[] = [];
  for (const area of plant.areas) {
    const base = area.id.replace(/-k\d+$/, "");
    if (!zoneOf.has(base)) zoneOf.set(base, zoneOf.size % ZONE_MATS.length);
    const zone = ZONE_MATS[zoneOf.get(base)!]!;
    const [x0, z0, x1, z1] = area.bounds;
    const cx = (x0 + x1) / 2;
    const cz = (z0 + z1) / 2;
    const wx = Math.abs(x1 - x0);
    const wz = Math.abs(z1 - z0);
    const lw = 0.1;
    const kids = [
      w.addNode({
        name: `_area.${area.id}.zone`,
        mesh: mesh(`env.${zone}`),
        translation: [0, 0, 0],
        scale: [wx, 1, wz],
      }),
      w.addNode({
        name: `_area.${area.id}.line0`,
        mesh: mesh("env.line"),
        translation: [0, 0, -wz / 2 + lw / 2 + 0.05],
        scale: [wx - 0.1, 1, lw],
      }),
      w.addNode({
        name: `_area.${area.id}.line1`,
        mesh: mesh("env.line"),
        translation: [0, 0, wz / 2 - lw / 2 - 0.05],
        scale: [wx - 0.1, 1, lw],
      }),
      w.addNode({
        name: `_area.${area.id}.line2`,
        mesh: mesh("env.line"),
        translation: [-wx / 2 + lw / 2 + 0.05, 0, 0],
        scale: [lw, 1, wz - 0.1 - 2 * lw],
      }),
      w.addNode({
        name: `_area.${area.id}.line3`,
        mesh: mesh("env.line"),
        translation: [wx / 2 - lw / 2 - 0.05, 0, 0],
        scale: [lw, 1, wz - 0.1 - 2 * lw],
      }),
    ];
    areaNodes.push(
      w.addNode({
        name: `_area.${area.id}`,
        translation: [cx, 0, cz],
        children: kids,
        extras: { area: area.id, name: area.name },
      }),
    );
  }
  if (areaNodes.length > 0) env.push(w.addNode({ name: "_areas", children: areaNodes }));

  // Walkways: a ring around the plant plus aisles in narrow gaps between neighbouring areas.
  const walk: number[] = [];
  const slab = (name: string, x0: number, z0: number, x1: number, z1: number): void => {
    if (x1 - x0 <= 0.05 || z1 - z0 <= 0.05) return;
    walk.push(
      w.addNode({
        name,
        mesh: mesh("env.walkway"),
        translation: [(x0 + x1) / 2, 0, (z0 + z1) / 2],
        scale: [x1 - x0, 1, z1 - z0],
      }),
    );
  };
  const r0 = 1;
  const r1 = 3;
  slab("_walkway.north", bbox[0] - r1, bbox[3] + r0, bbox[2] + r1, bbox[3] + r1);
  slab("_walkway.south", bbox[0] - r1, bbox[1] - r1, bbox[2] + r1, bbox[1] - r0);
  slab("_walkway.west", bbox[0] - r1, bbox[1] - r0, bbox[0] - r0, bbox[3] + r0);
  slab("_walkway.east", bbox[2] + r0, bbox[1] - r0, bbox[2] + r1, bbox[3] + r0);
  let aisle = 0;
  for (let i = 0; i < plant.areas.length; i++) {
    for (let j = 0; j < plant.areas.length; j++) {
      if (i === j) continue;
      const a = plant.areas[i]!.bounds;
      const b = plant.areas[j]!.bounds;
      // b east of a, overlapping in z.
      const gx = b[0] - a[2];
      const oz0 = Math.max(a[1], b[1]);
      const oz1 = Math.min(a[3], b[3]);
      if (gx >= 0.8 && gx <= 4 && oz1 - oz0 > 1) slab(`_walkway.aisle${aisle++}`, a[2], oz0, b[0], oz1);
      // b north of a, overlapping in x.
      const gz = b[1] - a[3];
      const ox0 = Math.max(a[0], b[0]);
      const ox1 = Math.min(a[2], b[2]);
      if (gz >= 0.8 && gz <= 4 && ox1 - ox0 > 1) slab(`_walkway.aisle${aisle++}`, ox0, a[3], ox1, b[1]);
    }
  }
  if (walk.length > 0) env.push(w.addNode({ name: "_walkways", children: walk }));

  // Building columns along the floor edge, tied by eave beams.
  const structure: number[] = [];
  const inset = 0.5;
  const cx0 = fx0 + inset;
  const cx1 = fx1 - inset;
  const cz0 = fz0 + inset;
  const cz1 = fz1 - inset;
  const nx = Math.max(1, Math.round((cx1 - cx0) / 12));
  const nz = Math.max(1, Math.round((cz1 - cz0) / 12));
  let col = 0;
  const column = (x: number, z: number): void => {
    structure.push(w.addNode({ name: `_column${col++}`, mesh: mesh("env.column"), translation: [x, 0, z] }));
  };
  for (let i = 0; i <= nx; i++) {
    const x = cx0 + ((cx1 - cx0) * i) / nx;
    column(x, cz0);
    column(x, cz1);
  }
  for (let j = 1; j < nz; j++) {
    const z = cz0 + ((cz1 - cz0) * j) / nz;
    column(cx0, z);
    column(cx1, z);
  }
  const beamY = COLUMN_HEIGHT - 0.2;
  const beam = (name: string, x0: number, z0: number, x1: number, z1: number): void => {
    structure.push(
      w.addNode({
        name,
        mesh: mesh("env.beam"),
        translation: [(x0 + x1) / 2, beamY, (z0 + z1) / 2],
        scale: [Math.max(0.3, x1 - x0 + 0.3), 0.4, Math.max(0.3, z1 - z0 + 0.3)],
      }),
    );
  };
  beam("_beam.south", cx0, cz0, cx1, cz0);
  beam("_beam.north", cx0, cz1, cx1, cz1);
  beam("_beam.west", cx0, cz0, cx0, cz1);
  beam("_beam.east", cx1, cz0, cx1, cz1);
  env.push(w.addNode({ name: "_structure", children: structure }));

  // Decorative interconnecting pipes for feeds between process equipment without a Pipe twin,
  // and overhead utility lines for heats/cools.
  const lines: number[] = [];
  for (const rel of plant.relationships ?? []) {
    const a = placed.get(rel.source);
    const b = placed.get(rel.target);
    if (!a || !b) continue;
    if (rel.name === "feeds" && PROCESS_TYPES.has(a.kind) && PROCESS_TYPES.has(b.kind)) {
      const path = routeFeed(a, b, [...placed.values()]);
      if (path)
        lines.push(
          w.addNode({
            name: `_pipe.${a.twin.id}>${b.twin.id}`,
            children: pipeRunNodes(`_pipe.${a.twin.id}>${b.twin.id}`, path, [0, 0, 0], "Pipe", false),
          }),
        );
    } else if (rel.name === "heats" || rel.name === "cools") {
      const path = routeUtility(a, b);
      if (path)
        lines.push(
          w.addNode({
            name: `_utility.${a.twin.id}>${b.twin.id}`,
            children: pipeRunNodes(`_utility.${a.twin.id}>${b.twin.id}`, path, [0, 0, 0], "Utility", false),
          }),
        );
    }
  }
  if (lines.length > 0) env.push(w.addNode({ name: "_interconnect", children: lines }));

  const envRoot = w.addNode({ name: "_environment", children: env });
  w.setScene([envRoot, ...twinRoots], { plant: plant.id });
  const glb = w.toGlb();
  return { glb, stats: { ...w.stats(), bytes: glb.length, twins: twinRoots.length } };
}

// ---------------------------------------------------------------------------
// Routing of decorative pipes.

function dist(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

function yRotation(deg: number): [number, number, number, number] {
  const h = (deg * Math.PI) / 360;
  return [0, Math.sin(h), 0, Math.cos(h)];
}

/** Local → world for a placed twin (rotation about +y, then translation). */
function toWorld(p: PlacedTwin, local: Vec3): Vec3 {
  const r = (p.rotation * Math.PI) / 180;
  const c = Math.cos(r);
  const s = Math.sin(r);
  return [
    p.position[0] + local[0] * c + local[2] * s,
    p.position[1] + local[1],
    p.position[2] - local[0] * s + local[2] * c,
  ];
}

/** Distance in the xz plane from point p to segment ab. */
function segmentDistance(a: [number, number], b: [number, number], p: [number, number]): number {
  const dx = b[0] - a[0];
  const dz = b[1] - a[1];
  const l2 = dx * dx + dz * dz;
  const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dz) / l2));
  return Math.hypot(a[0] + dx * t - p[0], a[1] + dz * t - p[1]);
}

/** Number of footprints (other than the end points') that a horizontal segment crosses. */
function hits(a: [number, number], b: [number, number], obstacles: PlacedTwin[], skip: PlacedTwin[]): number {
  let n = 0;
  for (const o of obstacles) {
    if (skip.includes(o)) continue;
    if (segmentDistance(a, b, [o.position[0], o.position[2]]) < o.radius + PIPE_RADIUS) n++;
  }
  return n;
}

/** Chooses between the two L-shaped routes a → b (x first or z first), fewest crossings wins. */
function lRoute(
  a: [number, number],
  b: [number, number],
  obstacles: PlacedTwin[],
  skip: PlacedTwin[],
): Array<[number, number]> {
  if (Math.abs(a[0] - b[0]) < 1e-6 || Math.abs(a[1] - b[1]) < 1e-6) return [a, b];
  const viaX: [number, number] = [b[0], a[1]];
  const viaZ: [number, number] = [a[0], b[1]];
  const hx = hits(a, viaX, obstacles, skip) + hits(viaX, b, obstacles, skip);
  const hz = hits(a, viaZ, obstacles, skip) + hits(viaZ, b, obstacles, skip);
  return hz < hx ? [a, viaZ, b] : [a, viaX, b];
}

/** Product line from a's outlet to b's inlet at pipe height; tanks drain from the cone and fill from the top. */
function routeFeed(a: PlacedTwin, b: PlacedTwin, all: PlacedTwin[]): Vec3[] | undefined {
  const skip = [a, b];
  const out: Vec3[] = [];
  const ax = a.position[0];
  const az = a.position[2];
  if (a.kind === "Tank") {
    const tipY = TANK.coneTip * a.tankScale[1];
    out.push([ax, tipY, az]);
    if (Math.abs(tipY - PIPE_Y) > 0.05) out.push([ax, PIPE_Y, az]);
  } else {
    out.push([ax, PIPE_Y, az]);
  }
  const bx = b.position[0];
  const bz = b.position[2];
  if (b.kind === "Tank") {
    // Run to a riser beside the shell, climb over the head and drop into the top.
    const R = TANK.radius * b.tankScale[0] + 0.25;
    const sh = b.tankScale[1];
    const topY = (TANK.shellTop + TANK.domeH) * sh + 0.3;
    const alignedX = Math.abs(az - bz) < 1e-6;
    const alignedZ = Math.abs(ax - bx) < 1e-6;
    const riserX: [number, number] = alignedX ? [bx - Math.sign(bx - ax) * R, bz] : [bx, bz - Math.sign(bz - az) * R];
    const riserZ: [number, number] = alignedZ ? [bx, bz - Math.sign(bz - az) * R] : [bx - Math.sign(bx - ax) * R, bz];
    const routeX = lRoute([ax, az], riserX, all, skip);
    const routeZ = lRoute([ax, az], riserZ, all, skip);
    const cost = (r: Array<[number, number]>): number =>
      r.reduce((n, p, i) => (i === 0 ? 0 : n + hits(r[i - 1]!, p, all, skip)), 0);
    const route = cost(routeZ) < cost(routeX) ? routeZ : routeX;
    for (const p of route.slice(1)) out.push([p[0], PIPE_Y, p[1]]);
    const riser = route[route.length - 1]!;
    out.push([riser[0], topY, riser[1]]);
    const ix = bx + (riser[0] - bx) * 0.3;
    const iz = bz + (riser[1] - bz) * 0.3;
    out.push([ix, topY, iz]);
    out.push([ix, TANK.shellTop * sh + TANK.domeH * sh * 0.8, iz]);
    return out;
  }
  const route = lRoute([ax, az], [bx, bz], all, skip);
  for (const p of route.slice(1)) out.push([p[0], PIPE_Y, p[1]]);
  return out;
}

/** Heating/cooling medium line: up from a's utility port, over (overhead rack if long), down into b's port. */
function routeUtility(a: PlacedTwin, b: PlacedTwin): Vec3[] | undefined {
  const pa = toWorld(a, UTILITY_PORT[a.kind] ?? [0, 1.2, 0]);
  const pb = toWorld(b, UTILITY_PORT[b.kind] ?? [0, 1.2, 0]);
  const span = Math.abs(pa[0] - pb[0]) + Math.abs(pa[2] - pb[2]);
  const y = span > 6 ? RACK_Y : Math.max(pa[1], pb[1]) + 0.5;
  const out: Vec3[] = [pa, [pa[0], y, pa[2]]];
  // Over the rack: x first, then z (overhead, so equipment is not in the way).
  if (Math.abs(pa[0] - pb[0]) > 1e-6) out.push([pb[0], y, pa[2]]);
  out.push([pb[0], y, pb[2]]);
  out.push(pb);
  return out;
}

/** [xMin, zMin, xMax, zMax] over areas, placed twins and pipe paths. */
export function plantBounds(plant: PlantInstanceJson): [number, number, number, number] {
  let x0 = Infinity;
  let z0 = Infinity;
  let x1 = -Infinity;
  let z1 = -Infinity;
  const add = (x: number, z: number): void => {
    x0 = Math.min(x0, x);
    z0 = Math.min(z0, z);
    x1 = Math.max(x1, x);
    z1 = Math.max(z1, z);
  };
  for (const a of plant.areas) {
    add(a.bounds[0], a.bounds[1]);
    add(a.bounds[2], a.bounds[3]);
  }
  for (const t of plant.twins) {
    const l = t.layout;
    if (l?.position && l.position.length === 3) add(l.position[0]!, l.position[2]!);
    for (const p of l?.path ?? []) if (p.length === 3) add(p[0]!, p[2]!);
  }
  if (!Number.isFinite(x0)) return [-10, -10, 10, 10];
  return [x0, z0, x1, z1];
}
