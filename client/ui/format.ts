/** Formatting of point values for labels and the inspector. */
import type { PointDef } from "../../shared/plant.ts";

export function formatValue(def: PointDef, v: number, hasValue: boolean): string {
  if (!hasValue) return "—";
  if (def.schema === "structured") return "table"; // the inspector shows it as a table (structuredRows)
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

/**
 * A structured point's last value (a DTDL Map or Array, as JSON text) as rows for the inspector's small table:
 * [key or index, value]; nested values as compact JSON. At most `max` rows, then one "… N more" row.
 */
export function structuredRows(json: string | undefined, max = 12): [string, string][] {
  if (!json) return [];
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return [["", json.slice(0, 80)]];
  }
  const show = (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x).slice(0, 80));
  const entries: [string, unknown][] = Array.isArray(v)
    ? v.map((x, i): [string, unknown] => [String(i), x])
    : v !== null && typeof v === "object"
      ? Object.entries(v)
      : [["", v]];
  const rows = entries.slice(0, max).map(([k, x]): [string, string] => [k, show(x)]);
  if (entries.length > max) rows.push(["…", `${entries.length - max} more`]);
  return rows;
}
