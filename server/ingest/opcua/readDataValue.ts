/**
 * One OPC UA DataValue (a monitored item's notification) -> one sample for the ingest sink.
 * Quality comes from the StatusCode through the one quality table (server/formats/quality.ts:
 * severity from the top two bits, the code kept for the UI). The source timestamp is the
 * plant's time; without one the server timestamp, without either the receive time.
 * A Bad status marks the point bad and keeps its last value as last-known: OPC 10000-4 7.7.1 says the
 * value of a Bad DataValue is not to be used. Only scalar numbers and booleans are process values
 * here; text, arrays, structures and NaN are refused by reason (bad-value), never shown.
 * Pure: the adapter (OpcUaSource.ts) hands in node-opcua's DataValue.
 */
import { DataType, VariantArrayType } from "node-opcua-client";
import { Quality } from "../../../shared/status.ts";
import { newQualityOut, readQuality } from "../../formats/quality.ts";
import type { SampleSink } from "../sink.ts";

/** The parts of node-opcua's DataValue read here. */
export interface UaDataValue {
  value: { dataType: DataType; arrayType: VariantArrayType; value: unknown };
  statusCode: { value: number };
  sourceTimestamp: Date | null;
  serverTimestamp: Date | null;
}

const NUMERIC = new Set<DataType>([
  DataType.SByte,
  DataType.Byte,
  DataType.Int16,
  DataType.UInt16,
  DataType.Int32,
  DataType.UInt32,
  DataType.Float,
  DataType.Double,
]);

/** OPC UA's null DateTime is 1601-01-01 (before the epoch); node-opcua also reports absent times as null. */
function timeOf(d: Date | null): number {
  const t = d ? d.getTime() : Number.NaN;
  return Number.isFinite(t) && t > 0 ? t : Number.NaN;
}

/** node-opcua carries Int64/UInt64 as [high, low] 32-bit words. */
function int64(words: unknown, signed: boolean): number {
  if (!Array.isArray(words) || words.length !== 2) return Number.NaN;
  const [hi, lo] = words as [number, number];
  if (!Number.isInteger(hi) || !Number.isInteger(lo)) return Number.NaN;
  const high = signed && hi >= 0x80000000 ? hi - 0x100000000 : hi;
  return high * 0x100000000 + (lo >>> 0);
}

function describe(v: UaDataValue["value"]): string {
  if (v.arrayType !== VariantArrayType.Scalar) {
    const n = Array.isArray(v.value) || ArrayBuffer.isView(v.value) ? (v.value as ArrayLike<unknown>).length : "?";
    return `an array of ${n} ${DataType[v.dataType]} values, not one number (bind a scalar variable)`;
  }
  if (v.dataType === DataType.String) return `the text ${JSON.stringify(String(v.value).slice(0, 40))}, not a number`;
  if (v.dataType === DataType.ExtensionObject) return "a structure (ExtensionObject), not a number";
  if (v.dataType === DataType.Float || v.dataType === DataType.Double) return `${String(v.value)}: not a process value`;
  return `a ${DataType[v.dataType] ?? "value of unknown type"}, not a number`;
}

export class DataValueReader {
  private readonly quality = newQualityOut();

  read(dv: UaDataValue, slot: number, scale: number, offset: number, sink: SampleSink, label: string): void {
    const status = dv.statusCode.value >>> 0;
    // Every uint32 has a severity, so the table always answers for a numeric StatusCode.
    readQuality(status, "opcua", this.quality);
    const { q, code } = this.quality;
    const ts = Number.isNaN(timeOf(dv.sourceTimestamp)) ? timeOf(dv.serverTimestamp) : timeOf(dv.sourceTimestamp);
    const v = dv.value;
    if (q === Quality.BAD || v.dataType === DataType.Null || v.value === null || v.value === undefined) {
      if (q !== Quality.GOOD) return sink.status(slot, q, ts, code);
      return sink.reject("bad-value", `${label}: the value is empty although its status is Good`);
    }
    let n = Number.NaN;
    if (v.arrayType === VariantArrayType.Scalar) {
      if (v.dataType === DataType.Boolean) n = v.value === true ? 1 : v.value === false ? 0 : Number.NaN;
      else if (NUMERIC.has(v.dataType) && typeof v.value === "number") n = v.value;
      else if (v.dataType === DataType.Int64 || v.dataType === DataType.UInt64)
        n = int64(v.value, v.dataType === DataType.Int64);
    }
    if (!Number.isFinite(n)) return sink.reject("bad-value", `${label}: the value is ${describe(v)}`);
    sink.value(slot, n * scale + offset, ts, q, code);
  }
}
