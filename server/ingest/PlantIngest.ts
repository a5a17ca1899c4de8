/**
 * Ingest for one plant: topic -> bindings -> decoded samples -> working memory.
 * JSON and OPC UA JSON topics go through the TopicRouter (every binding on a topic applies);
 * Sparkplug B topics (spBv1.0/...) go to the SparkplugIngest. Every message is counted exactly
 * once, under `applied` (at least one sample applied), a Sparkplug state change, a message that
 * carries no values (keep-alive, metadata, event, unbound), or the most telling reason it was
 * not applied, so counters always add up to what was received. Samples are tallied too
 * (samplesApplied / samplesRejected), so a rejected point inside an applied message is not silent.
 * Pure core: the MQTT connection hands messages in; the clock is passed in.
 */
import { isTopicBinding, type Binding, type SparkplugBinding } from "../plant/instance.ts";
import type { PlantTwin } from "../twin/PlantTwin.ts";
import type { Quality } from "../../shared/status.ts";
import { SparkplugIngest, type SparkplugOutcome } from "./sparkplug/SparkplugIngest.ts";
import { TopicRouter } from "./TopicRouter.ts";
import type { Rejection } from "./jsonSample.ts";
import type { Decoder, NonData, SampleSink, SlotTarget } from "./sink.ts";

export const INGEST_OUTCOMES = [
  "applied",
  "late",
  "duplicate",
  "too-old",
  "unknown-topic",
  "unknown-point",
  "oversized",
  "malformed",
  "bad-value",
  "bad-timestamp",
  "bad-quality",
  "future",
  // Messages that carry no process value; not errors (OPC UA PubSub keep-alives, ua-metadata,
  // events, and data from writers or fields no binding selects).
  "keep-alive",
  "metadata",
  "event",
  "unbound",
  // Sparkplug B (server/ingest/sparkplug): see SPARKPLUG_OUTCOMES.
  "unknown-metric",
  "birth",
  "death",
  "stale-death",
  "seq-gap",
  "no-birth",
  "command",
  // OPC UA client (server/ingest/opcua): a monitored item the server refused, counted once per attempt.
  "unknown-node",
  "item-refused",
] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

/** When no sample of a message applied, the message counts under the most telling reason (first wins). */
const RANK: Partial<Record<IngestOutcome, number>> = {
  "bad-value": 12,
  "bad-quality": 11,
  "bad-timestamp": 10,
  malformed: 9,
  future: 8,
  "unknown-point": 7,
  "too-old": 6,
  late: 5,
  duplicate: 4,
  unbound: 3,
  event: 2,
  metadata: 1,
  "keep-alive": 0,
};
const QUIET = new Set<IngestOutcome>(["keep-alive", "metadata", "event"]);
const SAMPLE_ERRORS = new Set<IngestOutcome>([
  "bad-value",
  "bad-quality",
  "bad-timestamp",
  "malformed",
  "future",
  "unknown-point",
]);

/** Points resolved to twin indices once: per decoder slot, or per OPC UA monitored item. */
export interface SlotRoute {
  /** Twin point index per slot; -1 when the plant has no such point. */
  indices: Int32Array;
  unknown: string[];
}

/** A binding matched to one topic. */
interface Route extends SlotRoute {
  decoder: Decoder;
}

export type IngestCounters = Record<IngestOutcome, number> & {
  received: number;
  samplesApplied: number;
  samplesRejected: number;
};

export interface IngestOptions {
  /** Prepended to every JSON binding topic (isolates tests and multi-tenant brokers); never to spBv1.0. */
  topicPrefix?: string;
  /** Largest accepted payload. Default 64 KiB. */
  maxPayloadBytes?: number;
  /** Samples stamped further ahead of server time than this are rejected (MAX_FUTURE_SECONDS). Default 5 s. */
  maxFutureMs?: number;
  /** Called for each rejected message (the caller rate-limits logging). */
  onReject?: (outcome: IngestOutcome, topic: string, detail: string) => void;
  /** Largest accepted Sparkplug payload. Default 1 MiB (a BIRTH carries every metric of a node). */
  maxSparkplugPayloadBytes?: number;
  /** Sparkplug rebirth requests need both (MQTT_WRITES=on); without them the ingest never publishes. */
  writesEnabled?: boolean;
  publish?: (topic: string, payload: Uint8Array) => boolean | void;
  log?: (msg: string) => void;
}

