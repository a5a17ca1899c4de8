/**
 * The plant simulator: determinism, publish cadence, a green plant in normal
 * running, mass balance, every fault's signature and recovery, errors, the
 * real-time publisher and the fault CLI. Simulated time only, no sleeps.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import { Severity, severityOf } from "../../shared/status.ts";
import { loadPlantDir } from "../../server/plant/loadPlant.ts";
import { PlantSimulator, SimError, type FaultName, type SimSample } from "../../server/sim/PlantSimulator.ts";
import { SimPublisher, type SimClock } from "../../server/sim/SimPublisher.ts";
import { runCli } from "../../server/sim/cli.ts";

const DEMO_DIR = path.resolve(import.meta.dirname, "../../assets/plants/demo");
const START = Date.UTC(2025, 0, 6, 8, 0, 0);

/** The demo through the real loader. The simulator needs no scene, so load a copy with a placeholder GLB
 *  rather than depend on `npm run plant:scene` having run. */
async function loadDemo(): Promise<PlantModel> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "gemba-sim-test-"));
  try {
    await fs.cp(path.join(DEMO_DIR, "plant.json"), path.join(dir, "plant.json"));
    await fs.cp(path.join(DEMO_DIR, "models"), path.join(dir, "models"), { recursive: true });
    await fs.writeFile(path.join(dir, "scene.glb"), "");
    return (await loadPlantDir(dir)).model;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** k copies of the plant, ids suffixed "-k2", "-k3"… (copy 1 keeps its ids), relationships within each copy. */
function replicate(model: PlantModel, k: number): PlantModel {
  const sfx = (i: number, id: string): string => (i === 1 ? id : `${id}-k${i}`);
  const twins: PlantModel["twins"] = [];
  const relationships: PlantModel["relationships"] = [];
  for (let i = 1; i <= k; i++) {
    for (const t of model.twins)
      twins.push({
        ...t,
        id: sfx(i, t.id),
        name: `${t.name} ${i}`,
        node: sfx(i, t.node),
        parent: t.parent && sfx(i, t.parent),
      });
    for (const r of model.relationships)
      relationships.push({ ...r, source: sfx(i, r.source), target: sfx(i, r.target) });
  }
  return { ...model, twins, relationships };
}

let model: PlantModel;
let defs: Map<string, PointDef>;
beforeAll(async () => {
  model = await loadDemo();
  defs = pointDefs(model);
});

function pointDefs(m: PlantModel): Map<string, PointDef> {
  const types = new Map(m.types.map((t) => [t.id, t]));
  const out = new Map<string, PointDef>();
  for (const tw of m.twins)
    for (const p of types.get(tw.type)?.points ?? []) if (p.kind === "telemetry") out.set(`${tw.id}/${p.name}`, p);
  return out;
}

const sim = (seed = 42, m: PlantModel = model, stepMs?: number): PlantSimulator =>
  new PlantSimulator(m, stepMs === undefined ? { seed, startTime: START } : { seed, startTime: START, stepMs });

/** Step for `seconds` of simulated time; return all samples. */
function run(s: PlantSimulator, seconds: number): SimSample[] {
  const out: SimSample[] = [];
  const steps = Math.round((seconds * 1000) / s.stepMs);
  for (let i = 0; i < steps; i++) for (const x of s.step()) out.push(x);
  return out;
}

/** Step until pred holds on the snapshot (checked every step); return the seconds it took, or Infinity. */
function until(s: PlantSimulator, maxSeconds: number, pred: (v: (key: string) => number) => boolean): number {
  const t0 = s.now;
  while (s.now - t0 < maxSeconds * 1000) {
    s.step();
    const snap = s.snapshot();
    if (pred((k) => snap.get(k) ?? Number.NaN)) return (s.now - t0) / 1000;
  }
  return Number.POSITIVE_INFINITY;
}

function sev(key: string, value: number): Severity {
  return severityOf(value, defs.get(key)?.limits);
}

/** Keys of a twin's points currently outside normal. */
function abnormal(s: PlantSimulator, twin: string): string[] {
  return [...s.snapshot()]
    .filter(([k, v]) => k.startsWith(`${twin}/`) && sev(k, v) !== Severity.NORMAL)
    .map(([k, v]) => `${k}=${v}`);
}

describe("PlantSimulator: determinism and cadence", () => {
  it("gives identical samples for the same seed and different ones for another seed", () => {
    const a = run(sim(7), 60);
    const b = run(sim(7), 60);
    const c = run(sim(8), 60);
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(c.map((x) => x.value)).not.toEqual(a.map((x) => x.value));
  });

  it("publishes every telemetry point of every twin within its period, stamped with simulated time", () => {
    const s = sim();
    const seen = new Map<string, number[]>();
    for (const x of run(s, 60)) {
      const k = `${x.twin}/${x.point}`;
      const list = seen.get(k) ?? [];
      list.push(x.ts);
      seen.set(k, list);
      expect(x.ts).toBeGreaterThan(START);
      expect(x.ts).toBeLessThanOrEqual(START + 60_000);
      expect(Number.isFinite(x.value)).toBe(true);
    }
    expect([...seen.keys()].sort()).toEqual([...defs.keys()].sort());
    for (const [k, ts] of seen) {
      const period = defs.get(k)!.period * 1000;
      expect(ts[0]! - START, k).toBeLessThanOrEqual(period);
      for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!, k).toBeLessThanOrEqual(period);
    }
    // Phases spread the load: not every 1 s point fires in the same step.
    const firstStep = sim().step().length;
    expect(firstStep).toBeLessThan(defs.size / 2);
  });

  it("publishes integer points as integers", () => {
    const integerKeys = [...defs].filter(([, d]) => d.schema === "integer").map(([k]) => k);
    // The demo plant has integer points (counters, states); without them this test would prove nothing.
    expect(integerKeys.length).toBeGreaterThan(0);
    const samples = run(sim(), 60).filter((x) => integerKeys.includes(`${x.twin}/${x.point}`));
    // Every integer point was published in the minute (each period is at most 60 s, see the cadence test)…
    expect(new Set(samples.map((x) => `${x.twin}/${x.point}`))).toEqual(new Set(integerKeys));
    // …and none of them carried a fraction.
    expect(samples.filter((x) => !Number.isInteger(x.value)).map((x) => `${x.twin}/${x.point}=${x.value}`)).toEqual([]);
  });
});

