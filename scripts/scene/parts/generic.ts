/** A twin of a type without a look of its own: a grey cabinet on a plinth. */
import type { Part } from "../materials.ts";
import { boxFromTo } from "../primitives.ts";

export function genericParts(): Part[] {
  return [
    ["grey", boxFromTo(-0.5, 0.1, -0.5, 0.5, 1.3, 0.5)],
    ["dark", boxFromTo(-0.55, 0, -0.55, 0.55, 0.1, 0.55)],
  ];
}