export class PlantIngest {
  readonly router: TopicRouter;
  /** null when the plant binds no Sparkplug edge node. */
  readonly sparkplug: SparkplugIngest | null;
  readonly counters: IngestCounters;
  readonly filters: readonly string[];
  private readonly maxBytes: number;
  private readonly maxFuture: number;

  constructor(
    private readonly twin: PlantTwin,
    bindings: readonly Binding[],
    private readonly opts: IngestOptions = {},
  ) {
    this.router = new TopicRouter(bindings.filter(isTopicBinding), opts.topicPrefix ?? "");
    const sp = bindings.filter((b): b is SparkplugBinding => b.format === "sparkplug");
    this.sparkplug =
      sp.length === 0
        ? null
        : new SparkplugIngest(twin, sp, {
            maxPayloadBytes: opts.maxSparkplugPayloadBytes,
            maxFutureMs: opts.maxFutureMs,
            writesEnabled: opts.writesEnabled,
            publish: opts.publish,
            onReject: opts.onReject,
            log: opts.log,
          });
    this.filters = [...this.router.filters, ...(this.sparkplug?.filters ?? [])];
    this.maxBytes = opts.maxPayloadBytes ?? 64 * 1024;
    this.maxFuture = opts.maxFutureMs ?? 5_000;
    this.counters = { received: 0, samplesApplied: 0, samplesRejected: 0 } as IngestCounters;
    for (const o of INGEST_OUTCOMES) this.counters[o] = 0;
  }

  handle(topic: string, payload: Uint8Array, now: number): IngestOutcome {
    this.counters.received++;
    if (this.sparkplug?.owns(topic)) {
      const o: SparkplugOutcome = this.sparkplug.handle(topic, payload, now);
      this.counters[o]++;
      return o;
    }
    return this.count(topic, this.process(topic, payload, now));
  }

  /**
   * Points for a source that is not an MQTT topic (the OPC UA client): resolved once, like a topic's
   * route, then passed to handleSource with each notification.
   */
  routeFor(slots: readonly SlotTarget[]): SlotRoute {
    const indices = new Int32Array(slots.length);
    const unknown: string[] = [];
    slots.forEach((s, i) => {
      const idx = s.twin !== undefined && s.point !== undefined ? this.twin.indexOf(s.twin, s.point) : undefined;
      indices[i] = idx ?? -1;
      unknown[i] = idx === undefined ? `no point ${s.twin ?? "?"}/${s.point ?? "?"}` : "";
    });
    return { indices, unknown };
  }

  /**
   * One notification of a source that is not MQTT, counted like one message: `decode` reports its
   * samples into the same sink the topic decoders use. `source` names it in the reject log.
   */
  handleSource(source: string, route: SlotRoute, decode: (sink: SampleSink) => void, now: number): IngestOutcome {
    this.counters.received++;
    const t = this.tally;
    t.reset();
    this.now = now;
    this.route = route;
    decode(t);
    this.route = undefined;
    this.counters.samplesApplied += t.applied;
    this.counters.samplesRejected += t.errors;
    return this.count(source, t.outcome());
  }

  /** Something a source refused that carries no sample (an OPC UA monitored item): counted and logged once. */
  refuse(source: string, outcome: "unknown-node" | "item-refused", detail: string): void {
    this.counters.received++;
    this.counters[outcome]++;
    this.opts.onReject?.(outcome, source, detail);
  }

