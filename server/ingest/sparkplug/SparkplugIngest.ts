/**
 * Sparkplug B ingest for the edge nodes a plant binds: a host-application state
 * machine per edge node (BIRTH defines metrics and aliases, DATA updates them,
 * DEATH turns their points bad, `seq` reveals lost or reordered messages).
 *
 * Every message is counted once under one outcome. One-way by default: it never
 * publishes, unless the caller passes `writesEnabled: true` and a `publish`
 * function, and then only a rate-limited rebirth request (NCMD Node Control/Rebirth)
 * when it has lost track of a node. Pure core: the clock is passed in, I/O injected.
 *
 * The topic namespace is fixed (Sparkplug 3.0, tck-id-topics-*-topic: "spBv1.0/group/..."):
 * no broker-side topic prefix is ever put in front of it, or no edge node would be found.
 * A node whose BIRTH this host missed (it started later) is "waiting for birth": its DATA
 * metrics that carry a name bound by the plant are applied all the same (docs/SPARKPLUG.md).
 */
import type { SparkplugBinding } from "../../plant/instance.ts";
import type { PlantTwin } from "../../twin/PlantTwin.ts";
import { Quality } from "../../../shared/status.ts";
import type { EdgeNodeState } from "../../../shared/protocol.ts";
import {
  decodeSparkplug,
  encodeRebirthRequest,
  metricValue,
  selfDescribedValue,
  type SpMetric,
  type SpPayload,
} from "./codec.ts";

export const SPARKPLUG_NAMESPACE = "spBv1.0";

export const SPARKPLUG_OUTCOMES = [
  "applied",
  "late",
  "duplicate",
  "too-old",
  "unknown-topic",
  "unknown-point",
  "unknown-metric",
  "oversized",
  "malformed",
  "bad-value",
  "bad-timestamp",
  "future",
  "birth",
  "death",
  "stale-death",
  "seq-gap",
  "no-birth",
  "command",
] as const;
export type SparkplugOutcome = (typeof SPARKPLUG_OUTCOMES)[number];

/** Per-metric tallies (a message carries many metrics; outcomes count messages). */
export interface SparkplugStats {
  metricsApplied: number;
  /** Not bound to any twin point (normal: nodes publish more than a plant binds). */
  metricsUnbound: number;
  /** Strings, bytes, datasets, templates, DateTime, nulls: not process values. */
  metricsNonNumeric: number;
  /** A DATA metric whose alias or name its BIRTH did not define. */
  metricsUnknown: number;
  /** Late, duplicate, too old, future or badly stamped samples. */
  metricsRejected: number;
  rebirthRequests: number;
}

export interface EdgeNodeStatus {
  group: string;
  node: string;
  state: EdgeNodeState;
  /** Server time of the last change of `state`; null while "not seen". */
  since: number | null;
  /** bdSeq of the birth in force (ties its NDEATH to it); null when unknown. */
  bdSeq: number | null;
  rebirthRequests: number;
}

export interface SparkplugIngestOptions {
  /** Largest accepted payload. Default 1 MiB: a BIRTH carries every metric of a node. */
  maxPayloadBytes?: number;
  /** Samples stamped further ahead of server time than this are rejected (MAX_FUTURE_SECONDS). Default 5 s. */
  maxFutureMs?: number;
  /**
   * Both needed before anything is published; see the module comment. `publish` returns false when the
   * message could not go out (disconnected, or held until the primary host's STATE birth): not counted as sent.
   */
  writesEnabled?: boolean;
  publish?: (topic: string, payload: Uint8Array) => boolean | void;
  /** At most one rebirth request per edge node per this interval. Default 10 s. */
  rebirthIntervalMs?: number;
  /** Called for each message worth a log line (the caller rate-limits logging). */
  onReject?: (outcome: SparkplugOutcome, topic: string, detail: string) => void;
  log?: (msg: string) => void;
}

const MESSAGE_TYPES = new Set(["NBIRTH", "NDATA", "NDEATH", "DBIRTH", "DDATA", "DDEATH", "NCMD", "DCMD"]);
const MIN_TS = 946_684_800_000; // 2000-01-01
const MAX_TS = 7_258_118_400_000; // 2200-01-01

/** How a scope (the node itself, "" , or one device) maps metric names to points. */
interface ScopeBinding {
  /** Explicit metric name -> point index (undefined: the plant has no such point). */
  map: Map<string, number | undefined>;
  /** metric: "{twin}/{point}" */
  template: boolean;
}

interface MetricDef {
  name: string;
  datatype: number | undefined;
  point: number | undefined;
}

