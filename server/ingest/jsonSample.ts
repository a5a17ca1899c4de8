/**
 * Reading one sample out of a JSON value: the number, its source time and its quality,
 * whether the source sent a bare number, a UNS-style `{value, timestamp, quality}` object,
 * an OPC UA DataValue (`{Value, StatusCode|Status, SourceTimestamp}`) or an OPC UA
 * reversible Variant (`{Type, Body}` / 1.05 `{UaType, Value}`).
 * Pure; writes into a caller-owned SampleOut so the hot path allocates nothing.
 */
import { Quality } from "../../shared/status.ts";
import { explainQuality, readQuality, type QualityCodes, type QualityOut } from "../formats/quality.ts";

export type Rejection = "oversized" | "malformed" | "bad-value" | "bad-timestamp" | "bad-quality";

/**
 * Int64/UInt64 as OPC UA Part 6 (5.4.2.3) encodes them in JSON: a decimal string. Only plain
 * integers (no spaces, no exponent, at most 20 digits) are numbers; larger than 2^53 they
 * lose precision in a double (9007199254740993 reads as 9007199254740992), as any JSON number does.
 */
const INT_STRING = /^-?\d{1,20}$/;
const INT64_MAX = 18_446_744_073_709_551_615; // UInt64 max; Int64 min is -9223372036854775808

/** A process value as a finite number, or NaN when it is not one (see explainValue). */
export function readNumber(raw: unknown): number {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : Number.NaN;
  if (typeof raw === "boolean") return raw ? 1 : 0;
  if (typeof raw === "string" && INT_STRING.test(raw)) {
    const n = Number(raw);
    return n <= INT64_MAX && n >= -9_223_372_036_854_775_808 ? n : Number.NaN;
  }
  return Number.NaN;
}

/** Why readNumber refused a value (slow path only). */
export function explainValue(raw: unknown, where: string): string {
  if (raw === undefined) return `${where} is missing`;
  if (raw === null) return `${where} is null`;
  if (typeof raw === "string") {
    if (/^[-+]?(nan|inf(inity)?)$/i.test(raw.trim())) return `${where} is ${JSON.stringify(raw)}: not a process value`;
    if (INT_STRING.test(raw)) return `${where} ${raw} is beyond the 64-bit integer range`;
    return `${where} is the text ${JSON.stringify(raw.slice(0, 40))}, not a number (integers as text, like "123", are accepted)`;
  }
  if (typeof raw === "number") return `${where} is not a finite number`;
  return `${where} is ${Array.isArray(raw) ? "an array" : "an object"}, not a number`;
}

/** Sensible bounds for a source timestamp in ms: 2000-01-01 .. 2200-01-01. */
const MIN_TS = 946_684_800_000;
const MAX_TS = 7_258_118_400_000;

/** A source time in ms since the epoch (ISO 8601 text, epoch ms, or epoch seconds), or NaN. */
export function readTime(raw: unknown): number {
  let ms: number;
  if (typeof raw === "number") ms = raw < 1e11 ? raw * 1000 : raw;
  else if (typeof raw === "string") ms = Date.parse(raw);
  else return Number.NaN;
  return Number.isFinite(ms) && ms >= MIN_TS && ms <= MAX_TS ? ms : Number.NaN;
}

export interface SampleOut extends QualityOut {
  /** true: a value; false: only a status (a source reporting Bad without a value). */
  hasValue: boolean;
  value: number;
  /** NaN when the message carries no time for this sample. */
  ts: number;
  reason: Rejection;
  detail: string;
}

export const newSampleOut = (): SampleOut => ({
  hasValue: false,
  value: 0,
  ts: Number.NaN,
  q: Quality.GOOD,
  code: "",
  reason: "bad-value",
  detail: "",
});

function first(o: Record<string, unknown>, keys: readonly string[]): unknown {
  for (let i = 0; i < keys.length; i++) if (Object.hasOwn(o, keys[i]!)) return o[keys[i]!];
  return undefined;
}

/** Keys of a sample object, first match wins. Documented in docs/PLANT-DATA.md ("Sample objects"). */
export const VALUE_KEYS = ["Value", "value", "v"] as const;
export const QUALITY_KEYS = ["StatusCode", "Status", "quality", "Quality", "q", "status"] as const;
export const TIME_KEYS = ["SourceTimestamp", "timestamp", "Timestamp", "ts", "time", "ServerTimestamp"] as const;

function isSampleObject(o: Record<string, unknown>): boolean {
  return (
    first(o, VALUE_KEYS) !== undefined || first(o, QUALITY_KEYS) !== undefined || first(o, TIME_KEYS) !== undefined
  );
}