describe("PlantSimulator: normal running", () => {
  it("stays green for 2 simulated hours: no point in warning or alarm, tank levels between 10 and 90 %", () => {
    const s = sim(3);
    const bad = new Map<string, string>();
    const levels = { min: 100, max: 0 };
    const steps = (2 * 3600 * 1000) / s.stepMs;
    for (let i = 0; i < steps; i++) {
      for (const x of s.step()) {
        const k = `${x.twin}/${x.point}`;
        if (!bad.has(k) && sev(k, x.value) !== Severity.NORMAL) bad.set(k, `${x.value} at ${(x.ts - START) / 1000}s`);
        if (x.point === "level" && x.twin.startsWith("T")) {
          levels.min = Math.min(levels.min, x.value);
          levels.max = Math.max(levels.max, x.value);
        }
      }
    }
    expect(Object.fromEntries(bad)).toEqual({});
    expect(levels.min).toBeGreaterThan(10);
    expect(levels.max).toBeLessThan(90);
    // The plant produces: both lines filled bottles and made pallets.
    const snap = s.snapshot();
    expect(snap.get("FL1/count")).toBeGreaterThan(2 * 3600 * 5);
    expect(snap.get("PZ2/pallets")).toBeGreaterThan(50);
    expect(s.activeFaults()).toEqual([]);
  });

  it("runs a 10× replicated plant (ids like P101-k2) green as well", () => {
    const big = replicate(model, 10);
    const bigDefs = pointDefs(big);
    const s = sim(5, big);
    const seen = new Set<string>();
    const bad: string[] = [];
    for (const x of run(s, 600)) {
      const k = `${x.twin}/${x.point}`;
      seen.add(k);
      if (severityOf(x.value, bigDefs.get(k)?.limits) !== Severity.NORMAL) bad.push(`${k}=${x.value}`);
    }
    expect(bad).toEqual([]);
    expect(seen.size).toBe(bigDefs.size);
    expect(s.snapshot().get("FL2-k10/state")).toBe(1);
    expect(() => s.injectFault("cavitation", "P401-k3")).not.toThrow();
  });

  it("integrates tank volume from its flows, and the level rises while it is filled with the outlet closed", () => {
    const s = sim(11);
    // Find a moment where the blend tank T201 is filled by its raw-material pumps while P201 (its outlet) is stopped.
    const waited = until(s, 3600, (v) => v("T201/inflow") > 5 && v("T201/outflow") === 0 && v("P201/running") === 0);
    expect(waited).toBeLessThan(3600);
    const before = s.snapshot();
    let integrated = 0;
    for (let i = 0; i < 40; i++) {
      s.step();
      const v = s.snapshot();
      integrated += ((v.get("T201/inflow")! - v.get("T201/outflow")!) * s.stepMs) / 1000;
    }
    const after = s.snapshot();
    const dv = after.get("T201/volume")! - before.get("T201/volume")!;
    expect(dv).toBeGreaterThan(100);
    expect(Math.abs(dv - integrated)).toBeLessThan(5);
    expect(after.get("T201/level")!).toBeGreaterThan(before.get("T201/level")! + 1);
    expect(after.get("T201/level")! / 100).toBeCloseTo(after.get("T201/volume")! / 6000, 3);
    // Mass balance holds for every tank over a longer stretch too.
    for (const tank of ["T101", "T102", "T103", "T201", "T301", "T302"]) {
      const s2 = sim(12);
      const v0 = s2.snapshot().get(`${tank}/volume`)!;
      let net = 0;
      for (let i = 0; i < 1200; i++) {
        s2.step();
        const v = s2.snapshot();
        net += ((v.get(`${tank}/inflow`)! - v.get(`${tank}/outflow`)!) * s2.stepMs) / 1000;
      }
      expect(Math.abs(s2.snapshot().get(`${tank}/volume`)! - v0 - net), tank).toBeLessThan(20);
    }
  });
});