  private count(topic: string, outcome: IngestOutcome): IngestOutcome {
    // The usual outcome by name: a keyed store with a variable name costs more per message.
    if (outcome === "applied") this.counters.applied++;
    else this.counters[outcome]++;
    const t = this.tally;
    // Keep-alives, metadata and events are normal traffic: counted, not logged as rejections.
    if (outcome !== "applied" && t.detail && !QUIET.has(outcome)) this.opts.onReject?.(outcome, topic, t.detail);
    else if (outcome === "applied" && t.errorDetail)
      this.opts.onReject?.(t.error!, topic, `${t.errorDetail} (other points of this message were applied)`);
    return outcome;
  }

  private readonly resolved = new Map<string, Route[] & { nowhere?: string }>();
  private readonly tally = new MessageTally(this);
  /** Set per message for the sink callbacks. */
  now = 0;
  route: SlotRoute | undefined;

  private resolve(topic: string): (Route[] & { nowhere?: string }) | undefined {
    const matches = this.router.match(topic);
    if (matches.length === 0) return undefined;
    const routes: Route[] & { nowhere?: string } = matches.map((m) => ({
      decoder: m.decoder,
      ...this.routeFor(m.decoder.slots.map((s) => ({ twin: s.twin ?? m.twin, point: s.point ?? m.point }))),
    }));
    if (routes.every((r) => r.indices.every((i) => i < 0))) routes.nowhere = routes[0]!.unknown[0]!;
    return routes;
  }

  private process(topic: string, payload: Uint8Array, now: number): IngestOutcome {
    const t = this.tally;
    t.reset();
    // Known topics skip the pattern match and point lookups (bounded cache; unknown topics are not cached).
    let routes = this.resolved.get(topic);
    if (!routes) {
      routes = this.resolve(topic);
      if (!routes) return t.fail("unknown-topic", "no binding matches this topic");
      if (this.resolved.size >= 100_000) this.resolved.clear();
      this.resolved.set(topic, routes);
    }
    // A topic whose every binding points nowhere is refused before its payload is read.
    if (routes.nowhere) return t.fail("unknown-point", routes.nowhere);
    if (payload.byteLength > this.maxBytes)
      return t.fail("oversized", `payload of ${payload.byteLength} bytes exceeds ${this.maxBytes}`);
    let doc: unknown;
    try {
      // toString() without arguments is Node's direct UTF-8 path (no encoding lookup): measurably cheaper per message.
      const text = Buffer.isBuffer(payload)
        ? payload.toString()
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString();
      doc = JSON.parse(text);
    } catch {
      return t.fail("malformed", "payload is not valid JSON");
    }
    this.now = now;
    for (const r of routes) {
      this.route = r;
      r.decoder.decode(doc, t);
    }
    this.route = undefined;
    this.counters.samplesApplied += t.applied;
    this.counters.samplesRejected += t.errors;
    return t.outcome();
  }

  /**
   * Called by the tally for an array, object or text: a structured point keeps an array or object as JSON,
   * an Enum point takes one of its enum texts as the state's number; any other point refuses it (`detail`).
   */
  applyNonNumeric(slot: number, raw: unknown, ts: number, q: Quality, code: string, detail: string): IngestOutcome {
    const r = this.route!;
    const idx = r.indices[slot]!;
    // As for numbers, a value no point could take is refused as such before its point is looked for.
    if (idx < 0) return this.tally.reason("bad-value", detail);
    const def = this.twin.points[idx]!.def;
    const t = Number.isNaN(ts) ? this.now : ts;
    if (typeof raw === "string") {
      const n = def.enumText?.[raw];
      if (n === undefined) {
        const known = def.enumText ? ` (this point takes ${Object.keys(def.enumText).join(", ")})` : "";
        return this.tally.reason("bad-value", detail + known);
      }
      return this.applySample(slot, n, ts, q, code, false);
    }
    if (def.schema !== "structured") return this.tally.reason("bad-value", detail);
    const json = JSON.stringify(raw);
    if (json.length > MAX_STRUCTURED_CHARS)
      return this.tally.reason("bad-value", `${detail}: ${json.length} characters, more than ${MAX_STRUCTURED_CHARS}`);
    if (t > this.now + this.maxFuture)
      return this.tally.reason("future", `timestamp ${new Date(t).toISOString()} is in the future`);
    return this.twin.applyStructured(idx, json, t, q, this.now, code);
  }

