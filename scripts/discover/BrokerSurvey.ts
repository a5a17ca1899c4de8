/**
 * Everything `plant:discover` learns from a broker, message by message: per plain topic its JSON
 * shape (jsonShapes.ts) merged over the messages seen, how often it was published and the qualities
 * it carried; per Sparkplug B edge node and device the metrics its births (or, for a node born before
 * we listened, its named DATA metrics) declare. Pure: the caller hands in topic, payload and time.
 * Bad payloads are counted by reason with one example each, never thrown.
 */
import { decodeSparkplug, DataType, type SpMetric } from "../../server/ingest/sparkplug/codec.ts";
import { shapeOf, type Shape, type ValueKind, type WriterShape } from "./jsonShapes.ts";

/** How often something was heard: enough for a point's expected update period. */
export interface Rate {
  count: number;
  first: number;
  last: number;
}

const hear = (r: Rate | undefined, now: number): Rate =>
  r ? { count: r.count + 1, first: r.first, last: now } : { count: 1, first: now, last: now };

export interface TopicFinding {
  topic: string;
  rate: Rate;
  shape: Shape | undefined;
  /** Numeric quality codes seen on a one-value topic (to tell Gemba's 0/1/2 from OPC UA or OPC DA codes). */
  numericQualities: Set<number>;
  /** Why the last payload was not understood, when none was. */
  unknown: string | undefined;
}

export interface MetricFinding {
  kind: ValueKind;
  rate: Rate;
}

export interface ScopeFinding {
  /** "" for the node's own metrics, else the device name. */
  device: string;
  born: boolean;
  metrics: Map<string, MetricFinding>;
}

export interface EdgeNodeFinding {
  group: string;
  node: string;
  scopes: Map<string, ScopeFinding>;
  messages: number;
}

export interface SurveyProgress {
  messages: number;
  topics: number;
  edgeNodes: number;
  devices: number;
}

const SPARKPLUG = "spBv1.0/";
/** Metrics every edge node has that are not process values (Sparkplug 3.0 6.4.2, 6.4.3). */
const CONTROL = /^(Node Control|Device Control|Properties)\//;
const NUMERIC_TYPES: ReadonlyMap<number, ValueKind> = new Map([
  ...[DataType.Int8, DataType.Int16, DataType.Int32, DataType.UInt8, DataType.UInt16].map(
    (t) => [t, "integer"] as const,
  ),
  ...[DataType.Int64, DataType.UInt32, DataType.UInt64].map((t) => [t, "long"] as const),
  [DataType.Float, "double"],
  [DataType.Double, "double"],
  [DataType.Boolean, "boolean"],
]);
/** Payloads larger than this are not parsed (the ingest's default limit for JSON and Sparkplug). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Past this many topics the survey stops adding new ones (a whole enterprise broker is not a plant). */
const MAX_TOPICS = 20_000;

export class BrokerSurvey {
  messages = 0;
  readonly topics = new Map<string, TopicFinding>();
  readonly edgeNodes = new Map<string, EdgeNodeFinding>();
  /** Messages not used, by reason, with the latest topic for each. */
  readonly ignored = new Map<string, { count: number; example: string }>();

  progress(): SurveyProgress {
    let devices = 0;
    for (const n of this.edgeNodes.values()) devices += [...n.scopes.keys()].filter((d) => d !== "").length;
    return { messages: this.messages, topics: this.topics.size, edgeNodes: this.edgeNodes.size, devices };
  }

