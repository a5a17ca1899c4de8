/** Screw compressor cabinet with an air receiver beside it. */
import type { Part } from "../materials.ts";
import {
  appendGeometry,
  at,
  boxFromTo,
  compose,
  dome,
  emptyGeometry,
  rotationX,
  transformGeometry,
  translation,
  tube,
  tubeBetween,
} from "../primitives.ts";

export function compressorParts(): Part[] {
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
