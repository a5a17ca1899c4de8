/**
 * Names a starter plant needs, made from whatever a broker uses (topic levels, metric names with
 * "/" folders, OPC UA field names with spaces or NodeIds): DTDL content names (DTDL v2: a letter,
 * then letters, digits and "_", at most 64), twin ids (plant.json: letters, digits, "_", ".", "-",
 * at most 64) and DTMI segments. Each namer hands out every name once.
 */

const DTDL_NAME = /^[A-Za-z](?:[A-Za-z0-9_]{0,62}[A-Za-z0-9])?$/;
const TWIN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const isDtdlName = (s: string) => DTDL_NAME.test(s);
export const isTwinId = (s: string) => TWIN_ID.test(s);

/** "Tank 1/Level (m)" -> "Tank_1_Level_m"; "3rd" -> "p3rd". */
export function dtdlName(raw: string, fallback = "value"): string {
  let s = raw
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (s === "") s = fallback;
  if (!/^[A-Za-z]/.test(s)) s = `p${s}`;
  s = s.slice(0, 64).replace(/_+$/, "");
  return s;
}

export function twinId(raw: string): string {
  let s = raw
    .replace(/[^A-Za-z0-9_.-]+/g, "_")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 64);
  if (s === "") s = "asset";
  return s;
}

/** Hands out unique names: the wanted one if free, else with "_2", "_3"... (kept within `max`). */
export class UniqueNames {
  private readonly used = new Set<string>();

  constructor(private readonly max = 64) {}

  take(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.used.has(name.toLowerCase()); i++) {
      const suffix = `_${i}`;
      name = wanted.slice(0, this.max - suffix.length) + suffix;
    }
    this.used.add(name.toLowerCase());
    return name;
  }

  has(name: string): boolean {
    return this.used.has(name.toLowerCase());
  }
}

/** "Filler1", "Filler2" -> "Filler"; "P101", "P102" -> "P"; nothing shared -> undefined. */
export function commonStem(ids: readonly string[]): string | undefined {
  const stems = new Set(ids.map((id) => id.replace(/[\d_.\s-]+$/, "")));
  if (stems.size !== 1) return undefined;
  const [stem] = stems;
  return stem ? stem : undefined;
}

/** A DTMI segment in PascalCase: "filler" -> "Filler", "line-1" -> "Line_1". */
export function interfaceName(raw: string): string {
  const s = dtdlName(raw, "Asset");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** An OPC UA NodeId as a readable name: "nsu=http://x/;s=Tank 1.Level" -> "Tank 1.Level"; other text as it is. */
export function nodeIdLabel(raw: string): string {
  const m = /^(?:nsu=[^;]*;|ns=\d+;)?(s|i|g|b)=(.+)$/s.exec(raw);
  if (!m) return raw;
  return m[1] === "s" ? m[2]! : `${m[1]}${m[2]}`;
}
