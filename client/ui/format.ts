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

/**
 * The source's quality code as a plant person reads it: an OPC UA StatusCode by its name first, with the
 * number that identifies the sub-code ("BadNoCommunication (0x80310000)"); other codes as the source sent them.
 */
export function formatQualityCode(code: string | undefined): string {
  if (!code) return "";
  const m = /^(0x[0-9A-Fa-f]{8}) ([A-Za-z]+)$/.exec(code);
  return m ? `${m[2]} (${m[1]})` : code;
}
