/**
 * Ingest for one plant: topic -> binding -> decoded sample -> working memory.
 * JSON topics go through the TopicRouter; Sparkplug B topics (spBv1.0/...) go to
 * the SparkplugIngest. Every message is counted exactly once, under `applied`,
 * a Sparkplug state change, or the reason it was not applied, so counters always
 * add up to what was received.
 * Pure core: the MQTT connection hands messages in; the clock is passed in.
 */
import { isJsonBinding, type Binding, type SparkplugBinding } from "../plant/instance.ts";
import type { PlantTwin } from "../twin/PlantTwin.ts";
import { decodeJson, type JsonMapping } from "./decodeJson.ts";
import { SparkplugIngest, type SparkplugOutcome } from "./sparkplug/SparkplugIngest.ts";
import { TopicRouter } from "./TopicRouter.ts";

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
  // Sparkplug B (server/ingest/sparkplug): see SPARKPLUG_OUTCOMES.
  "unknown-metric",
  "birth",
  "death",
  "stale-death",
  "seq-gap",
  "no-birth",
  "command",
] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

export interface IngestOptions {
  /** Prepended to every JSON binding topic (isolates tests and multi-tenant brokers); never to spBv1.0. */
  topicPrefix?: string;
  /** Largest accepted payload. Default 64 KiB. */
  maxPayloadBytes?: number;
  /** Samples stamped further ahead of server time than this are rejected. Default 5 minutes. */
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
  readonly counters: Record<IngestOutcome, number> & { received: number };
  readonly filters: readonly string[];
  private readonly maxBytes: number;
  private readonly maxFuture: number;

  constructor(
    private readonly twin: PlantTwin,
    bindings: readonly Binding[],
    private readonly opts: IngestOptions = {},
  ) {
    this.router = new TopicRouter(bindings.filter(isJsonBinding), opts.topicPrefix ?? "");
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
    this.maxFuture = opts.maxFutureMs ?? 5 * 60_000;
    this.counters = { received: 0 } as Record<IngestOutcome, number> & { received: number };
    for (const o of INGEST_OUTCOMES) this.counters[o] = 0;
  }

  handle(topic: string, payload: Uint8Array, now: number): IngestOutcome {
    this.counters.received++;
    if (this.sparkplug?.owns(topic)) {
      const o: SparkplugOutcome = this.sparkplug.handle(topic, payload, now);
      this.counters[o]++;
      return o;
    }
    const out = this.process(topic, payload, now);
    this.counters[out.outcome]++;
    if (out.outcome !== "applied" && out.detail) this.opts.onReject?.(out.outcome, topic, out.detail);
    return out.outcome;
  }

  private readonly resolved = new Map<string, { index: number; mapping: JsonMapping }>();

  private process(topic: string, payload: Uint8Array, now: number): { outcome: IngestOutcome; detail?: string } {
    // Known topics skip the regex match and key building (bounded cache; unknown topics are not cached).
    let hit = this.resolved.get(topic);
    if (!hit) {
      const route = this.router.match(topic);
      if (!route) return { outcome: "unknown-topic", detail: "no binding matches this topic" };
      const index = this.twin.indexOf(route.twin, route.point);
      if (index === undefined) return { outcome: "unknown-point", detail: `no point ${route.twin}/${route.point}` };
      hit = { index, mapping: route.mapping };
      if (this.resolved.size >= 100_000) this.resolved.clear();
      this.resolved.set(topic, hit);
    }
    const { index } = hit;
    const d = decodeJson(payload, hit.mapping, this.maxBytes);
    if (!d.ok) return { outcome: d.reason, detail: d.detail };
    const ts = d.ts ?? now;
    if (ts > now + this.maxFuture)
      return { outcome: "future", detail: `timestamp ${new Date(ts).toISOString()} is in the future` };
    return { outcome: this.twin.apply(index, d.value, ts, d.q, now) };
  }
}
