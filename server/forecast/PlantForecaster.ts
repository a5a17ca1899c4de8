/**
 * Forecasts for a whole plant from its working memory: every few seconds, each numeric telemetry point that has
 * an alarm limit gets a Holt forecast of its recent history; a twin whose point will confidently reach an alarm
 * limit within the horizon carries a warning ("reaches HIGH 85 °C in ~12 min"). The inspector also asks for the
 * forecast curve of any numeric point (`curve`).
 *
 * Pure: time is passed in (plant time, the newest source timestamp, as the rules use), nothing here does I/O.
 * A warning is raised only after `confirm` consecutive confident evaluations and dropped at the first one that is
 * not, so one noisy step neither raises nor (for long) holds it.
 */
import type { PointDef } from "../../shared/plant.ts";
import { Quality } from "../../shared/status.ts";
import type { PlantTwin, PointSlot } from "../twin/PlantTwin.ts";
import { fitHolt, holtMean, holtSpread, type HoltFit } from "./holt.ts";
import { lineCrossing, oneJump } from "./lineCheck.ts";
import { resample } from "./resample.ts";
import { confidentCrossing, type AlarmSide } from "./timeToLimit.ts";

export interface ForecastOptions {
  /** Resampling step. Default 5 s. */
  stepMs?: number;
  /** History used, in steps. Default 120 (10 minutes at 5 s). */
  windowSteps?: number;
  /** How far ahead a limit crossing is looked for, in steps. Default 180 (15 minutes at 5 s). */
  horizonSteps?: number;
  /** Band half-width in standard deviations. Default 1.645 (a 90 % two-sided band). */
  z?: number;
  /** Consecutive confident evaluations before a warning shows. Default 2. */
  confirm?: number;
  /** Fewest resampled steps a fit needs. Default 24 (2 minutes at 5 s). */
  minSteps?: number;
  /**
   * How far back the point's usual range is read (reduced-resolution history, before the fit window). A warning
   * needs the value to have left that range: a tank that fills and drains between its controller's switch points,
   * or a label roll that is replaced every half hour, heads for a limit by the same straight line on every cycle and
   * never reaches it. Default 60 minutes; 0 turns the check off.
   */
  usualMs?: number;
  /**
   * Least history the usual range needs, else no warning (a server that just started does not know what is usual).
   * Default a third of usualMs (20 minutes).
   */
  usualMinMs?: number;
  /**
   * Fewest steps of the least-squares second opinion (lineCheck.ts); it looks back further for a crossing further
   * ahead. Default 8 (40 s at 5 s); 0 turns it off.
   */
  lineSteps?: number;
}

/** A twin's soonest confident alarm-limit crossing. */
export interface AlarmForecast {
  twin: string;
  /** Point name (DTDL content name). */
  point: string;
  limit: AlarmSide;
  /** The limit's value. */
  value: number;
  /** Plant time when the mean forecast reaches the limit. */
  at: number;
  /** Plant time of the evaluation. */
  from: number;
}

export interface ForecastCurve {
  /** Time of the first forecast step (from + stepMs). */
  start: number;
  stepMs: number;
  mean: number[];
  lo: number[];
  hi: number[];
}

export type ForecastListener = (twinIndex: number, warning: AlarmForecast | undefined) => void;

/** How far past its usual range (as a share of that range's width) a value must be before it may warn. */
const USUAL_MARGIN = 0.25;

const NUMERIC = new Set<PointDef["schema"]>(["double", "float", "integer", "long"]);

/** Whether a point is forecast at all: a number that varies (not an enumerated state), with an alarm limit. */
export function forecastable(def: PointDef): boolean {
  return (
    def.kind === "telemetry" &&
    NUMERIC.has(def.schema) &&
    !def.states &&
    (def.limits?.highAlarm !== undefined || def.limits?.lowAlarm !== undefined)
  );
}