  observe(topic: string, payload: Uint8Array, now: number): void {
    this.messages++;
    if (payload.byteLength > MAX_PAYLOAD_BYTES) return this.ignore("a payload over 1 MiB", topic);
    if (topic.startsWith(SPARKPLUG)) return this.sparkplug(topic, payload, now);
    let finding = this.topics.get(topic);
    if (!finding) {
      if (this.topics.size >= MAX_TOPICS) return this.ignore(`more than ${MAX_TOPICS} topics`, topic);
      finding = {
        topic,
        rate: hear(undefined, now),
        shape: undefined,
        numericQualities: new Set(),
        unknown: undefined,
      };
      this.topics.set(topic, finding);
    } else finding.rate = hear(finding.rate, now);
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8"));
    } catch {
      finding.unknown = "not JSON";
      return this.ignore("not JSON (and not Sparkplug B)", topic);
    }
    const shape = shapeOf(doc);
    if (shape.kind === "unknown") {
      finding.unknown = shape.why;
      return this.ignore(shape.why, topic);
    }
    finding.unknown = undefined;
    if (shape.kind === "value" && typeof shape.quality === "number") finding.numericQualities.add(shape.quality);
    finding.shape = merge(finding.shape, shape);
  }

  private ignore(reason: string, topic: string): void {
    const r = this.ignored.get(reason);
    if (r) {
      r.count++;
      r.example = topic;
    } else this.ignored.set(reason, { count: 1, example: topic });
  }

  private sparkplug(topic: string, payload: Uint8Array, now: number): void {
    // spBv1.0/<group>/<type>/<node>[/<device>]; STATE (host applications) has no node.
    const [, group, type, node, device, ...rest] = topic.split("/");
    if (!group || !type || !node || rest.length > 0 || group === "STATE")
      return this.ignore("a Sparkplug topic that is not an edge node's", topic);
    if (!/^(N|D)(BIRTH|DATA|DEATH|CMD)$/.test(type)) return this.ignore("an unknown Sparkplug message type", topic);
    // A payload that does not decode tells nothing about the node, not even that it is one.
    const carriesValues = /BIRTH|DATA/.test(type);
    const decoded = carriesValues ? decodeSparkplug(payload) : undefined;
    if (decoded && !decoded.ok) return this.ignore(decoded.detail, topic);
    const key = `${group}/${node}`;
    let n = this.edgeNodes.get(key);
    if (!n) {
      n = { group, node, scopes: new Map(), messages: 0 };
      this.edgeNodes.set(key, n);
    }
    n.messages++;
    const scopeKey = type.startsWith("D") ? (device ?? "") : "";
    let scope = n.scopes.get(scopeKey);
    if (!scope) {
      scope = { device: scopeKey, born: false, metrics: new Map() };
      n.scopes.set(scopeKey, scope);
    }
    if (!decoded?.ok) return; // deaths and commands carry no process values
    const birth = type.endsWith("BIRTH");
    if (birth) scope.born = true;
    for (const m of decoded.payload.metrics) {
      if (m.name === undefined || m.name === "bdSeq" || CONTROL.test(m.name)) continue; // by alias: named at birth
      const kind = kindOf(m);
      if (!kind) continue;
      const prev = scope.metrics.get(m.name);
      scope.metrics.set(m.name, { kind, rate: hear(prev?.rate, now) });
    }
  }
}

/** A metric's kind: from its datatype (always in a BIRTH), else from the value field it uses. */
function kindOf(m: SpMetric): ValueKind | undefined {
  if (m.datatype !== undefined) return NUMERIC_TYPES.get(m.datatype);
  if (m.field === "booleanValue") return "boolean";
  if (m.field === "floatValue" || m.field === "doubleValue" || m.field === "intValue" || m.field === "longValue")
    return "double";
  return undefined;
}

/** Merge what a new message shows into what earlier ones showed (delta frames carry only what changed). */
function merge(prev: Shape | undefined, next: Shape): Shape {
  if (!prev || prev.kind !== next.kind) return next;
  if (prev.kind === "object" && next.kind === "object") {
    for (const [k, v] of next.fields) prev.fields.set(k, v);
    return prev;
  }
  if (prev.kind === "opcua" && next.kind === "opcua") {
    for (const w of next.writers) {
      const same = prev.writers.find((p) => writerKey(p) === writerKey(w));
      if (same) for (const [f, k] of w.fields) same.fields.set(f, k);
      else prev.writers.push(w);
    }
    return prev;
  }
  if (prev.kind === "samples" && next.kind === "samples") {
    for (const [id, s] of next.nodes) prev.nodes.set(id, s);
    return prev;
  }
  return next;
}

export const writerKey = (w: WriterShape) => `${w.publisher ?? ""}\u0000${w.writerId ?? ""}\u0000${w.writerName ?? ""}`;
