/**
 * What one JSON payload on a plain MQTT topic looks like, as far as a starter plant needs to know:
 * - "value": one process value (a bare number, boolean or integer text, or a UNS-style sample object
 *   {value|v|Value, timestamp, quality}) — the topic is one point;
 * - "object": several named values (a UNS object or gateway record) — the topic is one asset;
 * - "opcua": OPC UA PubSub JSON NetworkMessages / DataSetMessages (OPC 10000-14 7.2.5, OPC Publisher),
 *   one entry per DataSetWriter with its fields;
 * - "samples": OPC Publisher's legacy Samples format ({NodeId, DisplayName, Value:{Value,...}}).
 * The keys that make a sample object are the ingest's own (server/ingest/jsonSample.ts), so what is
 * recognised here is what the server will read. Pure.
 */
import { QUALITY_KEYS, readNumber, TIME_KEYS, VALUE_KEYS } from "../../server/ingest/jsonSample.ts";

/** DTDL schema of a point. JSON gives "double" or "boolean" (a float that happened to be whole while we listened
 * must not lose its decimals later); Sparkplug births declare integer types. */
export type ValueKind = "double" | "boolean" | "integer" | "long";

export interface WriterShape {
  publisher: string | undefined;
  writerId: string | number | undefined;
  writerName: string | undefined;
  fields: Map<string, ValueKind>;
}

export type Shape =
  | { kind: "value"; value: ValueKind; quality: unknown }
  | { kind: "object"; fields: Map<string, { path: string[]; value: ValueKind }>; timestamp: string | undefined }
  | { kind: "opcua"; writers: WriterShape[] }
  | { kind: "samples"; nodes: Map<string, { name: string; value: ValueKind }>; application: string | undefined };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const firstKey = (o: Record<string, unknown>, keys: readonly string[]) => keys.find((k) => Object.hasOwn(o, k));

/** A process value's kind, or undefined when `v` is not one (text, null, arrays, objects). */
export function valueKind(v: unknown): ValueKind | undefined {
  if (typeof v === "boolean") return "boolean";
  if (isObject(v) && Object.hasOwn(v, "Body") && Object.hasOwn(v, "Type")) return valueKind(v["Body"]);
  return Number.isNaN(readNumber(v)) ? undefined : "double";
}

/** A sample object's value kind: {value, quality, timestamp} in any of the spellings the ingest reads. */
function sampleKind(o: Record<string, unknown>): ValueKind | undefined {
  const k = firstKey(o, VALUE_KEYS);
  return k === undefined ? undefined : valueKind(o[k]);
}

/** Bound the work one hostile payload can cause. */
const MAX_FIELDS = 2000;

export function shapeOf(doc: unknown): Shape | { kind: "unknown"; why: string } {
  const bare = valueKind(doc);
  if (bare) return { kind: "value", value: bare, quality: undefined };
  if (Array.isArray(doc)) {
    if (
      doc.length > 0 &&
      doc.every((m) => isObject(m) && (Object.hasOwn(m, "Messages") || Object.hasOwn(m, "Payload")))
    )
      return opcua(doc as Record<string, unknown>[]);
    if (doc.length > 0 && doc.every((m) => isObject(m) && Object.hasOwn(m, "NodeId")))
      return samples(doc as Record<string, unknown>[]);
    return { kind: "unknown", why: "a JSON array that is neither OPC UA messages nor OPC Publisher samples" };
  }
  if (!isObject(doc)) return { kind: "unknown", why: "JSON text or null, not a process value" };
  if (Object.hasOwn(doc, "Messages") || Object.hasOwn(doc, "Payload") || Object.hasOwn(doc, "DataSetWriterId"))
    return opcua([doc]);
  if (Object.hasOwn(doc, "NodeId")) return samples([doc]);
  if (firstKey(doc, VALUE_KEYS) !== undefined) {
    const v = sampleKind(doc);
    if (!v) return { kind: "unknown", why: "a sample object whose value is not a number or boolean" };
    const q = firstKey(doc, QUALITY_KEYS);
    return { kind: "value", value: v, quality: q === undefined ? undefined : doc[q] };
  }
  const fields = new Map<string, { path: string[]; value: ValueKind }>();
  const add = (path: string[], v: unknown) => {
    if (fields.size >= MAX_FIELDS) return;
    const kind = valueKind(v) ?? (isObject(v) ? sampleKind(v) : undefined);
    if (kind) fields.set(path.join("."), { path, value: kind });
  };
  for (const [k, v] of Object.entries(doc)) {
    if ((TIME_KEYS as readonly string[]).includes(k) || (QUALITY_KEYS as readonly string[]).includes(k)) continue;
    // One level of nesting ({"motor": {"temperature": 61}}); a sample object is a value, not a level.
    if (isObject(v) && firstKey(v, VALUE_KEYS) === undefined)
      for (const [k2, v2] of Object.entries(v)) add([k, k2], v2);
    else add([k], v);
  }
  if (fields.size === 0) return { kind: "unknown", why: "a JSON object with no numeric or boolean values" };
  return { kind: "object", fields, timestamp: firstKey(doc, TIME_KEYS) };
}

function opcua(messages: Record<string, unknown>[]): Shape | { kind: "unknown"; why: string } {
  const writers: WriterShape[] = [];
  const one = (d: unknown, publisher: unknown) => {
    if (!isObject(d) || !isObject(d["Payload"])) return; // keep-alives and metadata carry no fields
    const id = d["DataSetWriterId"];
    const name = d["DataSetWriterName"];
    const w: WriterShape = {
      publisher: typeof publisher === "string" || typeof publisher === "number" ? String(publisher) : undefined,
      writerId: typeof id === "number" || typeof id === "string" ? id : undefined,
      writerName: typeof name === "string" ? name : undefined,
      fields: new Map(),
    };
    for (const [field, v] of Object.entries(d["Payload"])) {
      if (w.fields.size >= MAX_FIELDS) break;
      const kind = valueKind(v) ?? (isObject(v) ? sampleKind(v) : undefined);
      if (kind) w.fields.set(field, kind);
    }
    writers.push(w);
  };
  for (const m of messages) {
    const list = m["Messages"];
    if (Array.isArray(list)) for (const d of list.slice(0, MAX_FIELDS)) one(d, m["PublisherId"]);
    else one(m, m["PublisherId"]);
  }
  // A keep-alive or metadata message tells nothing about fields, but it is OPC UA all the same.
  return { kind: "opcua", writers };
}

function samples(list: Record<string, unknown>[]): Shape {
  const nodes = new Map<string, { name: string; value: ValueKind }>();
  let application: string | undefined;
  for (const s of list.slice(0, MAX_FIELDS)) {
    const id = s["NodeId"];
    if (typeof id !== "string") continue;
    if (typeof s["ApplicationUri"] === "string") application ??= s["ApplicationUri"];
    const v = s["Value"];
    const kind = isObject(v) ? sampleKind(v) : valueKind(v);
    if (!kind) continue;
    nodes.set(id, { name: typeof s["DisplayName"] === "string" ? s["DisplayName"] : id, value: kind });
  }
  return { kind: "samples", nodes, application };
}
