/** Formatting of point values for labels and the inspector. */
import type { PointDef } from "../../shared/plant.ts";

export function formatValue(def: PointDef, v: number, hasValue: boolean): string {
  if (!hasValue) return "—";
  if (def.states) {
    const s = def.states[String(Math.round(v))];
    if (s) return s;
  }
  const n = v.toFixed(def.decimals);
  return def.symbol ? `${n} ${def.symbol}` : n;
}

export function formatAge(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return "now";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h`;
}
