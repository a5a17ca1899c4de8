/**
 * A what-if's fork of the twin: checks what a person asked against the plant's process model, reads the values the
 * change reaches at the fork instant (live: the newest values; playback: the values in force then), runs the engine
 * and reports the predicted series with their first limit crossings. Reads the twin, never writes it: the live
 * values and everything downstream of them (alarms, rules, the plant) are untouched.
 */
import type { PointDef } from "../../shared/plant.ts";
import type { ProcessLink } from "../../shared/processModel.ts";
import { WHATIF_SAMPLES } from "../../shared/protocol/whatIf.ts";
import { Quality } from "../../shared/status.ts";
import type { PlantTwin } from "../twin/PlantTwin.ts";
import { crossings, type Crossing } from "./crossings.ts";
import { faultPlan, faultWords, movedValue, type FaultAsk } from "./faultChange.ts";
import { reachedFrom, runModel } from "./runModel.ts";

/** The engine's step: one second, well below the demo's fastest time constant that matters (2 s motor ramp). */
const STEP_S = 1;
/** How far back an integrator output's current rate of change is read (a least-squares line). */
const RATE_WINDOW_MS = 60_000;

export interface WhatIfAsk extends FaultAsk {
  horizonS: number;
}

export interface PredictedSeries {
  key: string;
  twin: string;
  point: string;
  /** WHATIF_SAMPLES + 1 values, `stepS` apart, from the fork. */
  values: number[];
  first: Crossing | undefined;
  /** The predicted value at the horizon. */
  end: number;
}

export interface WhatIfPrediction {
  twin: string;
  point: string;
  was: number;
  /** The value the change sets (a drift: where it is at the horizon). */
  value: number;
  /** The fault in words ("cavitation", "drifting -20 rpm/min"), "" for a plain set. */
  fault: string;
  from: number;
  past: boolean;
  horizonS: number;
  stepS: number;
  series: PredictedSeries[];
}

export type ForkRefusal = { code: "not-found" | "invalid"; message: string };

/** Fork at `at` (a playback instant) or at the twin's newest plant time when null, apply `ask`, predict. */
export function forkAndPredict(
  twin: PlantTwin,
  links: readonly ProcessLink[],
  ask: WhatIfAsk,
  at: number | null,
): WhatIfPrediction | ForkRefusal {
  const ti = twin.twinIndex(ask.twin);
  if (ti === undefined) return { code: "not-found", message: `There is no asset "${ask.twin}".` };
  const plan = faultPlan(ask, links);
  if ("code" in plan) return plan;
  const point = plan.point;
  const key = `${ask.twin}/${point}`;
  const pi = twin.indexOf(ask.twin, point);
  if (pi === undefined) return { code: "not-found", message: `${ask.twin} has no point "${point}".` };
  const def = twin.points[pi]!.def;
  const outgoing = links.filter((l) => l.from === key);
  if (outgoing.length === 0) {
    const inputs = [...new Set(links.filter((l) => l.from.startsWith(`${ask.twin}/`)).map((l) => l.input))];
    return {
      code: "invalid",
      message:
        `The plant's process model has nothing that follows ${ask.twin} ${def.displayName}` +
        (inputs.length ? ` (on this asset a what-if can set: ${inputs.join(", ")}).` : "; a what-if cannot set it."),
    };
  }
  const lo = Math.max(...outgoing.map((l) => l.inputRange[0]));
  const hi = Math.min(...outgoing.map((l) => l.inputRange[1]));
  const move = plan.move;
  if (move.kind === "set" && (move.value < lo || move.value > hi)) {
    const unit = def.symbol ? ` ${def.symbol}` : "";
    return {
      code: "invalid",
      message: `${ask.twin} ${def.displayName} can be set between ${lo} and ${hi}${unit}, not ${move.value}${unit}.`,
    };
  }
  const from = at ?? twin.latestTs;
  const start = new Map<string, number>();
  const defs = new Map<string, PointDef>();
  for (const k of reachedFrom(links, key)) {
    const [tw, pt] = k.split("/") as [string, string];
    const i = twin.indexOf(tw, pt)!;
    const p = twin.points[i]!;
    const s = at === null ? { v: p.value, q: p.q } : twin.valueAt(i, at);
    if (!s || Number.isNaN(s.v) || s.q === Quality.BAD || (at === null && p.stale))
      return {
        code: "invalid",
        message: `${tw} ${p.def.displayName} has no good value to start from; try again when it has.`,
      };
    start.set(k, s.v);
    defs.set(k, p.def);
  }
  const rates = new Map<string, number>();
  for (const l of links) {
    if (l.kind !== "integrator" || !start.has(l.to) || rates.has(l.to)) continue;
    const [tw, pt] = l.to.split("/") as [string, string];
    const h = twin.points[twin.indexOf(tw, pt)!]!.history.range(from - RATE_WINDOW_MS, from);
    rates.set(l.to, slopePerS(h.ts, h.v));
  }
  const was = start.get(key)!;
  if (ask.fault === "cavitation" && was <= 0)
    return {
      code: "invalid",
      message: `Cavitation needs a running pump; ${ask.twin} ${def.displayName} is ${was}${def.symbol ? ` ${def.symbol}` : ""} now.`,
    };
  const range = [lo, hi] as const;
  const run = runModel({
    links,
    start,
    rates,
    change:
      move.kind === "drift"
        ? { key, value: was, perS: move.perS, range }
        : { key, value: movedValue(move, was, 0, range) },
    horizonS: ask.horizonS,
    stepS: STEP_S,
  });
  const stepS = ask.horizonS / WHATIF_SAMPLES;
  const series: PredictedSeries[] = [];
  for (const [k, full] of run.series) {
    const [tw, pt] = k.split("/") as [string, string];
    const values = Array.from({ length: WHATIF_SAMPLES + 1 }, (_, j) => full[Math.round((j * stepS) / STEP_S)]!);
    series.push({
      key: k,
      twin: tw,
      point: pt,
      values,
      first: crossings(full, STEP_S, defs.get(k)!.limits)[0],
      end: full[full.length - 1]!,
    });
  }
  return {
    twin: ask.twin,
    point,
    was,
    value: movedValue(move, was, ask.horizonS, range),
    fault: faultWords(ask, def.symbol ?? ""),
    from,
    past: at !== null,
    horizonS: ask.horizonS,
    stepS,
    series,
  };
}

/** Least-squares slope (units per second) of samples; 0 with fewer than 3. */
export function slopePerS(ts: readonly number[], v: readonly number[]): number {
  const n = ts.length;
  if (n < 3) return 0;
  let mt = 0;
  let mv = 0;
  for (let i = 0; i < n; i++) {
    mt += ts[i]!;
    mv += v[i]!;
  }
  mt /= n;
  mv /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (ts[i]! - mt) * (v[i]! - mv);
    sxx += (ts[i]! - mt) ** 2;
  }
  return sxx > 0 ? (sxy / sxx) * 1000 : 0;
}