export class PlantForecaster {
  readonly stepMs: number;
  readonly windowSteps: number;
  readonly horizonSteps: number;
  private readonly z: number;
  private readonly confirm: number;
  private readonly minSteps: number;
  private readonly lineSteps: number;
  private readonly usualMs: number;
  private readonly usualMinMs: number;
  private readonly candidates: number[] = [];
  /** Per point: consecutive confident evaluations so far. */
  private readonly streak: Uint16Array;
  /** Per point: its confirmed crossing time (plant ms), 0 when none. */
  private readonly crossAt: Float64Array;
  private readonly crossSide: Uint8Array;
  private readonly warnings = new Map<number, AlarmForecast>();
  private readonly listeners = new Set<ForecastListener>();
  private readonly series: Float64Array;
  private readonly counts: Uint32Array;
  private readonly spread: Float64Array;
  /** Fits made by `tick` so far (for cost measurements). */
  fits = 0;

  constructor(
    private readonly twin: PlantTwin,
    opts: ForecastOptions = {},
  ) {
    this.stepMs = opts.stepMs ?? 5000;
    this.windowSteps = opts.windowSteps ?? 120;
    this.horizonSteps = opts.horizonSteps ?? 180;
    this.z = opts.z ?? 1.645;
    this.confirm = Math.max(1, opts.confirm ?? 2);
    this.minSteps = opts.minSteps ?? 24;
    this.lineSteps = opts.lineSteps ?? 8;
    this.usualMs = opts.usualMs ?? 60 * 60_000;
    this.usualMinMs = opts.usualMinMs ?? this.usualMs / 3;
    twin.points.forEach((p, i) => {
      if (forecastable(p.def)) this.candidates.push(i);
    });
    this.streak = new Uint16Array(twin.points.length);
    this.crossAt = new Float64Array(twin.points.length);
    this.crossSide = new Uint8Array(twin.points.length);
    this.series = new Float64Array(this.windowSteps);
    this.counts = new Uint32Array(this.windowSteps);
    this.spread = new Float64Array(Math.max(this.horizonSteps, 1));
  }

  /** How many points are forecast on each tick. */
  get pointCount(): number {
    return this.candidates.length;
  }

