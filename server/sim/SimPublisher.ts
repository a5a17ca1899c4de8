/**
 * Thin adapter from the pure PlantSimulator to a publish function (an MQTT
 * client's publish in the server; a spy in tests). It keeps simulated time on
 * wall time: each tick steps the simulator until it has caught up with
 * `clock.now()`, at most `maxStepsPerTick` steps, and drops a backlog larger
 * than that (after a suspend or a long GC pause) instead of bursting it out.
 * Payloads are JSON `{"v": <number>, "ts": <ms epoch>, "q": "good"}`.
 */
import type { PlantSimulator, SimSample } from "./PlantSimulator.ts";

export interface SimClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface SimPublisherOptions {
  topicFor(twin: string, point: string): string;
  clock?: SimClock;
  /** Most simulator steps one tick may run (default 20, i.e. 5 s of plant time at 250 ms steps). */
  maxStepsPerTick?: number;
  /** Tick interval in ms (default: the simulator's step). */
  tickMs?: number;
  /** Called when publish throws or its promise rejects (default: ignored; see `errors`). */
  onError?: (err: unknown) => void;
}

const systemClock: SimClock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export class SimPublisher {
  /** Samples handed to `publish`. */
  published = 0;
  /** Ticks run. */
  ticks = 0;
  /** Publish calls that threw or rejected. */
  errors = 0;
  /** Simulated milliseconds dropped to catch up with wall time. */
  skippedMs = 0;

  private readonly clock: SimClock;
  private readonly maxSteps: number;
  private readonly tickMs: number;
  private handle: unknown = null;
  private readonly sim: PlantSimulator;
  private readonly publish: (topic: string, payload: string) => void | Promise<void>;
  private readonly opts: SimPublisherOptions;

  constructor(
    sim: PlantSimulator,
    publish: (topic: string, payload: string) => void | Promise<void>,
    opts: SimPublisherOptions,
  ) {
    this.sim = sim;
    this.publish = publish;
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.maxSteps = Math.max(1, Math.floor(opts.maxStepsPerTick ?? 20));
    this.tickMs = Math.max(1, opts.tickMs ?? sim.stepMs);
  }

  get running(): boolean {
    return this.handle !== null;
  }

  /** Start ticking. A simulator that starts in the past jumps to the clock's now (real-time mode). */
  start(): void {
    if (this.handle !== null) return;
    const now = this.clock.now();
    if (this.sim.now < now - this.sim.stepMs) {
      this.skippedMs += now - this.sim.now;
      this.sim.skipTo(now);
    }
    this.handle = this.clock.setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.handle === null) return;
    this.clock.clearInterval(this.handle);
    this.handle = null;
  }

  /** One tick: step up to the clock (bounded), publish what falls due. Returns the number of samples published. */
  tick(): number {
    this.ticks++;
    const now = this.clock.now();
    const step = this.sim.stepMs;
    let behind = Math.floor((now - this.sim.now) / step);
    if (behind > this.maxSteps) {
      const before = this.sim.now;
      this.sim.skipTo(now - this.maxSteps * step);
      this.skippedMs += this.sim.now - before;
      behind = Math.floor((now - this.sim.now) / step);
    }
    let n = 0;
    for (let i = 0; i < Math.min(behind, this.maxSteps); i++) {
      for (const s of this.sim.step()) if (this.send(s)) n++;
    }
    return n;
  }

  private send(s: SimSample): boolean {
    if (!Number.isFinite(s.value)) return false;
    const payload = JSON.stringify({ v: s.value, ts: s.ts, q: "good" });
    this.published++;
    try {
      const r = this.publish(this.opts.topicFor(s.twin, s.point), payload);
      if (r instanceof Promise) r.then(undefined, (e: unknown) => this.fail(e));
    } catch (e) {
      this.fail(e);
    }
    return true;
  }

  private fail(e: unknown): void {
    this.errors++;
    this.opts.onError?.(e);
  }
}
