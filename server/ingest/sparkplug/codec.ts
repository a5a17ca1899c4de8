/**
 * Sparkplug B payloads in and out. Decoding goes through Tahu's generated protobuf
 * classes directly, not Tahu's `decodePayload`: that one reads a metric's value by
 * the metric's own datatype, and DATA metrics usually omit the datatype (it is
 * declared once in the BIRTH), so it would turn every such value into null.
 * Pure; `decodeSparkplug` never throws.
 */
import sparkplug from "sparkplug-payload";
import proto from "sparkplug-payload/lib/sparkplugPayloadProto.js";

const Payload = proto.org.eclipse.tahu.protobuf.Payload;
const spb = sparkplug.get("spBv1.0")!;

/** Sparkplug B datatype codes (Payload.DataType in sparkplug_b.proto). */
export const DataType = {
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
} as const;

type LongLike = { low: number; high: number };
type RawValue = number | boolean | LongLike;

export interface SpMetric {
  name: string | undefined;
  alias: number | undefined;
  /** undefined when absent or Unknown (0): DATA metrics usually leave it to the BIRTH. */
  datatype: number | undefined;
  timestamp: number | undefined;
  isNull: boolean;
  /** Which value field is set: the numeric ones carry `raw`; "other" is a string, bytes, dataset, template... */
  field: "intValue" | "longValue" | "floatValue" | "doubleValue" | "booleanValue" | "other" | "none";
  raw: RawValue | undefined;
}

export interface SpPayload {
  timestamp: number | undefined;
  seq: number | undefined;
  metrics: SpMetric[];
}

export type DecodeResult = { ok: true; payload: SpPayload } | { ok: false; detail: string };

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function isLong(v: unknown): v is LongLike {
  return typeof v === "object" && v !== null && typeof (v as LongLike).low === "number";
}

/** A protobuf uint64 (a Long, or a number when Long is unavailable) as a JS number. */
export function u64(v: unknown, signed = false): number | undefined {
  if (isLong(v)) {
    const hi = signed ? v.high | 0 : v.high >>> 0;
    return hi * 4_294_967_296 + (v.low >>> 0);
  }
  if (typeof v === "number") return signed && v >= 2 ** 63 ? v - 2 ** 64 : v;
  return undefined;
}

const NUMERIC_FIELDS = ["intValue", "longValue", "floatValue", "doubleValue", "booleanValue"] as const;
const OTHER_FIELDS = ["stringValue", "bytesValue", "datasetValue", "templateValue", "extensionValue"];

export function decodeSparkplug(buf: Uint8Array): DecodeResult {
  let msg: ReturnType<typeof Payload.decode>;
  try {
    msg = Payload.decode(buf);
  } catch (e) {
    return { ok: false, detail: `not a Sparkplug B payload (${(e as Error).message})` };
  }
  const metrics: SpMetric[] = [];
  for (const m of msg.metrics) {
    let field: SpMetric["field"] = "none";
    let raw: RawValue | undefined;
    for (const f of NUMERIC_FIELDS) {
      if (has(m, f)) {
        field = f;
        raw = m[f] as RawValue;
        break;
      }
    }
    if (field === "none" && OTHER_FIELDS.some((f) => has(m, f))) field = "other";
    metrics.push({
      name: has(m, "name") ? (m.name ?? undefined) : undefined,
      alias: has(m, "alias") ? u64(m.alias) : undefined,
      datatype: has(m, "datatype") && m.datatype ? m.datatype : undefined,
      timestamp: has(m, "timestamp") ? u64(m.timestamp) : undefined,
      isNull: m.isNull === true,
      field,
      raw,
    });
  }
  return {
    ok: true,
    payload: {
      timestamp: has(msg, "timestamp") ? u64(msg.timestamp) : undefined,
      seq: has(msg, "seq") ? u64(msg.seq) : undefined,
      metrics,
    },
  };
}

export type MetricValue = { ok: true; value: number } | { ok: false; detail: string };

const intOf = (m: SpMetric): number | undefined =>
  m.field === "intValue" && typeof m.raw === "number"
    ? m.raw
    : m.field === "longValue"
      ? u64(m.raw) // a UInt32 may travel in either field
      : undefined;

/**
 * The number a metric carries, read as `datatype` says (the metric's own, or the one
 * its BIRTH declared). Booleans become 0/1; strings, bytes, datasets, templates,
 * DateTime and nulls are not process values and are refused.
 */
export function metricValue(m: SpMetric, datatype: number | undefined): MetricValue {
  if (m.isNull) return { ok: false, detail: "is null" };
  let v: number | undefined;
  switch (datatype) {
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32: {
      const i = intOf(m);
      const bits = datatype === DataType.Int8 ? 24 : datatype === DataType.Int16 ? 16 : 0;
      // Tahu writes signed ints into the uint32 int_value field; sign-extend them back.
      if (i !== undefined) v = ((i | 0) << bits) >> bits;
      break;
    }
    case DataType.UInt8:
    case DataType.UInt16:
    case DataType.UInt32: {
      const i = intOf(m);
      if (i !== undefined) v = i >>> 0;
      break;
    }
    case DataType.Int64:
    case DataType.UInt64:
      v = m.field === "longValue" ? u64(m.raw, datatype === DataType.Int64) : intOf(m);
      break;
    case DataType.Float:
    case DataType.Double:
      if ((m.field === "floatValue" || m.field === "doubleValue") && typeof m.raw === "number") v = m.raw;
      break;
    case DataType.Boolean:
      if (m.field === "booleanValue") v = m.raw === true ? 1 : 0;
      break;
    default:
      return { ok: false, detail: `has datatype ${datatype ?? "unknown"}, which is not numeric` };
  }
  if (v === undefined) return { ok: false, detail: `declares datatype ${datatype} but carries no such value` };
  if (!Number.isFinite(v)) return { ok: false, detail: "is not a finite number" };
  return { ok: true, value: v };
}

/**
 * The number a DATA metric carries when no BIRTH has declared its datatype (Gemba started after the
 * edge node). Sparkplug says DATA SHOULD NOT repeat the datatype, so only values that say their own
 * type are read: an explicit datatype, a double, a float or a boolean. A bare integer is refused:
 * Tahu writes signed integers into the unsigned fields, so its sign is unknown until the BIRTH.
 */
export function selfDescribedValue(m: SpMetric): MetricValue {
  if (m.datatype !== undefined) return metricValue(m, m.datatype);
  switch (m.field) {
    case "doubleValue":
      return metricValue(m, DataType.Double);
    case "floatValue":
      return metricValue(m, DataType.Float);
    case "booleanValue":
      return metricValue(m, DataType.Boolean);
    case "intValue":
    case "longValue":
      return { ok: false, detail: "is an integer without a datatype (its sign is unknown until the BIRTH)" };
    default:
      return metricValue(m, undefined);
  }
}

/** The NCMD payload that asks an edge node to publish its BIRTH certificates again. */
export function encodeRebirthRequest(now: number): Uint8Array {
  return spb.encodePayload({
    timestamp: now,
    metrics: [{ name: "Node Control/Rebirth", type: "Boolean", value: true }],
  });
}
