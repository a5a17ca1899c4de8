/** Palletizer: yellow gantry frame, gripper, roller base, pallet with a stack of cases. */
import type { Part } from "../materials.ts";
import { appendGeometry, at, box, boxFromTo, emptyGeometry } from "../primitives.ts";

export function palletizerParts(): Part[] {
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
