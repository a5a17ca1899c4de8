/**
 * What feeds a drill's sandbox twin: the plant simulator, seeded, stepping on the server clock and writing its
 * samples straight into the sandbox's twin (no MQTT client, no broker: nothing can reach the real plant). The
 * scenario's fault and distractors are injected when their onsets come.
 */
import { Quality } from "../../shared/status.ts";
import type { PlantRuntime } from "../runtime/PlantHub.ts";
import { PlantSimulator } from "../sim/PlantSimulator.ts";
import { SimPublisher } from "../sim/SimPublisher.ts";
import type { Clock } from "../twin/Clock.ts";
import type { DrillScenario } from "./DrillScenario.ts";

/** How often pending onsets are looked at: the simulator's own step. */
const ONSET_TICK_MS = 250;

export interface DrillFeedOptions {
  scenario: DrillScenario;
  seed: number;
  startedAt: number;
  clock: Clock;
  log: (m: string) => void;
}

/** Start feeding `rt`; returns what stops it. */
export function startDrillFeed(rt: PlantRuntime, o: DrillFeedOptions): () => void {
  const sim = new PlantSimulator(rt.plant.model, { seed: o.seed, startTime: o.startedAt });
  const twin = rt.twin;
  // The publisher's "topic" is only the point's key here: the sample is applied in the same process.
  const publisher = new SimPublisher(
    sim,
    (key, payload) => {
      const slash = key.indexOf("/");
      const i = twin.indexOf(key.slice(0, slash), key.slice(slash + 1));
      if (i === undefined) return;
      const { v, ts } = JSON.parse(payload) as { v: number; ts: number };
      twin.apply(i, v, ts, Quality.GOOD, o.clock.now());
    },
    { topicFor: (t, p) => `${t}/${p}`, clock: o.clock, onError: (e) => o.log(`drill feed: ${String(e)}`) },
  );
  const pending = [o.scenario.fault, ...o.scenario.distractors].map((f) => ({
    ...f,
    at: o.startedAt + f.onsetSeconds * 1000,
  }));
  const onsets = o.clock.setInterval(() => {
    const now = o.clock.now();
    for (const f of pending.filter((p) => p.at <= now)) {
      pending.splice(pending.indexOf(f), 1);
      sim.injectFault(f.name, f.target, f.slowdown);
    }
  }, ONSET_TICK_MS);
  publisher.start();
  return () => {
    publisher.stop();
    o.clock.clearInterval(onsets);
  };
}
