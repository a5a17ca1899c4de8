import { beforeAll, describe, expect, it } from "vitest";
import { AssetStatus, Quality, combineStatus, severityOf, Severity } from "../../shared/status.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import type { LoadedPlant } from "../../server/plant/loadPlant.ts";
import { demoPlant } from "./fixtures.ts";

let plant: LoadedPlant;
beforeAll(async () => {
  plant = await demoPlant();
});

function idx(twin: PlantTwin, t: string, p: string): number {
  const i = twin.indexOf(t, p);
  if (i === undefined) throw new Error(`no ${t}/${p}`);
  return i;
}

describe("PlantTwin (working memory)", () => {
  it("holds every telemetry point of the demo plant, each asset unknown until data arrives", () => {
    const twin = new PlantTwin(plant.model);
    expect(twin.twins.length).toBeGreaterThanOrEqual(40);
    expect(twin.points.length).toBeGreaterThanOrEqual(300);
    expect(twin.twins.every((t) => t.status === AssetStatus.UNKNOWN)).toBe(true);
  });

  it("an out-of-order sample never rolls the current value back, but is kept in history", () => {
    const twin = new PlantTwin(plant.model);
    const i = idx(twin, "T101", "level");
    expect(twin.apply(i, 50, 2000, Quality.GOOD, 2000)).toBe("applied");
    expect(twin.apply(i, 40, 1000, Quality.GOOD, 2001)).toBe("late");
    expect(twin.points[i]!.value).toBe(50);
    expect(twin.valueAt(i, 1500)?.v).toBe(40);
    expect(twin.apply(i, 50, 2000, Quality.GOOD, 2002)).toBe("duplicate");
  });

  it("colours an asset by the worst of its points against their limits", () => {
    const twin = new PlantTwin(plant.model);
    const ti = twin.twinIndex("T101")!;
    for (const pi of twin.twins[ti]!.points) twin.apply(pi, 20, 1000, Quality.GOOD, 1000);
    expect(twin.twins[ti]!.status).toBe(AssetStatus.NORMAL);
    twin.apply(idx(twin, "T101", "level"), 93, 2000, Quality.GOOD, 2000);
    expect(twin.twins[ti]!.status).toBe(AssetStatus.WARNING);
    twin.apply(idx(twin, "T101", "level"), 97, 3000, Quality.GOOD, 3000);
    expect(twin.twins[ti]!.status).toBe(AssetStatus.ALARM);
    twin.apply(idx(twin, "T101", "level"), 50, 4000, Quality.GOOD, 4000);
    expect(twin.twins[ti]!.status).toBe(AssetStatus.NORMAL);
  });

  it("a silent point turns stale after three expected periods, and fresh data clears it", () => {
    const twin = new PlantTwin(plant.model);
    const ti = twin.twinIndex("P101")!;
    for (const pi of twin.twins[ti]!.points) twin.apply(pi, 1, 1000, Quality.GOOD, 1000);
    const flow = idx(twin, "P101", "flow");
    const changed: number[] = [];
    twin.subscribe({ point: (i) => changed.push(i), status: () => {} });
    expect(twin.checkStale(3900)).toBe(0);
    // every P101 point has period 1 s (some types have longer periods)
    expect(twin.checkStale(4100)).toBe(twin.twins[ti]!.points.length);
    expect(twin.points[flow]!.stale).toBe(true);
    expect(twin.twins[ti]!.status).toBe(AssetStatus.UNKNOWN);
    expect(changed).toContain(flow);
    twin.apply(flow, 2, 5000, Quality.GOOD, 5000);
    expect(twin.points[flow]!.stale).toBe(false);
  });

  it("bad quality makes the asset unknown even with a value in range", () => {
    const twin = new PlantTwin(plant.model);
    const ti = twin.twinIndex("XV101")!;
    for (const pi of twin.twins[ti]!.points) twin.apply(pi, 50, 1000, Quality.GOOD, 1000);
    expect(twin.twins[ti]!.status).toBe(AssetStatus.NORMAL);
    twin.setQuality(idx(twin, "XV101", "position"), Quality.BAD, 2000);
    expect(twin.twins[ti]!.status).toBe(AssetStatus.UNKNOWN);
  });

  it("judges each point against its own limits exactly as the shared severity rule does, at and beside every limit", () => {
    const twin = new PlantTwin(plant.model);
    let compared = 0;
    twin.points.forEach((p, i) => {
      const l = p.def.limits ?? {};
      const edges = [l.lowAlarm, l.lowWarning, l.highWarning, l.highAlarm].filter((x): x is number => x !== undefined);
      for (const e of [...edges, 0, -1e9, 1e9]) {
        for (const v of [e - 0.001, e, e + 0.001, Number.NaN]) {
          expect(twin.severityAt(i, v), `${p.key} at ${v}`).toBe(severityOf(v, p.def.limits));
          compared++;
        }
      }
    });
    expect(compared).toBeGreaterThan(2000);
  });

  it("keeps every asset's colour right through any mix of samples, bad quality, silence and late data (seeded fuzz)", () => {
    const twin = new PlantTwin(plant.model);
    // The asset status as the rule defines it, recomputed from scratch: what the twin must always hold.
    const expected = (ti: number) => {
      let worst: Severity = Severity.NORMAL;
      let unknown = false;
      for (const i of twin.twins[ti]!.points) {
        const p = twin.points[i]!;
        if (p.receivedAt === 0 && p.def.kind === "property") continue;
        if (p.receivedAt === 0 || p.stale || p.q === Quality.BAD) unknown = true;
        else if (p.severity > worst) worst = p.severity;
      }
      return combineStatus(worst, unknown);
    };
    let seed = 26;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    // a few assets, so points meet again and again
    const assets = ["T101", "P101", "XV101"].map((id) => twin.twinIndex(id)!);
    let now = 1000;
    for (let step = 0; step < 5000; step++) {
      now += Math.floor(rand() * 800);
      const ti = pick(assets);
      const i = pick(twin.twins[ti]!.points);
      const l = twin.points[i]!.def.limits ?? {};
      const v = pick([l.lowAlarm ?? 0, l.lowWarning ?? 1, l.highWarning ?? 2, l.highAlarm ?? 3, 50, rand() * 200 - 50]);
      const q = pick([Quality.GOOD, Quality.GOOD, Quality.GOOD, Quality.UNCERTAIN, Quality.BAD]);
      const r = rand();
      if (r < 0.75) twin.apply(i, v, now - Math.floor(rand() * 3000), q, now);
      else if (r < 0.85) twin.applyStatus(i, q, now, "", now);
      else if (r < 0.95) twin.setQuality(i, q, now);
      else twin.checkStale(now + Math.floor(rand() * 10_000));
      for (const t of assets) expect(twin.twins[t]!.status, `step ${step}`).toBe(expected(t));
    }
  });

  it("holds history memory as samples come, bounded by the horizon", () => {
    const small = new PlantTwin(plant.model, { horizonMs: 60_000, coarseHorizonMs: 60_000 });
    const big = new PlantTwin(plant.model, { horizonMs: 30 * 60_000, coarseHorizonMs: 60_000 });
    const empty = big.memoryBytes();
    // Fill one point of each twin with twice its horizon of samples at its own period.
    const fill = (twin: PlantTwin, from: number) => {
      const periodMs = twin.points[0]!.def.period * 1000;
      const n = (2 * twin.horizonMs) / periodMs;
      for (let k = 0; k < n; k++) {
        const ts = from + k * periodMs;
        twin.apply(0, 20 + (k % 7), ts, Quality.GOOD, ts);
      }
    };
    fill(small, 1_000_000);
    fill(big, 1_000_000);
    const full = big.memoryBytes();
    // A long horizon is not paid for before the samples come (a 30,600-point plant allocated 2.2 GB at start).
    expect(full - empty).toBeGreaterThan(big.points[0]!.history.capacity * 17 * 0.9 - 256 * 17);
    expect(empty).toBeLessThan(full);
    // Past the horizon the ring is full and memory stops growing; the longer horizon holds more.
    fill(big, 1_000_000 + 2 * big.horizonMs);
    expect(big.memoryBytes()).toBe(full);
    expect(big.points[0]!.history.size).toBe(big.points[0]!.history.capacity);
    expect(big.points[0]!.history.capacity).toBeGreaterThan(small.points[0]!.history.capacity * 10);
    expect(full).toBeLessThan(64 * 1024 * 1024);
  });
});