describe("PlantSimulator: faults", () => {
  it("cavitation: flow falls 30–50 %, suction below lowAlarm, current up and noisy, vibration above highWarning within 20 s; clears", () => {
    const s = sim();
    const base = run(s, 30).filter((x) => x.twin === "P401");
    const avg = (xs: SimSample[], p: string): number => {
      const v = xs.filter((x) => x.point === p).map((x) => x.value);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    const flow0 = avg(base, "flow");
    const current0 = avg(base, "current");
    s.injectFault("cavitation", "P401");
    expect(s.activeFaults()).toEqual([{ name: "cavitation", target: "P401", since: s.now }]);
    run(s, 20);
    const during = run(s, 20).filter((x) => x.twin === "P401");
    expect(avg(during, "flow") / flow0).toBeGreaterThan(0.5);
    expect(avg(during, "flow") / flow0).toBeLessThan(0.7);
    for (const x of during.filter((y) => y.point === "suctionPressure"))
      expect(sev("P401/suctionPressure", x.value)).toBe(Severity.ALARM);
    for (const x of during.filter((y) => y.point === "vibration")) expect(x.value).toBeGreaterThan(4.5);
    expect(avg(during, "current")).toBeGreaterThan(current0 + 1.5);
    const cur = during.filter((x) => x.point === "current").map((x) => x.value);
    expect(Math.max(...cur) - Math.min(...cur)).toBeGreaterThan(1);
    expect(s.clearFault("cavitation", "P401")).toBe(1);
    expect(until(s, 120, () => abnormal(s, "P401").length === 0)).toBeLessThan(30);
    run(s, 20);
    expect(s.snapshot().get("P401/flow")! / flow0).toBeGreaterThan(0.97);
  });

  it("bearing-wear: vibration above highAlarm within 2 min, bearing temperature above highAlarm about a minute later; clears", () => {
    const s = sim();
    run(s, 10);
    s.injectFault("bearing-wear", "P401");
    const tVib = until(s, 180, (v) => v("P401/vibration") >= 7.1);
    expect(tVib).toBeGreaterThan(45);
    expect(tVib).toBeLessThan(120);
    const tTemp = until(s, 180, (v) => v("P401/bearingTemperature") >= 85);
    expect(tTemp).toBeGreaterThan(30);
    expect(tTemp).toBeLessThan(100);
    expect(s.snapshot().get("P401/vibration")!).toBeGreaterThan(7.1);
    expect(s.clearFault()).toBe(1);
    expect(until(s, 120, () => abnormal(s, "P401").length === 0)).toBeLessThan(60);
  });

  it("a slowed fault develops that many times slower: bearing wear ×20 reaches the vibration alarm in ~25 min, not ~75 s", () => {
    const fast = sim();
    run(fast, 10);
    fast.injectFault("bearing-wear", "P401");
    const tFast = until(fast, 180, (v) => v("P401/vibration") >= 7.1);
    const slow = sim();
    run(slow, 10);
    slow.injectFault("bearing-wear", "P401", 20);
    const tSlow = until(slow, 3600, (v) => v("P401/vibration") >= 7.1);
    expect(tSlow / tFast).toBeGreaterThan(15);
    expect(tSlow / tFast).toBeLessThan(25);
    // Cavitation ×30: suction pressure still above its alarm after 20 s (the catalogued onset is ~10 s).
    const cav = sim();
    run(cav, 10);
    cav.injectFault("cavitation", "P401", 30);
    expect(until(cav, 20, (v) => v("P401/suctionPressure") <= 0.15)).toBe(Number.POSITIVE_INFINITY);
    expect(until(cav, 600, (v) => v("P401/suctionPressure") <= 0.15)).toBeLessThan(600);
  });

  it("stuck-valve: position freezes and diverges from the command within 10 s; clears", () => {
    const s = sim();
    run(s, 10);
    const pos0 = s.snapshot().get("XV311/position")!;
    const cycles0 = s.snapshot().get("XV311/cycles")!;
    s.injectFault("stuck-valve", "XV311");
    const t = until(s, 10, (v) => Math.abs(v("XV311/position") - v("XV311/command")) >= 20);
    expect(t).toBeLessThan(10);
    run(s, 30);
    const v = s.snapshot();
    expect(Math.abs(v.get("XV311/position")! - pos0)).toBeLessThan(0.5);
    expect(Math.abs(v.get("XV311/position")! - v.get("XV311/command")!)).toBeGreaterThanOrEqual(20);
    expect(v.get("XV311/cycles")!).toBe(cycles0 + 1);
    s.clearFault("stuck-valve");
    expect(until(s, 30, (w) => Math.abs(w("XV311/position") - w("XV311/command")) < 1)).toBeLessThan(15);
  });

  it("flatline: the point repeats exactly the same value; a twin target means its first label point; clears", () => {
    const s = sim();
    run(s, 5);
    s.injectFault("flatline", "P301/flow");
    s.injectFault("flatline", "T101");
    expect(s.activeFaults().map((f) => f.target)).toEqual(["P301/flow", "T101/level"]);
    const samples = run(s, 30);
    const values = (k: string): number[] => samples.filter((x) => `${x.twin}/${x.point}` === k).map((x) => x.value);
    expect(values("P301/flow").length).toBeGreaterThanOrEqual(29);
    expect(new Set(values("P301/flow")).size).toBe(1);
    expect(new Set(values("T101/level")).size).toBe(1);
    expect(new Set(values("P302/flow")).size).toBeGreaterThan(5);
    expect(s.clearFault("flatline", "T101")).toBe(1);
    expect(s.clearFault(undefined, "P301")).toBe(1);
    const later = run(s, 10).filter((x) => x.twin === "P301" && x.point === "flow");
    expect(new Set(later.map((x) => x.value)).size).toBeGreaterThan(3);
  });

  it("line-jam on a filler jams its discharge conveyor: speed 0, state 4, accumulation to 100 %, filler blocked and not counting; clears", () => {
    const s = sim();
    run(s, 10);
    s.injectFault("line-jam", "FL1");
    expect(s.activeFaults().map((f) => f.target)).toEqual(["CV12"]);
    run(s, 1);
    expect(s.snapshot().get("CV12/speed")).toBe(0);
    expect(s.snapshot().get("CV12/state")).toBe(4);
    const tBlocked = until(s, 60, (v) => v("FL1/state") === 3);
    expect(tBlocked).toBeLessThan(40);
    run(s, 5);
    const a = s.snapshot();
    expect(a.get("CV12/accumulation")!).toBeGreaterThanOrEqual(95);
    run(s, 10);
    const b = s.snapshot();
    expect(b.get("FL1/count")).toBe(a.get("FL1/count"));
    expect(b.get("FL1/speed")).toBe(0);
    expect(b.get("FL2/state")).toBe(1); // the other line is unaffected
    expect(s.clearFault("line-jam", "FL1")).toBe(1);
    expect(
      until(
        s,
        120,
        (v) =>
          v("FL1/state") === 1 && v("CV12/state") === 1 && abnormal(s, "CV12").length === 0 && v("FL1/speed") > 300,
      ),
    ).toBeLessThan(60);
    const c = s.snapshot().get("FL1/count")!;
    run(s, 5);
    expect(s.snapshot().get("FL1/count")!).toBeGreaterThan(c + 20);
  });

  it("line-jam further down the line backs bottles up to the filler", () => {
    const s = sim();
    s.injectFault("line-jam", "CV13");
    expect(until(s, 90, (v) => v("FL1/state") === 3)).toBeLessThan(75);
    const v = s.snapshot();
    expect(v.get("CV13/accumulation")!).toBeGreaterThanOrEqual(95);
    expect(v.get("CV12/accumulation")!).toBeGreaterThanOrEqual(95);
    expect(v.get("LB1/state")).toBe(3);
    expect(v.get("CV14/state")).toBe(2);
  });

  it("rejects unknown faults, unknown twins, wrong types and unknown points with a SimError sentence", () => {
    const s = sim();
    const err = (f: () => void): SimError => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(SimError);
        return e as SimError;
      }
      throw new Error("expected a SimError");
    };
    const e1 = err(() => s.injectFault("overheat" as FaultName, "P101"));
    expect(e1.code).toBe("unknown-fault");
    expect(e1.message).toMatch(/^Unknown fault "overheat"; use one of cavitation, .*\.$/);
    const e2 = err(() => s.injectFault("cavitation", "P999"));
    expect(e2.code).toBe("unknown-twin");
    expect(e2.message).toBe('No twin "P999" in plant "demo".');
    const e3 = err(() => s.injectFault("cavitation", "XV101"));
    expect(e3.code).toBe("wrong-type");
    expect(e3.message).toBe('Fault "cavitation" applies to a Pump, but XV101 is a Valve.');
    expect(err(() => s.injectFault("stuck-valve", "P101")).code).toBe("wrong-type");
    const e4 = err(() => s.injectFault("bearing-wear", "P101", 0.5));
    expect(e4.code).toBe("bad-option");
    expect(e4.message).toBe("A fault's slowdown is a number from 1 to 10000, not 0.5.");
    expect(err(() => s.injectFault("bearing-wear", "P101", Number.NaN)).code).toBe("bad-option");
    expect(err(() => s.injectFault("line-jam", "P101")).code).toBe("wrong-type");
    expect(err(() => s.injectFault("flatline", "P101/nope")).code).toBe("unknown-point");
    expect(err(() => s.clearFault("nope" as FaultName)).code).toBe("unknown-fault");
    expect(s.activeFaults()).toEqual([]);
  });

  it("lists, de-duplicates and clears faults by name, target or all", () => {
    const s = sim();
    s.injectFault("cavitation", "P101");
    s.injectFault("cavitation", "P101"); // already active: no duplicate
    s.step();
    s.injectFault("bearing-wear", "P101");
    s.injectFault("stuck-valve", "XV101");
    expect(s.activeFaults().map((f) => `${f.name}@${f.target}`)).toEqual([
      "cavitation@P101",
      "bearing-wear@P101",
      "stuck-valve@XV101",
    ]);
    expect(s.activeFaults()[1]!.since).toBe(START + s.stepMs);
    expect(s.clearFault("cavitation", "P102")).toBe(0);
    expect(s.clearFault(undefined, "P101")).toBe(2);
    expect(s.clearFault()).toBe(1);
    expect(s.clearFault()).toBe(0);
  });
});

