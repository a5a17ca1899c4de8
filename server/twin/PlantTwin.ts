/**
 * The plant's working memory: the current value of every point in context (limits,
 * quality, age, staleness), a bounded history per point, and an asset status per
 * twin. One instance per plant per server process; every room on the plant reads it.
 * Pure: the clock is injected, nothing here does I/O.
 */
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import { pointKey } from "../../shared/plant.ts";
import { AssetStatus, combineStatus, Quality, Severity } from "../../shared/status.ts";
import { PointHistory } from "./PointHistory.ts";
import { CoarseHistory } from "./CoarseHistory.ts";

export interface PointSlot {
  readonly key: string;
  readonly twin: number;
  readonly def: PointDef;
  /** NaN until the first sample. */
  value: number;
  ts: number;
  q: Quality;
  /** The source's own quality code (e.g. "0x80310000 BadNoCommunication"), "" when it sent none. */
  code: string;
  /** A structured point's (DTDL Map/Array) last value as JSON text, "" until one arrives; numeric points keep "". */
  json: string;
  /** Source time of the latest status-only report (a Bad without a value), 0 when none. */
  statusTs: number;
  /** Server time of the last accepted sample (for staleness), 0 when never. */
  receivedAt: number;
  stale: boolean;
  severity: Severity;
  readonly history: PointHistory;
  readonly coarse: CoarseHistory;
}

export interface TwinSlot {
  readonly id: string;
  readonly points: number[];
  status: AssetStatus;
}

export type ApplyResult = "applied" | "late" | "duplicate" | "too-old";

export interface TwinListener {
  /** A point's current value, quality or staleness changed. */
  point(index: number): void;
  /** A twin's asset status changed. */
  status(twinIndex: number): void;
}

export interface PlantTwinOptions {
  /** How far back full-rate history reaches. Default 30 minutes. */
  horizonMs?: number;
  /** A point is stale after this many expected periods without an update. Default 3. */
  stalePeriods?: number;
  /** How far back the reduced-resolution tier reaches. Default 12 hours. */
  coarseHorizonMs?: number;
  /** Bucket width of the reduced-resolution tier. Default 1 minute. */
  coarseBucketMs?: number;
}

/** contribution(): the point says nothing about its twin, or makes it unknown; else its severity (>= 0). */
const SILENT = -2;
const UNKNOWN = -1;
const UNSEEN = -3;

/** What one point gives its twin's asset status. */
function contribution(p: PointSlot): number {
  // A DTDL Property nobody has bound yet (a rated power, a serial number) says nothing about the asset's health.
  if (p.receivedAt === 0 && p.def.kind === "property") return SILENT;
  if (p.receivedAt === 0 || p.stale || p.q === Quality.BAD) return UNKNOWN;
  return p.severity;
}

