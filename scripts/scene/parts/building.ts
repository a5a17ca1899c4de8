/** The building, unit sized and scaled by their nodes: floor, area zones, safety lines, walkways, columns, beams. */
import type { MatKey, Part } from "../materials.ts";
import { appendGeometry, at, box, emptyGeometry } from "../primitives.ts";

export const unitSlab = (mat: MatKey, top: number, thickness: number) => (): Part[] => [
  [mat, at(box(1, thickness, 1), 0, top - thickness / 2, 0)],
];
export const COLUMN_HEIGHT = 8;
export function columnParts(): Part[] {
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