describe("SimPublisher", () => {
  function fakeClock(t0: number): SimClock & { t: number; fn: (() => void) | null; cleared: boolean } {
    const c = {
      t: t0,
      fn: null as (() => void) | null,
      cleared: false,
      now: () => c.t,
      setInterval: (fn: () => void) => {
        c.fn = fn;
        return 1;
      },
      clearInterval: () => {
        c.cleared = true;
        c.fn = null;
      },
    };
    return c;
  }

  it("steps the simulator with the clock and publishes JSON {v, ts, q} per sample", () => {
    const s = sim();
    const clock = fakeClock(START);
    const sent: [string, string][] = [];
    const pub = new SimPublisher(s, (t, p) => void sent.push([t, p]), {
      topicFor: (tw, pt) => `gemba/demo/${tw}/${pt}`,
      clock,
    });
    pub.start();
    expect(clock.fn).not.toBeNull();
    for (let i = 0; i < 8; i++) {
      clock.t += 250;
      clock.fn!();
    }
    expect(s.now).toBe(START + 2000);
    expect(pub.ticks).toBe(8);
    expect(pub.published).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(defs.size);
    const [topic, payload] = sent.find(([t]) => t === "gemba/demo/T101/level")!;
    expect(topic).toBe("gemba/demo/T101/level");
    const msg = JSON.parse(payload) as { v: number; ts: number; q: string };
    expect(Object.keys(msg)).toEqual(["v", "ts", "q"]);
    expect(msg.q).toBe("good");
    expect(msg.ts).toBeGreaterThan(START);
    expect(msg.v).toBeGreaterThan(10);
    pub.stop();
    expect(clock.cleared).toBe(true);
  });

  it("tracks wall time from start, bounds catch-up after a pause, and counts publish failures", async () => {
    const s = new PlantSimulator(model, { seed: 1, startTime: 0 });
    const clock = fakeClock(START);
    let calls = 0;
    const pub = new SimPublisher(
      s,
      () => {
        calls++;
        if (calls === 1) throw new Error("broker down");
        if (calls === 2) return Promise.reject(new Error("broker down"));
      },
      { topicFor: (tw, pt) => `${tw}/${pt}`, clock, maxStepsPerTick: 4 },
    );
    pub.start();
    expect(s.now).toBe(START); // a simulator created in the past jumps to wall time
    clock.t += 60_000; // a one-minute stall
    const skipped = pub.skippedMs;
    pub.tick();
    expect(s.now).toBe(START + 60_000); // caught up…
    expect(pub.skippedMs - skipped).toBe(59_000); // …by dropping all but the last 4 steps
    await Promise.resolve();
    expect(pub.errors).toBe(2);
    pub.stop();
  });
});

