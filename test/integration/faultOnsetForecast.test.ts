/**
 * The time to the alarm appears before each demo fault's limit alarm that a trend can foresee (issue #21; docs/WHAT-IF.md,
 * "What it does and does not catch"). The real server on a clock that moves only when the test moves it: its PlantHub
 * builds a sandbox copy of the demo (twin, limit alarms, alarm book, forecaster, wired exactly as for the live plant),
 * fed in process by the drill feed (the seeded simulator stepping on the server clock), so 40 minutes of normal
 * running and a fault developing over 10 to 25 minutes take seconds, with no sleep. The server's own settings hold: a
 * point needs half an hour of history before it may warn.
 *
 * Each fault develops as a real one does, over minutes (the simulator's slowdown: cavitation ×60, bearing wear ×20).
 * As catalogued they reach their alarms 11 s and 72 s after they start, too soon for any trend to say so first; a line
 * jam, a stuck valve and a frozen reading are steps, not trends (the last test and the doc say what tells of them).
 */
import { describe, expect, it } from "vitest";
import { ManualClock, useServerAndPublisher } from "./harness.ts";
import { drillPlantId } from "../../shared/drill.ts";
import { startDrillFeed } from "../../server/drills/DrillFeed.ts";
import type { DrillScenario } from "../../server/drills/DrillScenario.ts";
import type { PlantRuntime } from "../../server/runtime/PlantHub.ts";
import type { FaultName } from "../../server/sim/PlantSimulator.ts";
import { alarmForecastText } from "../../client/ui/forecastText.ts";
import { pointDef } from "../../client/ui/whatIfInputs.ts";

const clock = new ManualClock(Date.now());
const ctx = useServerAndPublisher({}, { clock });

/** Normal running before the fault: the forecaster's half hour of history, and some. */
const WARMUP_S = 40 * 60;
/** The forecast pass runs every 5 s of plant time; the test looks after each. */
const STEP_MS = 5000;

/** A sandbox of the demo fed by the seeded simulator, with `fault` on `target` after the warm-up. */
async function sandboxWithFault(
  name: string,
  fault: FaultName,
  target: string,
  slowdown: number,
  onsetS = WARMUP_S,
): Promise<{ rt: PlantRuntime; onsetAt: number }> {
  const startedAt = clock.now();
  const scenario: DrillScenario = {
    id: name,
    title: `${fault} on ${target}`,
    brief: "A test of the alarm forecast.",
    fault: { name: fault, target, onsetSeconds: onsetS, slowdown },
    distractors: [],
    expect: { asset: target, alarm: `limit:${target}` },
    limitSeconds: 7200,
    file: "test",
  };
  const id = drillPlantId("demo", name);
  const hub = ctx.h.server.hub;
  hub.openSandbox(id, {
    base: "demo",
    feed: (rt) => startDrillFeed(rt, { scenario, seed: 7, startedAt, clock, log: () => {} }),
  });
  return { rt: await hub.acquire(id), onsetAt: startedAt + onsetS * 1000 };
}

/** The alarms raised on `twin` after `from` and up to `to` (plant time), whether still active or not. */
const raisedOn = (rt: PlantRuntime, twin: string, from: number, to: number) =>
  [...rt.alarms.alarms.values()]
    .filter((a) => a.twin === twin && a.activeAt > from && a.activeAt <= to)
    .map((a) => a.id);

describe("the time to the alarm appears before each demo fault's limit alarm that a trend can foresee", () => {
  it.each([
    {
      fault: "cavitation" as const,
      slowdown: 60,
      pump: "P401",
      alarm: "limit.suctionPressure:P401",
      words: /^Suction pressure reaches LOW 0\.15 bar in ~\d+ min$/,
    },
    {
      fault: "bearing-wear" as const,
      slowdown: 20,
      pump: "P202",
      alarm: "limit.vibration:P202",
      words: /^Vibration reaches HIGH 7\.1 mm\/s in ~\d+ min$/,
    },
  ])(
    "$fault on $pump developing ×$slowdown slower: '$words' is on the asset before $alarm is raised",
    async ({ fault, slowdown, pump, alarm, words }) => {
      const { rt, onsetAt } = await sandboxWithFault(`onset${fault.replace("-", "")}`, fault, pump, slowdown);
      const ti = rt.twin.twinIndex(pump)!;
      const warnings: { at: number; text: string; leftMs: number }[] = [];
      let alarmAt = 0;
      // Up to 40 minutes after the onset: both alarm well inside it (bench/forecastBacktest.ts, docs/PERFORMANCE.md).
      while (alarmAt === 0 && clock.now() < onsetAt + 40 * 60_000) {
        clock.advance(STEP_MS);
        const w = rt.forecast.current.get(ti);
        if (w && warnings.at(-1)?.at !== w.from)
          warnings.push({
            at: w.from,
            text: alarmForecastText(pointDef(rt.plant.model, pump, w.point), w),
            leftMs: w.at - w.from,
          });
        alarmAt = rt.alarms.alarms.get(alarm)?.activeAt ?? 0;
      }

      expect(alarmAt, `${alarm} was raised`).toBeGreaterThan(onsetAt);
      // Nothing was announced on the pump while it ran normally.
      expect(warnings.filter((w) => w.at < onsetAt)).toEqual([]);
      const first = warnings[0];
      expect(first, "a time to the alarm was shown before the alarm").toBeDefined();
      expect(first!.text).toMatch(words);
      expect(first!.at).toBeLessThan(alarmAt);
      // Before any other alarm on the pump too (cavitation's own rule alarms at 0.25 bar): the forecast is the first
      // word of the fault.
      expect(raisedOn(rt, pump, onsetAt, first!.at)).toEqual([]);
      // Time to act: at least a minute of plant time between the words and the alarm, and the alarm did not come
      // much sooner than announced (an alarm before the announced time is the worse mistake).
      expect(alarmAt - first!.at).toBeGreaterThanOrEqual(60_000);
      expect(alarmAt - first!.at).toBeGreaterThanOrEqual(first!.leftMs * 0.5);
      await ctx.h.server.hub.closeSandbox(rt.plant.model.id);
    },
    180_000,
  );

  it("a line jam is a step no trend foresees: the jam's own alarm comes before its accumulation limit alarm", async () => {
    // The belt stops at once (a bottle falls over); the accumulation then fills to its HIGH 95 % in seconds.
    const { rt, onsetAt } = await sandboxWithFault("onsetlinejam", "line-jam", "CV12", 1, 120);
    let jamAt = 0;
    let fullAt = 0;
    while (fullAt === 0 && clock.now() < onsetAt + 5 * 60_000) {
      clock.advance(STEP_MS);
      jamAt ||= rt.alarms.alarms.get("line-jam:CV12")?.activeAt ?? 0;
      fullAt = rt.alarms.alarms.get("limit.accumulation:CV12")?.activeAt ?? 0;
    }
    expect(fullAt, "the accumulation reached its alarm limit").toBeGreaterThan(onsetAt);
    expect(jamAt).toBeGreaterThan(onsetAt);
    expect(jamAt).toBeLessThan(fullAt);
    await ctx.h.server.hub.closeSandbox(rt.plant.model.id);
  });
});
