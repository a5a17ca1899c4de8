/** A point's value in plant words ("2.10 bar"), the same on the page, on the wrist and in the incident report. */
import type { PointDef } from "./plant.ts";

/** "2.10 bar": a value at the point's own decimals, with its unit. */
export const num = (def: Pick<PointDef, "decimals" | "symbol"> | undefined, v: number) => {
  const n = v.toFixed(def?.decimals ?? 2);
  return def?.symbol ? `${n} ${def.symbol}` : n;
};