export class PlantTwin {
  readonly points: PointSlot[] = [];
  readonly twins: TwinSlot[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly twinByKey = new Map<string, number>();
  /** An array, copied on (un)subscribe: iterating it per sample costs no iterator object, and a listener may unsubscribe mid-loop. */
  private listeners: readonly TwinListener[] = [];
  /**
   * What each point last gave its twin's status (contribution()), as seen by the last refreshStatus of that twin;
   * UNSEEN until then. A sample that leaves it unchanged cannot change the twin's status, so the refresh is skipped.
   */
  private readonly contrib: Int8Array;
  /**
   * Each point's limits as numbers (lowAlarm, lowWarning, highWarning, highAlarm; ±Infinity when not set), 4 per point.
   * Reading them from the limits objects, whose shapes differ from point to point, was measured as the larger part of
   * apply(); the comparisons are those of severityOf (shared/status.ts), which a unit test holds them to.
   */
  private readonly limits: Float64Array;
  readonly horizonMs: number;
  readonly coarseHorizonMs: number;
  /** Plant time: the newest source timestamp accepted so far (rules run on this clock, so replays and catch-up are exact). */
  latestTs = 0;
  private readonly stalePeriods: number;

  constructor(
    readonly model: PlantModel,
    opts: PlantTwinOptions = {},
  ) {
    this.horizonMs = opts.horizonMs ?? 30 * 60_000;
    this.stalePeriods = opts.stalePeriods ?? 3;
    const bucketMs = opts.coarseBucketMs ?? 60_000;
    const buckets = Math.max(2, Math.ceil((opts.coarseHorizonMs ?? 12 * 3600_000) / bucketMs));
    this.coarseHorizonMs = buckets * bucketMs;
    const types = new Map(model.types.map((t) => [t.id, t]));
    let count = 0;
    for (const tw of model.twins) count += types.get(tw.type)?.points.length ?? 0;
    this.contrib = new Int8Array(count).fill(UNSEEN);
    this.limits = new Float64Array(count * 4);
    for (const tw of model.twins) {
      const ti = this.twins.length;
      const slot: TwinSlot = { id: tw.id, points: [], status: AssetStatus.UNKNOWN };
      this.twins.push(slot);
      this.twinByKey.set(tw.id, ti);
      for (const def of types.get(tw.type)?.points ?? []) {
        const key = pointKey(tw.id, def.name);
        const cap = Math.max(16, Math.ceil((this.horizonMs / 1000 / def.period) * 1.25));
        const l = def.limits ?? {};
        this.limits.set(
          [l.lowAlarm ?? -Infinity, l.lowWarning ?? -Infinity, l.highWarning ?? Infinity, l.highAlarm ?? Infinity],
          this.points.length * 4,
        );
        this.byKey.set(key, this.points.length);
        slot.points.push(this.points.length);
        this.points.push({
          key,
          twin: ti,
          def,
          value: Number.NaN,
          ts: 0,
          q: Quality.GOOD,
          code: "",
          json: "",
          statusTs: 0,
          receivedAt: 0,
          stale: false,
          severity: Severity.NORMAL,
          history: new PointHistory(cap),
          coarse: new CoarseHistory(buckets, bucketMs),
        });
      }
    }
  }

  indexOf(twin: string, point: string): number | undefined {
    return this.byKey.get(pointKey(twin, point));
  }

  twinIndex(twin: string): number | undefined {
    return this.twinByKey.get(twin);
  }

  subscribe(l: TwinListener): () => void {
    if (!this.listeners.includes(l)) this.listeners = [...this.listeners, l];
    return () => {
      this.listeners = this.listeners.filter((x) => x !== l);
    };
  }

  /**
   * Apply one sample. A sample older than the current value goes to history only
   * ("late"), so out-of-order delivery never rolls the current value back.
   */
  apply(index: number, value: number, ts: number, q: Quality, now: number, code = ""): ApplyResult {
    const p = this.points[index]!;
    if (p.receivedAt !== 0 && ts === p.ts && value === p.value && q === p.q) return "duplicate";
    const kept = p.history.add(ts, value, q);
    if (q !== Quality.BAD) p.coarse.add(ts, value);
    // Older than the current value, or than a later status report: history only.
    if (p.receivedAt !== 0 && (ts < p.ts || ts < p.statusTs)) return kept ? "late" : "too-old";
    p.value = value;
    p.ts = ts;
    p.severity = this.severityAt(index, value);
    return this.commit(index, q, code, ts, now);
  }

  /** severityOf(value, limits of point `index`), from the limits kept as numbers. */
  severityAt(index: number, value: number): Severity {
    const l = this.limits;
    const o = index * 4;
    if (value <= l[o]! || value >= l[o + 3]!) return Severity.ALARM;
    if (value <= l[o + 1]! || value >= l[o + 2]!) return Severity.WARNING;
    return Severity.NORMAL;
  }

  /**
   * A value for a structured point (a DTDL Map or Array): kept as JSON text for the inspector's table, with its
   * time and quality; no history or limits (they are for numbers). Ordered by source time like values.
   */
  applyStructured(index: number, json: string, ts: number, q: Quality, now: number, code = ""): ApplyResult {
    const p = this.points[index]!;
    if (p.receivedAt !== 0 && (ts < p.ts || ts < p.statusTs)) return "late";
    if (p.receivedAt !== 0 && ts === p.ts && json === p.json && q === p.q) return "duplicate";
    p.json = json;
    p.ts = ts;
    return this.commit(index, q, code, ts, now);
  }

  /** The end of every accepted report: quality, code, freshness, plant time, listeners, asset status. */
  private commit(index: number, q: Quality, code: string, ts: number, now: number): ApplyResult {
    const p = this.points[index]!;
    p.q = q;
    p.code = code;
    p.receivedAt = now;
    p.stale = false;
    if (ts > this.latestTs) this.latestTs = ts;
    const ls = this.listeners;
    for (let k = 0; k < ls.length; k++) ls[k]!.point(index);
    if (contribution(p) !== this.contrib[index]) this.refreshStatus(p.twin);
    return "applied";
  }

  /**
   * A source reported a status without a value (OPC UA Bad… with no Value, a UNS {"quality":"BAD"}):
   * the point takes that quality and keeps its last value as last-known (value and `ts` unchanged,
   * so its age shows how old it is). Ordered by source time like values.
   */
  applyStatus(index: number, q: Quality, ts: number, code: string, now: number): ApplyResult {
    const p = this.points[index]!;
    if (p.receivedAt !== 0 && (ts < p.ts || ts < p.statusTs)) return "late";
    if (p.receivedAt !== 0 && ts === p.statusTs && q === p.q && code === p.code) return "duplicate";
    p.statusTs = ts;
    if (!Number.isNaN(p.value)) p.history.add(ts, p.value, q);
    return this.commit(index, q, code, ts, now);
  }

  /** Set the quality of a point without a new value (e.g. its source died). */
  setQuality(index: number, q: Quality, ts: number): void {
    const p = this.points[index]!;
    if (p.q === q) return;
    p.q = q;
    if (!Number.isNaN(p.value)) p.history.add(Math.max(ts, p.ts), p.value, q);
    for (const l of this.listeners) l.point(index);
    this.refreshStatus(p.twin);
  }

  /** Mark points stale that have been silent for `stalePeriods` periods. Returns how many turned stale. */
  checkStale(now: number): number {
    let n = 0;
    for (let i = 0; i < this.points.length; i++) {
      const p = this.points[i]!;
      if (p.stale || p.receivedAt === 0) continue;
      if (now - p.receivedAt > p.def.period * 1000 * this.stalePeriods) {
        p.stale = true;
        n++;
        for (const l of this.listeners) l.point(i);
        this.refreshStatus(p.twin);
      }
    }
    return n;
  }

  private refreshStatus(ti: number): void {
    const t = this.twins[ti]!;
    let worst: Severity = Severity.NORMAL;
    let unknown = false;
    for (const i of t.points) {
      const c = contribution(this.points[i]!);
      this.contrib[i] = c;
      if (c === UNKNOWN) unknown = true;
      else if (c > worst) worst = c as Severity;
    }
    const s = combineStatus(worst, unknown);
    if (s !== t.status) {
      t.status = s;
      for (const l of this.listeners) l.status(ti);
    }
  }

  /**
   * The value in force at time t for one point: from full-rate history when t is
   * inside it, else from the reduced-resolution tier; undefined past both horizons.
   */
  valueAt(index: number, t: number): { ts: number; v: number; q: number } | undefined {
    const p = this.points[index]!;
    const oldest = p.history.oldest;
    if (oldest !== undefined && t >= oldest) return p.history.at(t);
    const c = p.coarse.at(t);
    return c ? { ...c, q: Quality.UNCERTAIN } : undefined;
  }

  /** Samples of one point in [t0, t1], at most `max`, full-rate where held, reduced resolution before that. */
  rangeOf(
    index: number,
    t0: number,
    t1: number,
    max: number,
  ): { ts: number[]; v: number[]; resolution: "full" | "mixed" | "coarse" } {
    const p = this.points[index]!;
    const fineFrom = p.history.oldest ?? Infinity;
    if (t0 >= fineFrom) return { ...p.history.range(t0, t1, max), resolution: "full" };
    const coarse = p.coarse.range(t0, Math.min(t1, fineFrom));
    if (t1 < fineFrom) return { ts: coarse.ts, v: coarse.v, resolution: "coarse" };
    const fine = p.history.range(fineFrom, t1, Math.max(2, max - coarse.ts.length));
    return { ts: [...coarse.ts, ...fine.ts], v: [...coarse.v, ...fine.v], resolution: "mixed" };
  }

  /** Bytes held by both history tiers (reported in /healthz). */
  memoryBytes(): number {
    return this.points.reduce((n, p) => n + p.history.bytes + p.coarse.bytes, 0);
  }
}