interface Birth {
  byName: Map<string, MetricDef>;
  byAlias: Map<number, MetricDef>;
}

interface NodeState {
  readonly group: string;
  readonly node: string;
  /** Bound scopes: "" is the node's own metrics, otherwise a device name. */
  readonly scopes: Map<string, ScopeBinding>;
  /** Points each scope's births have touched, so a DEATH can turn them bad. */
  readonly touched: Map<string, Set<number>>;
  /** Scopes whose BIRTH is in force. Cleared by NBIRTH (devices must re-birth) and NDEATH. */
  readonly births: Map<string, Birth>;
  alive: boolean;
  bdSeq: number | undefined;
  seq: number | undefined;
  lastRebirthAt: number;
  state: EdgeNodeState;
  since: number | null;
  rebirths: number;
  /** Gemba lost the broker while the node was online: what it sent meanwhile is lost, so ask for a birth. */
  resync: boolean;
}

type Result = { outcome: SparkplugOutcome; detail?: string };

/** When no metric of a DATA message applied, the message counts under the most telling reason. */
const PRIORITY: SparkplugOutcome[] = [
  "unknown-metric",
  "bad-value",
  "bad-timestamp",
  "future",
  "too-old",
  "late",
  "duplicate",
  "unknown-point",
];

export class SparkplugIngest {
  readonly counters: Record<SparkplugOutcome, number> & { received: number };
  readonly stats: SparkplugStats = {
    metricsApplied: 0,
    metricsUnbound: 0,
    metricsNonNumeric: 0,
    metricsUnknown: 0,
    metricsRejected: 0,
    rebirthRequests: 0,
  };
  readonly filters: string[];
  private readonly nodes = new Map<string, NodeState>();
  private readonly root = `${SPARKPLUG_NAMESPACE}/`;
  private readonly maxBytes: number;
  private readonly maxFuture: number;
  private readonly rebirthMs: number;

  constructor(
    private readonly twin: PlantTwin,
    bindings: readonly SparkplugBinding[],
    private readonly opts: SparkplugIngestOptions = {},
  ) {
    this.maxBytes = opts.maxPayloadBytes ?? 1024 * 1024;
    this.maxFuture = opts.maxFutureMs ?? 5_000;
    this.rebirthMs = opts.rebirthIntervalMs ?? 10_000;
    this.counters = { received: 0 } as Record<SparkplugOutcome, number> & { received: number };
    for (const o of SPARKPLUG_OUTCOMES) this.counters[o] = 0;

    for (const b of bindings) {
      const key = `${b.group}/${b.node}`;
      let n = this.nodes.get(key);
      if (!n) {
        n = {
          group: b.group,
          node: b.node,
          scopes: new Map(),
          touched: new Map(),
          births: new Map(),
          alive: false,
          bdSeq: undefined,
          seq: undefined,
          lastRebirthAt: Number.NEGATIVE_INFINITY,
          state: "not seen",
          since: null,
          rebirths: 0,
          resync: false,
        };
        this.nodes.set(key, n);
      }
      const scopeKey = b.device ?? "";
      let s = n.scopes.get(scopeKey);
      if (!s) {
        s = { map: new Map(), template: false };
        n.scopes.set(scopeKey, s);
        n.touched.set(scopeKey, new Set());
      }
      if (b.metric !== undefined) s.template = true;
      for (const [metric, target] of Object.entries(b.metrics ?? {})) {
        const slash = target.indexOf("/");
        s.map.set(metric, this.twin.indexOf(target.slice(0, slash), target.slice(slash + 1)));
      }
    }
    // One filter per edge node: `#` also matches the parent level, so this covers the node's own
    // topics and all its devices. Seq runs across all of them, so unbound devices are needed too.
    this.filters = [...this.nodes.values()].map((n) => `${this.root}${n.group}/+/${n.node}/#`);
  }

  /** Bumped whenever an edge node's state changes: rooms copy nodeStatus() only then. */
  nodeChanges = 0;

  /** Every bound edge node and what this host knows of it (for /healthz and the plant status). */
  nodeStatus(): EdgeNodeStatus[] {
    return [...this.nodes.values()].map((n) => ({
      group: n.group,
      node: n.node,
      state: n.state,
      since: n.since,
      bdSeq: n.bdSeq ?? null,
      rebirthRequests: n.rebirths,
    }));
  }