describe("sim CLI", () => {
  function fakeFetch(reply: (url: string, init: RequestInit) => Response | Error): {
    fetch: typeof fetch;
    calls: [string, RequestInit][];
  } {
    const calls: [string, RequestInit][] = [];
    const f = ((url: string, init?: RequestInit) => {
      calls.push([url, init ?? {}]);
      const r = reply(url, init ?? {});
      return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
    }) as typeof fetch;
    return { fetch: f, calls };
  }
  const io = (): {
    out: string[];
    err: string[];
    deps: { out: (l: string) => void; err: (l: string) => void; env: Record<string, string> };
  } => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, deps: { out: (l) => out.push(l), err: (l) => err.push(l), env: { GEMBA_TOKEN: "tok" } } };
  };

  it("posts a fault, deletes with a filter and lists", async () => {
    const f = fakeFetch((_u, init) =>
      init.method === "DELETE"
        ? Response.json({ cleared: 1, faults: [] })
        : Response.json(
            { faults: [{ name: "cavitation", target: "P101", since: START }] },
            { status: init.method === "POST" ? 201 : 200 },
          ),
    );
    const a = io();
    expect(await runCli(["fault", "cavitation", "P101", "--url", "http://h:1/"], { ...a.deps, fetch: f.fetch })).toBe(
      0,
    );
    expect(f.calls[0]![0]).toBe("http://h:1/api/sim/faults");
    expect(f.calls[0]![1].method).toBe("POST");
    expect(new Headers(f.calls[0]![1].headers).get("authorization")).toBe("Bearer tok");
    expect(JSON.parse(f.calls[0]![1].body as string)).toEqual({ name: "cavitation", target: "P101" });
    expect(a.out[0]).toBe("Injected cavitation on P101.");
    expect(await runCli(["clear", "cavitation"], { ...a.deps, fetch: f.fetch })).toBe(0);
    expect(f.calls[1]![0]).toBe("http://127.0.0.1:2567/api/sim/faults");
    expect(JSON.parse(f.calls[1]![1].body as string)).toEqual({ name: "cavitation" });
    expect(a.out).toContain("Cleared 1 fault.");
    expect(await runCli(["list"], { ...a.deps, fetch: f.fetch })).toBe(0);
    expect(f.calls[2]![1].method).toBe("GET");
    expect(a.out.at(-1)).toMatch(/cavitation\s+P101/);
  });

  it("--slowdown asks for the same fault developing that many times slower; a bad one is refused before any request", async () => {
    const f = fakeFetch(() => Response.json({ faults: [] }, { status: 201 }));
    const a = io();
    expect(await runCli(["fault", "cavitation", "P401", "--slowdown", "60"], { ...a.deps, fetch: f.fetch })).toBe(0);
    expect(JSON.parse(f.calls[0]![1].body as string)).toEqual({ name: "cavitation", target: "P401", slowdown: 60 });
    expect(a.out[0]).toBe("Injected cavitation on P401, developing 60× slower.");
    for (const bad of ["0.5", "fast", "20000"]) {
      const b = io();
      expect(await runCli(["fault", "cavitation", "P401", `--slowdown=${bad}`], { ...b.deps, fetch: f.fetch })).toBe(2);
      expect(b.err[0]).toBe(
        `--slowdown needs a number from 1 to 10000 (how many times slower the fault develops), not "${bad}".`,
      );
    }
    expect(f.calls).toHaveLength(1);
  });

  it("without GEMBA_TOKEN, signs in as an expert through the development sign-in and sends that token", async () => {
    const f = fakeFetch((u) =>
      u.endsWith("/api/auth/dev") ? Response.json({ token: "dev-tok" }) : Response.json({ faults: [] }),
    );
    const a = io();
    expect(await runCli(["list"], { ...a.deps, env: {}, fetch: f.fetch })).toBe(0);
    expect(f.calls.map((c) => c[0])).toEqual([
      "http://127.0.0.1:2567/api/auth/dev",
      "http://127.0.0.1:2567/api/sim/faults",
    ]);
    expect(JSON.parse(f.calls[0]![1].body as string)).toEqual({ name: "Fault CLI", role: "expert" });
    expect(new Headers(f.calls[1]![1].headers).get("authorization")).toBe("Bearer dev-tok");
    const oidc = fakeFetch(() =>
      Response.json({ error: "This server signs people in through its identity provider." }, { status: 404 }),
    );
    const b = io();
    expect(await runCli(["list"], { ...b.deps, env: {}, fetch: oidc.fetch })).toBe(1);
    expect(b.err[0]).toBe("This server signs people in through its identity provider: set GEMBA_TOKEN to your token.");
  });

  it("finds a server started on another PORT (or with HTTPS) without --url", async () => {
    const f = fakeFetch(() => Response.json({ faults: [] }));
    const a = io();
    expect(await runCli(["list"], { ...a.deps, env: { GEMBA_TOKEN: "t", PORT: "3000" }, fetch: f.fetch })).toBe(0);
    expect(
      await runCli(["list"], { ...a.deps, env: { GEMBA_TOKEN: "t", PORT: "8443", HTTPS: "on" }, fetch: f.fetch }),
    ).toBe(0);
    expect(f.calls.map((c) => c[0])).toEqual([
      "http://127.0.0.1:3000/api/sim/faults",
      "https://127.0.0.1:8443/api/sim/faults",
    ]);
  });

  it("explains an unreachable server, a server error and a bad fault name in one sentence", async () => {
    const down = fakeFetch(() => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }));
    const a = io();
    expect(await runCli(["list"], { ...a.deps, fetch: down.fetch })).toBe(1);
    expect(a.err[0]).toBe(
      'Cannot reach the Gemba server at http://127.0.0.1:2567 (ECONNREFUSED); start it with "npm start", or pass --url (or set PORT) to where it runs.',
    );
    const refusing = fakeFetch(() => Response.json({ error: 'No twin "P999" in plant "demo".' }, { status: 400 }));
    const b = io();
    expect(await runCli(["fault", "cavitation", "P999"], { ...b.deps, fetch: refusing.fetch })).toBe(1);
    expect(b.err[0]).toBe('The server refused: No twin "P999" in plant "demo".');
    const c = io();
    expect(await runCli(["fault", "meltdown", "P101"], { ...c.deps, fetch: refusing.fetch })).toBe(1);
    expect(c.err[0]).toMatch(/^Unknown fault "meltdown"; use one of /);
    expect(refusing.calls.length).toBe(1);
    expect(await runCli(["fault", "cavitation"], { ...c.deps, fetch: refusing.fetch })).toBe(2);
  });
});
