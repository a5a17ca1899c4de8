/**
 * Quality as plants send it -> Gemba's good / uncertain / bad. ONE table (QUALITY_TABLE,
 * also in docs/PLANT-DATA.md), one reader. Nothing here ever turns a quality it does not
 * know into "good": an unknown one is refused (bad-quality) so the plant engineer sees it.
 *
 * Numbers are ambiguous across systems (0 is OPC UA Good but OPC DA Bad), so a binding
 * says which numbering its source uses (`qualityCodes`); words, OPC UA symbols, booleans
 * and the OPC UA JSON `{Code, Symbol}` object mean the same under every numbering.
 *
 * The reader writes into a caller-owned QualityOut so the hot path allocates nothing;
 * `code` keeps the source's own code (e.g. "0x80310000 BadNoCommunication") for the UI.
 */
import { Quality } from "../../shared/status.ts";

export const QUALITY_CODES = ["gemba", "opcua", "opcda"] as const;
export type QualityCodes = (typeof QUALITY_CODES)[number];

/** The mapping, row by row, as documented (docs/PLANT-DATA.md "Quality"). Tests walk these rows. */
export const QUALITY_TABLE: readonly {
  source: string;
  example: string;
  good: string;
  uncertain: string;
  bad: string;
}[] = [
  {
    source: "words (any case, trimmed)",
    example: '"GOOD", "Good", "ok"',
    good: "good, ok",
    uncertain: "uncertain",
    bad: "bad",
  },
  {
    source: "OPC UA symbols (OPC 10000-4 7.39)",
    example: '"BadNoCommunication", "GOOD_LOCAL_OVERRIDE"',
    good: "Good…",
    uncertain: "Uncertain…",
    bad: "Bad…",
  },
  { source: "booleans (vendors' valid flags)", example: "true, false", good: "true", uncertain: "-", bad: "false" },
  {
    source: 'OPC UA StatusCode number (qualityCodes "opcua"; hex strings "0x..." too)',
    example: "0, 0x40000000, 0x80310000",
    good: "top two bits 00",
    uncertain: "01",
    bad: "10 or 11",
  },
  {
    source: "OPC UA JSON StatusCode object (any qualityCodes)",
    example: '{"Code": 2150694912, "Symbol": "BadNoCommunication"}',
    good: "Code as above",
    uncertain: "",
    bad: "",
  },
  {
    source: 'OPC DA quality integer (qualityCodes "opcda")',
    example: "192, 216, 64, 0, 24",
    good: "bits 7-6 of the low byte 11 (192-255)",
    uncertain: "01 (64-127)",
    bad: "00 (0-63); 10 is undefined and refused",
  },
  {
    source: 'Gemba numbers (qualityCodes "gemba", the default for format "json")',
    example: "0, 1, 2",
    good: "0",
    uncertain: "1",
    bad: "2",
  },
];

export interface QualityOut {
  q: Quality;
  /** The source's own code, "" when it sent none (or only a plain word Gemba already shows). */
  code: string;
}

export const newQualityOut = (): QualityOut => ({ q: Quality.GOOD, code: "" });

/** A Map, not an object literal: "constructor" or "__proto__" must not read as a quality. */
const WORDS: ReadonlyMap<string, Quality> = new Map([
  ["good", Quality.GOOD],
  ["ok", Quality.GOOD],
  ["uncertain", Quality.UNCERTAIN],
  ["bad", Quality.BAD],
]);

/** OPC UA (Good|Uncertain|Bad)Name, and OPC DA style GOOD_LOCAL_OVERRIDE / Good_LocalOverride. */
const SYMBOL = /^(?:(Good|Uncertain|Bad)[A-Z_][A-Za-z0-9_]*|(GOOD|UNCERTAIN|BAD)_[A-Z0-9_]+)$/;

/**
 * Sub-codes a plant engineer meets on the floor, from OPC Foundation UA-Nodeset Schema/StatusCode.csv.
 * Unknown sub-codes still map by their severity bits; they just show as a number.
 */