/** Unwrap an OPC UA reversible Variant: 1.04 {Type, Body}; else the value itself. */
function unwrapVariant(v: unknown): unknown {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, "Body") && Object.hasOwn(v, "Type"))
    return (v as Record<string, unknown>)["Body"];
  return v;
}

/** An array, object or non-integer text: what only a structured or Enum point takes. */
function isOther(v: unknown): boolean {
  return (v !== null && typeof v === "object") || (typeof v === "string" && !INT_STRING.test(v));
}

/**
 * A value a number point cannot take but another point may: an array or object (a structured point, DTDL
 * Map/Array, keeps it as JSON) or a text that is not an integer (an Enum point maps its enum values).
 * Found as the node itself or as the value of a sample object ({"value": "MIX", "timestamp": ...});
 * undefined when the node holds a number (or integer text), a Variant, or no value. The sample's time and
 * quality are read into `out` (its value as 0); `ok` is false when they are refused.
 */
export function readNonNumeric(
  node: unknown,
  where: string,
  codes: QualityCodes,
  msgQuality: unknown,
  msgTime: unknown,
  out: SampleOut,
): { raw: unknown; ok: boolean } | undefined {
  // A number (the common case) leaves at once: no closure or object is made per sample on the hot path.
  if (typeof node === "number") return undefined;
  if (Array.isArray(node) || typeof node === "string") {
    return isOther(node) ? { raw: node, ok: readSample(0, where, codes, msgQuality, msgTime, out) } : undefined;
  }
  if (node === null || typeof node !== "object") return undefined;
  const o = node as Record<string, unknown>;
  if (Object.hasOwn(o, "Body") && Object.hasOwn(o, "Type")) return undefined; // an OPC UA Variant: readSample's
  if (!isSampleObject(o)) return { raw: node, ok: readSample(0, where, codes, msgQuality, msgTime, out) };
  let key: string | undefined;
  for (const k of VALUE_KEYS) {
    if (Object.hasOwn(o, k)) {
      key = k;
      break;
    }
  }
  if (key === undefined || !isOther(o[key])) return undefined;
  return { raw: o[key], ok: readSample({ ...o, [key]: 0 }, where, codes, msgQuality, msgTime, out) };
}

/**
 * Read the sample at `node`. `msgQuality`/`msgTime` are message-level defaults (an OPC UA
 * DataSetMessage's Status and Timestamp, or a binding's message-wide paths); the worse
 * quality wins, the sample's own time wins. Returns false with out.reason/detail set.
 */
export function readSample(
  node: unknown,
  where: string,
  codes: QualityCodes,
  msgQuality: unknown,
  msgTime: unknown,
  out: SampleOut,
): boolean {
  let valueNode: unknown = node;
  let qNode: unknown;
  let tNode: unknown;
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    const o = node as Record<string, unknown>;
    if (Object.hasOwn(o, "Body") && Object.hasOwn(o, "Type")) valueNode = o["Body"];
    else if (isSampleObject(o)) {
      valueNode = unwrapVariant(first(o, VALUE_KEYS));
      qNode = first(o, QUALITY_KEYS);
      tNode = first(o, TIME_KEYS);
    }
  }
  out.q = Quality.GOOD;
  out.code = "";
  if (qNode !== undefined && qNode !== null && !readQuality(qNode, codes, out)) {
    out.reason = "bad-quality";
    out.detail = `${where}: ${explainQuality(qNode, codes)}`;
    return false;
  }
  if (msgQuality !== undefined && msgQuality !== null) {
    const q = out.q;
    const code = out.code;
    if (!readQuality(msgQuality, codes, out)) {
      out.reason = "bad-quality";
      out.detail = `${where}: message ${explainQuality(msgQuality, codes)}`;
      return false;
    }
    if (q >= out.q) {
      out.q = q;
      out.code = code;
    }
  }
  const t = tNode ?? msgTime;
  if (t === undefined || t === null) out.ts = Number.NaN;
  else {
    out.ts = readTime(t);
    if (Number.isNaN(out.ts)) {
      out.reason = "bad-timestamp";
      out.detail = `${where}: time ${JSON.stringify(t)?.slice(0, 40)} is not a valid time (ISO 8601, epoch ms or s, 2000-2200)`;
      return false;
    }
  }
  // OPC UA omits Value when the status is Bad (Part 6 DataValue); a UNS may send {"quality":"BAD"} alone.
  if ((valueNode === undefined || valueNode === null) && out.q !== Quality.GOOD) {
    out.hasValue = false;
    return true;
  }
  out.value = readNumber(valueNode);
  if (Number.isNaN(out.value)) {
    out.reason = "bad-value";
    out.detail = explainValue(valueNode, where);
    return false;
  }
  out.hasValue = true;
  return true;
}