  /**
   * Gemba's own connection to the broker dropped. Whatever the nodes published meanwhile (changes, even
   * their NDEATH) is lost, so their values are no longer known to be current: Sparkplug 3.0 has a host
   * mark them STALE (chapter 5, host session establishment); Gemba marks them bad, as for an NDEATH.
   * DATA after the reconnect applies as before; with writes on, each node's next message asks for a
   * rebirth so every value is refreshed. Returns how many online nodes were affected.
   */
  connectionLost(now: number): number {
    let affected = 0;
    for (const n of this.nodes.values()) {
      // A node waiting for its birth may have had named values applied: they are just as uncertain now.
      if (!n.alive && n.state !== "waiting for birth") continue;
      affected++;
      n.resync = true;
      for (const scope of n.scopes.keys()) this.markBad(n, scope, now);
    }
    return affected;
  }

  /** True for topics in this ingest's Sparkplug namespace (bound or not). */
  owns(topic: string): boolean {
    return topic.startsWith(this.root);
  }

  handle(topic: string, payload: Uint8Array, now: number): SparkplugOutcome {
    this.counters.received++;
    const out = this.process(topic, payload, now);
    this.counters[out.outcome]++;
    if (out.detail) this.opts.onReject?.(out.outcome, topic, out.detail);
    return out.outcome;
  }

  private process(topic: string, payload: Uint8Array, now: number): Result {
    if (!this.owns(topic)) return { outcome: "unknown-topic", detail: "not a Sparkplug B topic" };
    const parts = topic.slice(this.root.length).split("/");
    const [group, type, node, device] = parts;
    if (!group || !type || !node || !MESSAGE_TYPES.has(type)) {
      return { outcome: "unknown-topic", detail: "not a Sparkplug B message topic" };
    }
    const n = this.nodes.get(`${group}/${node}`);
    if (!n) return { outcome: "unknown-topic" };
    if (parts.length !== (type.startsWith("D") ? 4 : 3)) {
      return { outcome: "unknown-topic", detail: `a ${type} topic has the wrong number of levels` };
    }
    if (type === "NCMD" || type === "DCMD") return { outcome: "command" };
    if (payload.byteLength > this.maxBytes) {
      return { outcome: "oversized", detail: `payload of ${payload.byteLength} bytes exceeds ${this.maxBytes}` };
    }
    const d = decodeSparkplug(payload);
    if (!d.ok) return { outcome: "malformed", detail: d.detail };
    const p = d.payload;
    if (p.seq !== undefined && (p.seq < 0 || p.seq > 255)) {
      return { outcome: "malformed", detail: `seq ${p.seq} is outside 0..255` };
    }
    switch (type) {
      case "NBIRTH":
        return this.nodeBirth(n, p, now);
      case "NDEATH":
        return this.nodeDeath(n, p, now);
      case "NDATA":
        return this.data(n, "", p, now);
      case "DBIRTH":
        return this.deviceBirth(n, device!, p, now);
      case "DDATA":
        return this.data(n, device!, p, now);
      default:
        return this.deviceDeath(n, device!, p, now);
    }
  }

  private nodeBirth(n: NodeState, p: SpPayload, now: number): Result {
    n.alive = true;
    n.resync = false;
    this.setState(n, "online", now);
    n.seq = p.seq;
    n.bdSeq = bdSeqOf(p);
    n.births.clear(); // a new NBIRTH invalidates every device's BIRTH too
    if (n.scopes.has("")) this.birth(n, "", p, now);
    return { outcome: "birth" };
  }

  private deviceBirth(n: NodeState, device: string, p: SpPayload, now: number): Result {
    if (!n.alive) return this.noBirth(n, now, `DBIRTH for ${device} before its node's NBIRTH`);
    const gap = this.checkSeq(n, p, now);
    if (!n.scopes.has(device)) return gap ?? { outcome: "unknown-topic" };
    this.birth(n, device, p, now);
    return gap ?? { outcome: "birth" };
  }

  private nodeDeath(n: NodeState, p: SpPayload, now: number): Result {
    const bdSeq = bdSeqOf(p);
    // The broker delivers an NDEATH (the will message) of an older session after a newer NBIRTH when a node
    // reconnects quickly; bdSeq ties each death to its birth, so only the matching one may kill the node.
    if (n.bdSeq !== undefined && bdSeq !== undefined && bdSeq !== n.bdSeq) {
      return {
        outcome: "stale-death",
        detail: `NDEATH of ${n.group}/${n.node} with bdSeq ${bdSeq} ignored: the current birth has bdSeq ${n.bdSeq}`,
      };
    }
    n.alive = false;
    n.births.clear();
    this.setState(n, "offline", now);
    // The broker sends the NDEATH (the node's will) whenever it notices, so its timestamp is not when the node
    // went away: Sparkplug 3.0 has the host use its own receive time (...-ndeath-node-tags-stale).
    for (const scope of n.scopes.keys()) this.markBad(n, scope, now);
    return { outcome: "death" };
  }