export const STATUS_SYMBOLS: ReadonlyMap<number, string> = new Map([
  [0x00000000, "Good"],
  [0x40000000, "Uncertain"],
  [0x80000000, "Bad"],
  [0x00960000, "GoodLocalOverride"],
  [0x002f0000, "GoodOverload"],
  [0x00300000, "GoodClamped"],
  [0x00eb0000, "GoodSubNormal"],
  [0x408f0000, "UncertainNoCommunicationLastUsableValue"],
  [0x40900000, "UncertainLastUsableValue"],
  [0x40910000, "UncertainSubstituteValue"],
  [0x40920000, "UncertainInitialValue"],
  [0x40930000, "UncertainSensorNotAccurate"],
  [0x40940000, "UncertainEngineeringUnitsExceeded"],
  [0x40950000, "UncertainSubNormal"],
  [0x42080000, "UncertainTransducerInManual"],
  [0x42090000, "UncertainSimulatedValue"],
  [0x420a0000, "UncertainSensorCalibration"],
  [0x420f0000, "UncertainConfigurationError"],
  [0x80050000, "BadCommunicationError"],
  [0x800a0000, "BadTimeout"],
  [0x800d0000, "BadServerNotConnected"],
  [0x80310000, "BadNoCommunication"],
  [0x80320000, "BadWaitingForInitialData"],
  [0x80340000, "BadNodeIdUnknown"],
  [0x803c0000, "BadOutOfRange"],
  [0x80740000, "BadTypeMismatch"],
  [0x80890000, "BadConfigurationError"],
  [0x808a0000, "BadNotConnected"],
  [0x808b0000, "BadDeviceFailure"],
  [0x808c0000, "BadSensorFailure"],
  [0x808d0000, "BadOutOfService"],
]);

/** OPC DA quality sub-status names (QQSSSSLL, low byte with the limit bits masked), as OPC DA 2.05 defines them. */
const DA_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, "bad"],
  [0x04, "bad: configuration error"],
  [0x08, "bad: not connected"],
  [0x0c, "bad: device failure"],
  [0x10, "bad: sensor failure"],
  [0x14, "bad: last known value"],
  [0x18, "bad: communication failure"],
  [0x1c, "bad: out of service"],
  [0x40, "uncertain"],
  [0x44, "uncertain: last usable value"],
  [0x50, "uncertain: sensor not accurate"],
  [0x54, "uncertain: engineering units exceeded"],
  [0x58, "uncertain: sub-normal"],
  [0xc0, "good"],
  [0xd8, "good: local override"],
]);

/** Codes are described once each (bounded): the hot path reuses the same strings. */
const uaText = new Map<number, string>();
const daText = new Map<number, string>();
function cached(m: Map<number, string>, n: number, make: () => string): string {
  let s = m.get(n);
  if (s === undefined) {
    s = make();
    if (m.size < 4096) m.set(n, s);
  }
  return s;
}
const hex8 = (n: number) => "0x" + n.toString(16).toUpperCase().padStart(8, "0");
export const describeStatusCode = (code: number): string =>
  cached(uaText, code, () => {
    const sym = STATUS_SYMBOLS.get(code);
    return sym ? `${hex8(code)} ${sym}` : hex8(code);
  });
const describeDa = (n: number): string =>
  cached(daText, n, () => `OPC DA ${n} (${DA_NAMES.get(n & 0xfc) ?? DA_SEVERITY[(n & 0xc0) >> 6]})`);
const DA_SEVERITY = ["bad", "uncertain", "undefined", "good"];

/** Severity from the top two bits (OPC 10000-4 7.39): 00 Good, 01 Uncertain, 10/11 Bad. */
export const severityOfStatusCode = (code: number): Quality =>
  code >>> 30 === 0 ? Quality.GOOD : code >>> 30 === 1 ? Quality.UNCERTAIN : Quality.BAD;

const HEX = /^0x[0-9a-f]{1,8}$/i;