  subscribe(l: ForecastListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Current warnings by twin index. */
  get current(): ReadonlyMap<number, AlarmForecast> {
    return this.warnings;
  }

  /** Evaluate every candidate point at plant time `now` and update the per-twin warnings. */
  tick(now: number): void {
    const touched = new Set<number>();
    for (const i of this.candidates) {
      const p = this.twin.points[i]!;
      const before = this.crossAt[i]!;
      const c = this.usable(p) ? this.crossing(p, now) : undefined;
      if (c) {
        this.streak[i] = Math.min(65535, this.streak[i]! + 1);
        if (this.streak[i] >= this.confirm) {
          this.crossAt[i] = c.at;
          this.crossSide[i] = c.limit === "highAlarm" ? 1 : 2;
        }
      } else {
        this.streak[i] = 0;
        this.crossAt[i] = 0;
      }
      if (before !== this.crossAt[i]) touched.add(p.twin);
    }
    for (const ti of touched) this.refreshTwin(ti, now);
  }

  private usable(p: PointSlot): boolean {
    return p.receivedAt !== 0 && !p.stale && p.q !== Quality.BAD && !Number.isNaN(p.value);
  }

  /** Resample into this.series and fit; this.seriesN says how many values the series holds. */
  private fit(p: PointSlot, now: number): HoltFit | undefined {
    const r = resample(p.history, now, this.stepMs, this.windowSteps, this.series, this.counts);
    this.seriesN = r.n;
    if (r.n < this.minSteps) return undefined;
    this.fits++;
    return fitHolt(this.series, r.n);
  }

  private seriesN = 0;

  private crossing(p: PointSlot, now: number): { limit: AlarmSide; at: number } | undefined {
    const f = this.fit(p, now);
    if (!f) return undefined;
    holtSpread(f, this.horizonSteps, this.spread);
    const c = confidentCrossing(f, p.value, p.def.limits, this.spread, this.horizonSteps, this.z);
    if (!c) return undefined;
    const up = c.limit === "highAlarm";
    let steps = c.steps;
    if (this.lineSteps > 0) {
      // The line looks back about half as far as the crossing lies ahead: 40 s for a crossing a minute away (a fast
      // fault, where an older part of the window would still be flat), minutes for one a quarter of an hour away
      // (a slow drift, whose change over 40 s is lost in the noise).
      const k = Math.max(this.lineSteps, Math.min(this.windowSteps, Math.round(c.steps / 2)));
      const within = Math.min(this.horizonSteps, 2 * c.steps + 6);
      const line = lineCrossing(this.series, this.seriesN, k, c.value, up, within, this.z);
      if (line === undefined || oneJump(this.series, this.seriesN, k)) return undefined;
      steps = Math.min(steps, line);
    }
    if (this.usualMs > 0 && !this.leftUsualRange(p, now, up)) return undefined;
    return { limit: c.limit, at: now + steps * this.stepMs };
  }

  /** Whether the latest value is clearly beyond everything the point did in the usual-range period (see usualMs). */
  private leftUsualRange(p: PointSlot, now: number, up: boolean): boolean {
    const to = now - this.windowSteps * this.stepMs;
    const from = now - this.usualMs;
    if (to - from < this.usualMinMs) return true;
    const r = p.coarse.range(from, to);
    if (r.ts.length === 0 || r.ts[0]! - p.coarse.bucketMs / 2 > to - this.usualMinMs) return false;
    const hi = Math.max(...r.max);
    const lo = Math.min(...r.min);
    // Beyond by a quarter of the range's own width: a level whose lowest point wanders a little from cycle to cycle
    // (35 %, then 37 %, then 34 %) is not news; a vibration that sat within ±0.2 mm/s and climbs is, almost at once.
    const margin = USUAL_MARGIN * (hi - lo);
    return up ? p.value > hi + margin : p.value < lo - margin;
  }

  private refreshTwin(ti: number, now: number): void {
    const t = this.twin.twins[ti]!;
    let best = -1;
    for (const i of t.points) {
      const at = this.crossAt[i]!;
      if (at > 0 && (best < 0 || at < this.crossAt[best]!)) best = i;
    }
    const old = this.warnings.get(ti);
    let w: AlarmForecast | undefined;
    if (best >= 0) {
      const p = this.twin.points[best]!;
      const limit: AlarmSide = this.crossSide[best] === 1 ? "highAlarm" : "lowAlarm";
      w = { twin: t.id, point: p.def.name, limit, value: p.def.limits![limit]!, at: this.crossAt[best]!, from: now };
      this.warnings.set(ti, w);
    } else if (old) this.warnings.delete(ti);
    if (w || old) for (const l of this.listeners) l(ti, w);
  }

  /**
   * The forecast of one numeric point from plant time `now`: mean and band over `steps` steps, or undefined when
   * the point has too little good history (or is not a number). Any numeric point, with or without limits.
   */
  curve(index: number, now: number, steps = this.horizonSteps): ForecastCurve | undefined {
    const p = this.twin.points[index];
    if (!p || !NUMERIC.has(p.def.schema) || p.def.states || !this.usable(p)) return undefined;
    const f = this.fit(p, now);
    if (!f) return undefined;
    const n = Math.max(1, Math.min(steps, this.spread.length));
    holtSpread(f, n, this.spread);
    const out: ForecastCurve = { start: now + this.stepMs, stepMs: this.stepMs, mean: [], lo: [], hi: [] };
    for (let h = 1; h <= n; h++) {
      const m = holtMean(f, h);
      const d = this.z * this.spread[h - 1]!;
      out.mean.push(m);
      out.lo.push(m - d);
      out.hi.push(m + d);
    }
    return out;
  }
}