  /** Called by the tally for each sample found. */
  applySample(slot: number, v: number, ts: number, q: Quality, code: string, statusOnly: boolean): IngestOutcome {
    const r = this.route!;
    const idx = r.indices[slot]!;
    if (idx < 0) return this.tally.reason("unknown-point", r.unknown[slot]!);
    const t = Number.isNaN(ts) ? this.now : ts;
    if (t > this.now + this.maxFuture)
      return this.tally.reason("future", `timestamp ${new Date(t).toISOString()} is in the future`);
    return statusOnly
      ? this.twin.applyStatus(idx, q, t, code, this.now)
      : this.twin.apply(idx, v, t, q, this.now, code);
  }
}

/** A structured point's value is kept as JSON text up to this size: the inspector shows a small table. */
export const MAX_STRUCTURED_CHARS = 4096;

/**
 * Per-message tally the decoders report into (one instance, reset per message: nothing allocated
 * on the hot path). Decides the message's one outcome and keeps the detail of the most telling reason.
 */
class MessageTally implements SampleSink {
  applied = 0;
  errors = 0;
  best: IngestOutcome | undefined;
  detail = "";
  /** The most telling sample error, for logging when the message as a whole applied. */
  error: IngestOutcome | undefined;
  errorDetail = "";

  constructor(private readonly ingest: PlantIngest) {}

  reset(): void {
    this.applied = 0;
    this.errors = 0;
    this.best = undefined;
    this.detail = "";
    this.error = undefined;
    this.errorDetail = "";
  }

  fail(o: IngestOutcome, detail: string): IngestOutcome {
    this.best = o;
    this.detail = detail;
    return o;
  }

  /** Record a reason; returns it so callers can `return tally.reason(...)`. */
  reason(o: IngestOutcome, detail: string): IngestOutcome {
    if (o === "applied") {
      this.applied++;
      return o;
    }
    if (this.best === undefined || RANK[o]! > RANK[this.best]!) {
      this.best = o;
      this.detail = detail;
    }
    if (SAMPLE_ERRORS.has(o)) {
      this.errors++;
      if (this.error === undefined || RANK[o]! > RANK[this.error]!) {
        this.error = o;
        this.errorDetail = detail;
      }
    }
    return o;
  }

  outcome(): IngestOutcome {
    if (this.applied > 0) return "applied";
    if (this.best === undefined) return this.fail("unbound", "the message carries nothing a binding selects");
    return this.best;
  }

  value(slot: number, v: number, ts: number, q: Quality, code: string): void {
    const o = this.ingest.applySample(slot, v, ts, q, code, false);
    // Applied is the common case: counted without the rank and error lookups.
    if (o === "applied") this.applied++;
    else if (!SAMPLE_ERRORS.has(o)) this.reason(o, "");
  }

  status(slot: number, q: Quality, ts: number, code: string): void {
    const o = this.ingest.applySample(slot, Number.NaN, ts, q, code, true);
    if (o === "applied" || !SAMPLE_ERRORS.has(o)) this.reason(o, "");
  }

  nonNumeric(slot: number, raw: unknown, ts: number, q: Quality, code: string, detail: string): void {
    const o = this.ingest.applyNonNumeric(slot, raw, ts, q, code, detail);
    if (o === "applied" || !SAMPLE_ERRORS.has(o)) this.reason(o, "");
  }

  reject(reason: Rejection, detail: string): void {
    this.reason(reason, detail);
  }

  note(kind: NonData, detail: string): void {
    this.reason(kind, detail);
  }
}