/** An OPC UA StatusCode as a uint32, or -1. Some encoders send it as a signed Int32: accepted and reinterpreted. */
function uaCode(raw: unknown): number {
  if (typeof raw === "string" && HEX.test(raw)) return Number.parseInt(raw, 16);
  if (typeof raw !== "number" || !Number.isInteger(raw)) return -1;
  if (raw < 0 && raw >= -0x80000000) return raw >>> 0;
  return raw >= 0 && raw <= 0xffffffff ? raw : -1;
}

function fromWord(s: string, out: QualityOut): boolean {
  // The exact lower-case word first: the common case costs no string work.
  const w = WORDS.get(s) ?? WORDS.get(s.trim().toLowerCase());
  if (w !== undefined) {
    out.q = w;
    out.code = s;
    return true;
  }
  const m = SYMBOL.exec(s);
  if (!m) return false;
  out.q = WORDS.get((m[1] ?? m[2]!).toLowerCase())!;
  out.code = s;
  return true;
}

function fromUa(code: number, out: QualityOut): void {
  out.q = severityOfStatusCode(code);
  out.code = code === 0 ? "" : describeStatusCode(code);
}

/**
 * Read one quality value. Returns false (out untouched) when it is not one the table knows:
 * the caller refuses the sample with `explainQuality`.
 */
export function readQuality(raw: unknown, codes: QualityCodes, out: QualityOut): boolean {
  if (typeof raw === "string") {
    if (fromWord(raw, out)) return true;
    if (codes === "gemba") return false;
    const n = uaCode(raw);
    if (n < 0) return false;
    return codes === "opcua" ? (fromUa(n, out), true) : fromDa(n, out);
  }
  if (typeof raw === "boolean") {
    out.q = raw ? Quality.GOOD : Quality.BAD;
    out.code = raw ? "" : "false";
    return true;
  }
  if (typeof raw === "number") {
    if (codes === "gemba") {
      if (raw !== 0 && raw !== 1 && raw !== 2) return false;
      out.q = raw;
      out.code = "";
      return true;
    }
    const n = uaCode(raw);
    if (n < 0) return false;
    if (codes === "opcda") return fromDa(n, out);
    fromUa(n, out);
    return true;
  }
  // OPC UA JSON non-reversible / OPC Publisher: {"Code": 2150694912, "Symbol": "BadNoCommunication"}.
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    if (o["Code"] !== undefined) {
      const n = uaCode(o["Code"]);
      if (n < 0) return false;
      fromUa(n, out);
      return true;
    }
    // Part 6 omits a Good (0) Code; then only the Symbol is there.
    if (typeof o["Symbol"] === "string") return fromWord(o["Symbol"], out);
  }
  return false;
}

function fromDa(n: number, out: QualityOut): boolean {
  if (n > 0xffff) return false;
  const bits = (n & 0xc0) >> 6;
  if (bits === 2) return false; // "10" is not a quality in OPC DA
  out.q = bits === 3 ? Quality.GOOD : bits === 1 ? Quality.UNCERTAIN : Quality.BAD;
  out.code = n === 192 ? "" : describeDa(n);
  return true;
}

/** The sentence for a refused quality (slow path only). */
export function explainQuality(raw: unknown, codes: QualityCodes): string {
  const shown = typeof raw === "string" ? JSON.stringify(raw.slice(0, 40)) : JSON.stringify(raw)?.slice(0, 60);
  if (typeof raw === "number" && codes === "gemba")
    return `quality ${shown} is not 0/1/2; if the source sends OPC UA StatusCodes or OPC DA qualities, set "qualityCodes" to "opcua" or "opcda"`;
  if (typeof raw === "number" && codes === "opcda" && (raw & 0xc0) === 0x80)
    return `OPC DA quality ${shown} has quality bits 10, which OPC DA does not define`;
  return `quality ${shown ?? String(raw)} is not one Gemba knows (good/uncertain/bad, OK, an OPC UA status, true/false, or ${codes} numbers)`;
}
