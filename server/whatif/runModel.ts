/**
 * The what-if engine: runs the plant's process model (shared/processModel.ts) forward from a fork of the twin's
 * values, after one change, faster than real time. Pure: no clock, no I/O, no twin; values in, series out.
 *
 * The model is linear in deviations from the fork: every point starts where it was and moves only by what the
 * change causes through the declared links, and everything the model does not know about keeps doing what it did
 * (an integrator output, a tank level, keeps its current rate of change). Each link is advanced exactly for a
 * held input over one step (zero-order hold), so a step change reproduces the analytic first-order response at
 * every step: y(t) = y0 + K·Δu·(1 − e^(−(t−θ)/τ)) for t ≥ θ. Dead time is rounded to whole steps.
 */
import type { ProcessLink } from "../../shared/processModel.ts";

export interface ModelRunInput {
  links: readonly ProcessLink[];
  /** Every point's value at the fork, by "twin/point" key (points the change reaches must be present). */
  start: ReadonlyMap<string, number>;
  /** Current rate of change (units per second) of integrator outputs; 0 when absent. */
  rates?: ReadonlyMap<string, number>;
  /**
   * The point a person sets, and its new value (held for the whole run); with `perS`, a drift: it moves that much
   * per second from `value`, and stops at the ends of `range`.
   */
  change: { key: string; value: number; perS?: number; range?: readonly [number, number] };
  horizonS: number;
  stepS: number;
}

export interface ModelRunResult {
  stepS: number;
  /** Per affected point: values at 0, stepS, 2·stepS, … horizonS (index 0 is the fork, before the change moves anything downstream). */
  series: Map<string, Float64Array>;
}

interface Node {
  key: string;
  start: number;
  lo: number;
  hi: number;
  /** Deviation from start, by step. */
  dev: Float64Array;
  /** Links into this node, in declaration order. */
  inputs: LinkState[];
  /** Integrated deviation (integrator links and the node's own rate). */
  acc: number;
  rate: number;
  /** Whether the node integrates (an integrator link or a rate of its own): only then is there an integral to stop. */
  integrates: boolean;
}

interface LinkState {
  link: ProcessLink;
  from: Node;
  delay: number;
  /** First-order factor for one step; 1 when the output follows at once. */
  alpha: number;
  x: number;
}

/** The points a change of `key` reaches through `links` (itself included), upstream first. */
export function reachedFrom(links: readonly ProcessLink[], key: string): string[] {
  const next = new Map<string, string[]>();
  for (const l of links) next.set(l.from, [...(next.get(l.from) ?? []), l.to]);
  const reached = new Set<string>([key]);
  const queue = [key];
  while (queue.length) {
    for (const to of next.get(queue.shift()!) ?? []) {
      if (reached.has(to)) continue;
      reached.add(to);
      queue.push(to);
    }
  }
  // Kahn's order over the reached part (validateDynamics guarantees there is no loop).
  const indeg = new Map<string, number>([...reached].map((k) => [k, 0]));
  for (const l of links)
    if (reached.has(l.from) && reached.has(l.to) && l.to !== key) indeg.set(l.to, indeg.get(l.to)! + 1);
  const order: string[] = [];
  const ready = [...reached].filter((k) => indeg.get(k) === 0);
  while (ready.length) {
    const k = ready.shift()!;
    order.push(k);
    for (const to of next.get(k) ?? []) {
      if (!reached.has(to) || to === key) continue;
      indeg.set(to, indeg.get(to)! - 1);
      if (indeg.get(to) === 0) ready.push(to);
    }
  }
  return order;
}

export function runModel(input: ModelRunInput): ModelRunResult {
  const { links, start, change, stepS } = input;
  const steps = Math.max(1, Math.round(input.horizonS / stepS));
  const order = reachedFrom(links, change.key);
  const nodes = new Map<string, Node>();
  for (const key of order) {
    const s = start.get(key);
    if (s === undefined || !Number.isFinite(s)) throw new Error(`no value at the fork for ${key}`);
    nodes.set(key, {
      key,
      start: s,
      lo: -Infinity,
      hi: Infinity,
      dev: new Float64Array(steps + 1),
      inputs: [],
      acc: 0,
      rate: input.rates?.get(key) ?? 0,
      integrates: (input.rates?.get(key) ?? 0) !== 0,
    });
  }
  for (const l of links) {
    const to = nodes.get(l.to);
    const from = nodes.get(l.from);
    if (!to || !from || l.to === change.key) continue; // the changed point is held where the person set it
    if (l.outputRange) {
      to.lo = Math.max(to.lo, l.outputRange[0]);
      to.hi = Math.min(to.hi, l.outputRange[1]);
    }
    const alpha = l.kind === "lag" && l.timeConstant > 0 ? 1 - Math.exp(-stepS / l.timeConstant) : 1;
    if (l.kind === "integrator") to.integrates = true;
    to.inputs.push({ link: l, from, delay: Math.round(l.deadTime / stepS), alpha, x: 0 });
  }
  const changed = nodes.get(change.key)!;
  const [lo, hi] = change.range ?? [-Infinity, Infinity];
  for (let k = 0; k <= steps; k++)
    changed.dev[k] = Math.min(hi, Math.max(lo, change.value + (change.perS ?? 0) * k * stepS)) - changed.start;

  for (let k = 1; k <= steps; k++) {
    for (const key of order) {
      const n = nodes.get(key)!;
      if (n === changed) continue;
      let lag = 0;
      n.acc += n.rate * stepS;
      for (const s of n.inputs) {
        if (s.link.kind === "integrator") {
          // Over [t(k-1), t(k)) the input held its value of step k-1-delay.
          const j = k - 1 - s.delay;
          n.acc += s.link.gain * (j >= 0 ? s.from.dev[j]! : 0) * stepS;
        } else if (s.alpha === 1) {
          // Follows at once: this step's (already computed, upstream first) input, delayed.
          const j = k - s.delay;
          s.x = s.link.gain * (j >= 0 ? s.from.dev[j]! : 0);
        } else {
          const j = k - 1 - s.delay;
          s.x += (s.link.gain * (j >= 0 ? s.from.dev[j]! : 0) - s.x) * s.alpha;
        }
        if (s.link.kind !== "integrator") lag += s.x;
      }
      // Limits: a tank stops at full, a flow at the pump's nominal. The integral stops there too (no wind-up).
      const abs = n.start + n.acc + lag;
      if (n.integrates && abs > n.hi) n.acc -= abs - n.hi;
      else if (n.integrates && abs < n.lo) n.acc += n.lo - abs;
      n.dev[k] = Math.min(n.hi, Math.max(n.lo, n.start + n.acc + lag)) - n.start;
    }
  }
  const series = new Map<string, Float64Array>();
  for (const n of nodes.values())
    series.set(
      n.key,
      n.dev.map((d) => n.start + d),
    );
  return { stepS, series };
}