  private deviceDeath(n: NodeState, device: string, p: SpPayload, now: number): Result {
    const gap = n.alive ? this.checkSeq(n, p, now) : undefined;
    if (!n.scopes.has(device)) return gap ?? { outcome: "unknown-topic" };
    n.births.delete(device);
    this.markBad(n, device, p.timestamp ?? now);
    return gap ?? { outcome: "death" };
  }

  private data(n: NodeState, scope: string, p: SpPayload, now: number): Result {
    const what = scope ? `DDATA for ${scope}` : "NDATA";
    if (!n.alive) {
      const missed = this.noBirth(n, now, `${what} from ${n.group}/${n.node} before its NBIRTH`);
      return this.applyUnborn(n, scope, p, now) ?? missed;
    }
    if (n.resync) this.requestRebirth(n, now, "Gemba reconnected to the broker");
    const gap = this.checkSeq(n, p, now);
    if (!n.scopes.has(scope)) return gap ?? { outcome: "unknown-topic" };
    const birth = n.births.get(scope);
    if (!birth) {
      const missed = this.noBirth(n, now, `${what} from ${n.group}/${n.node} before its DBIRTH`);
      const unborn = this.applyUnborn(n, scope, p, now);
      return gap ?? unborn ?? missed;
    }
    const out = this.applyMetrics(n, scope, birth, p, "data", now);
    if (out.outcome === "unknown-metric") this.requestRebirth(n, now, "unknown metric alias");
    return gap ?? out;
  }

  /** Define the scope's metrics from a BIRTH and apply its values, which restores good quality. */
  private birth(n: NodeState, scope: string, p: SpPayload, now: number): void {
    const sb = n.scopes.get(scope)!;
    const birth: Birth = { byName: new Map(), byAlias: new Map() };
    for (const m of p.metrics) {
      if (m.name === undefined) continue; // a BIRTH metric without a name defines nothing
      const def: MetricDef = { name: m.name, datatype: m.datatype, point: this.resolve(sb, m.name) };
      birth.byName.set(m.name, def);
      if (m.alias !== undefined) birth.byAlias.set(m.alias, def);
      if (def.point !== undefined) n.touched.get(scope)!.add(def.point);
    }
    n.births.set(scope, birth);
    this.applyMetrics(n, scope, birth, p, "birth", now);
  }

  /**
   * DATA from a scope whose BIRTH this host has not seen: aliases mean nothing yet, but a metric that
   * carries its name (Sparkplug allows names in DATA when a node uses no aliases) is the same metric the
   * BIRTH would define, so a bound name is applied. Returns undefined when nothing applied.
   */
  private applyUnborn(n: NodeState, scope: string, p: SpPayload, now: number): Result | undefined {
    const sb = n.scopes.get(scope);
    if (!sb) return undefined;
    const adHoc: Birth = { byName: new Map(), byAlias: new Map() };
    for (const m of p.metrics) {
      if (m.name === undefined) continue;
      const def: MetricDef = { name: m.name, datatype: m.datatype, point: this.resolve(sb, m.name) };
      adHoc.byName.set(m.name, def);
      if (def.point !== undefined) n.touched.get(scope)!.add(def.point);
    }
    if (adHoc.byName.size === 0) return undefined;
    const out = this.applyMetrics(n, scope, adHoc, p, "unborn", now);
    return out.outcome === "applied" ? out : undefined;
  }

  private resolve(sb: ScopeBinding, name: string): number | undefined {
    if (sb.map.has(name)) return sb.map.get(name);
    if (!sb.template) return undefined;
    const parts = name.split("/");
    return parts.length === 2 ? this.twin.indexOf(parts[0]!, parts[1]!) : undefined;
  }

  private applyMetrics(
    n: NodeState,
    scope: string,
    birth: Birth,
    p: SpPayload,
    kind: "birth" | "data" | "unborn",
    now: number,
  ): Result {
    const isBirth = kind === "birth";
    let applied = false;
    let worst: Result | undefined;
    const note = (r: Result) => {
      if (!worst || PRIORITY.indexOf(r.outcome) < PRIORITY.indexOf(worst.outcome)) worst = r;
    };
    for (const m of p.metrics) {
      const def = lookup(birth, m);
      if (!def) {
        this.stats.metricsUnknown++;
        note({
          outcome: "unknown-metric",
          detail: `metric ${m.alias !== undefined ? `alias ${m.alias}` : `"${m.name}"`} of ${n.group}/${n.node}${scope ? `/${scope}` : ""} is not in its BIRTH`,
        });
        continue;
      }
      if (def.point === undefined) {
        this.stats.metricsUnbound++;
        note({ outcome: "unknown-point" });
        continue;
      }
      const v = kind === "unborn" ? selfDescribedValue(m) : metricValue(m, m.datatype ?? def.datatype);
      if (!v.ok) {
        this.stats.metricsNonNumeric++;
        note({ outcome: "bad-value", detail: `metric "${def.name}" ${v.detail}` });
        continue;
      }
      const ts = m.timestamp ?? p.timestamp ?? now;
      if (ts < MIN_TS || ts > MAX_TS) {
        this.stats.metricsRejected++;
        note({ outcome: "bad-timestamp", detail: `metric "${def.name}" has timestamp ${ts}, not a valid time` });
        continue;
      }
      if (ts > now + this.maxFuture) {
        this.stats.metricsRejected++;
        note({ outcome: "future", detail: `metric "${def.name}" is stamped ${new Date(ts).toISOString()}` });
        continue;
      }
      const r = this.twin.apply(def.point, v.value, ts, Quality.GOOD, now);
      if (r === "applied") {
        this.stats.metricsApplied++;
        applied = true;
      } else {
        this.stats.metricsRejected++;
        // The node is alive and vouches for this value even if we hold a newer one.
        if (isBirth) this.twin.setQuality(def.point, Quality.GOOD, now);
        note({ outcome: r });
      }
    }
    if (applied) return { outcome: "applied" };
    return worst ?? { outcome: "unknown-point" };
  }

  private markBad(n: NodeState, scope: string, ts: number): void {
    const sb = n.scopes.get(scope);
    if (!sb) return;
    const points = new Set(n.touched.get(scope));
    for (const i of sb.map.values()) if (i !== undefined) points.add(i);
    for (const i of points) this.twin.setQuality(i, Quality.BAD, ts);
  }

  /** Returns a seq-gap result when `seq` does not follow the node's previous message. */
  private checkSeq(n: NodeState, p: SpPayload, now: number): Result | undefined {
    if (p.seq === undefined) return undefined; // lenient: some edge nodes omit it; nothing to compare
    const prev = n.seq;
    n.seq = p.seq;
    if (prev === undefined || p.seq === (prev + 1) % 256) return undefined;
    this.requestRebirth(n, now, "seq gap");
    return {
      outcome: "seq-gap",
      detail: `${n.group}/${n.node} sent seq ${p.seq} after ${prev} (messages lost or reordered)`,
    };
  }

  private noBirth(n: NodeState, now: number, detail: string): Result {
    if (!n.alive) this.setState(n, "waiting for birth", now);
    this.requestRebirth(n, now, "data before birth");
    return { outcome: "no-birth", detail };
  }

  private setState(n: NodeState, state: EdgeNodeState, now: number): void {
    if (n.state === state) return;
    n.state = state;
    n.since = now;
    this.nodeChanges++;
  }

  private requestRebirth(n: NodeState, now: number, why: string): void {
    const publish = this.opts.publish;
    if (this.opts.writesEnabled !== true || !publish) return;
    if (now - n.lastRebirthAt < this.rebirthMs) return;
    try {
      // A request that did not go out leaves the rate window open: the node's next message asks again.
      if (publish(`${this.root}${n.group}/NCMD/${n.node}`, encodeRebirthRequest(now)) === false) return;
      n.lastRebirthAt = now;
      n.resync = false;
      this.stats.rebirthRequests++;
      n.rebirths++;
      this.opts.log?.(`Sparkplug: asked ${n.group}/${n.node} to rebirth (${why})`);
    } catch (e) {
      n.lastRebirthAt = now; // a refusal would repeat on every message: one log line per window is enough
      this.opts.log?.(`Sparkplug: could not ask ${n.group}/${n.node} to rebirth: ${(e as Error).message}`);
    }
  }
}

function bdSeqOf(p: SpPayload): number | undefined {
  const m = p.metrics.find((x) => x.name === "bdSeq");
  if (!m || typeof m.raw === "boolean") return undefined;
  const v = metricValue(m, m.datatype ?? 8);
  return v.ok ? v.value : undefined;
}

function lookup(birth: Birth, m: SpMetric): MetricDef | undefined {
  if (m.alias !== undefined) {
    const d = birth.byAlias.get(m.alias);
    if (d) return d;
  }
  return m.name !== undefined ? birth.byName.get(m.name) : undefined;
}
