import { describe, expect, it } from "vitest";
import { PlantSimulator } from "../../server/sim/PlantSimulator.ts";
import type { FaultName, SimSample } from "../../server/sim/PlantSimulator.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { demoPlant } from "../unit/fixtures.ts";
import { ManualClock, join, useServerAndPublisher, waitForState } from "./harness.ts";
import { devToken } from "../../kit/devSignIn.ts";

// The server's rule and alarm ticks run when the test moves this clock, not on the wall clock.
const clock = new ManualClock(Date.now());
const ctx = useServerAndPublisher({}, { clock });

const FAULTS: [FaultName, string, string][] = [
  ["cavitation", "P401", "pump-cavitation:P401"],
  ["bearing-wear", "P202", "pump-bearing-wear:P202"],
  ["stuck-valve", "XV311", "valve-stuck:XV311"],
  ["flatline", "T101/level", "sensor-flatline-level:T101"],
  ["line-jam", "CV12", "line-jam:CV12"],
];
/** Alarms a fault may legitimately bring along: limit alarms, and a jam blocking its filler. */
const ALLOWED = new Set(["filler-blocked-by-discharge:FL1", ...FAULTS.map((f) => f[2])]);
const isActive = (s: PlantRoomState, id: string) =>
  ["unack-active", "ack-active"].includes(s.alarms.get(id)?.state ?? "normal");

describe("simulator faults through the real broker raise their rule alarms, and the alarms clear after the faults are removed", () => {
  it("cavitation, bearing wear, stuck valve, sensor flatline and line jam", async () => {
    const { model } = await demoPlant();
    // Simulated time runs ~10x faster than the wall clock and ends before "now", so every sample carries a
    // past source timestamp; rules run on those timestamps (plant time), exactly as for a live plant.
    const sim = new PlantSimulator(model, { seed: 7, startTime: Date.now() - 600_000 });
    const room = await join(ctx.h, "Control room");
    const topic = (t: string, p: string) => `${ctx.h.config.topicPrefix}gemba/demo/${t}/${p}`;
    const stepsPerSecond = Math.round(1000 / sim.stepMs);
    /**
     * Feed `simSeconds` of plant time, one plant second at a time: move the server's clock one rule tick (250 ms),
     * so a rule pass runs over everything applied so far, then publish the next plant second and wait until the room
     * shows its last sample. That patch comes after the pass, so the room state the test reads includes every pass
     * before it. Stops early once `until` holds on the room.
     */
    const run = async (simSeconds: number, until?: (s: PlantRoomState) => boolean): Promise<boolean> => {
      for (let second = 0; second < simSeconds; second++) {
        if (until?.(room.state)) return true;
        clock.advance(250);
        let last: SimSample | undefined;
        for (let i = 0; i < stepsPerSecond; i++) {
          for (const s of sim.step()) {
            ctx.pub.publish(topic(s.twin, s.point), JSON.stringify({ v: s.value, ts: s.ts }));
            last = s;
          }
        }
        if (last) {
          const { twin, point, ts } = last;
          await waitForState(
            room,
            (st) => (st.twins.get(twin)?.points.get(point)?.ts ?? 0) >= ts,
            `plant second ${second} applied (${twin}/${point} at ${ts})`,
          );
        }
      }
      return until?.(room.state) ?? true;
    };

    await run(90);
    expect([...room.state.alarms.keys()].filter((id) => !id.startsWith("limit."))).toEqual([]);

    // A what-if saved before the pump cavitates: "P401's speed stays where it is" predicts its line's flow holds for
    // the next minute (a minute that ends while the pump still cavitates: the faults are cleared only after all five
    // alarms came in, and the report compares at the last value inside the prediction's span).
    await room.request("whatIf", { twin: "P401", point: "speed", fault: "stuck", horizonS: 60 });
    for (const [name, target] of FAULTS) sim.injectFault(name, target);
    const raised = await run(200, (s) => FAULTS.every(([, , id]) => isActive(s, id)));
    expect(FAULTS.filter(([, , id]) => !isActive(room.state, id)).map((f) => f[2])).toEqual([]);
    expect(raised).toBe(true);
    const unrelated = [...room.state.alarms.keys()].filter((id) => !id.startsWith("limit.") && !ALLOWED.has(id));
    expect(unrelated).toEqual([]);

    sim.clearFault();
    const cleared = await run(150, (s) => FAULTS.every(([, , id]) => !isActive(s, id)));
    expect(FAULTS.filter(([, , id]) => isActive(room.state, id)).map((f) => f[2])).toEqual([]);
    expect(cleared).toBe(true);
    // Cleared but not yet acknowledged: ISA-18.2 keeps them visible as "returned, unacknowledged".
    expect(room.state.alarms.get("pump-cavitation:P401")?.state).toBe("rtn-unack");

    // The incident bundle: signals around the alarm, its lifecycle, and what people did.
    await room.request("annotate", {
      kind: "pin",
      twin: "P401",
      offset: [0, 1, 0],
      text: "Suction strainer blocked?",
      alarm: "pump-cavitation:P401",
    });
    await room.request("ack", { alarm: "pump-cavitation:P401" });
    const base = `http://127.0.0.1:${ctx.h.server.port}/api/plants/demo/incidents/pump-cavitation:P401`;
    // Reports name who did what: for people signed in to the plant (docs/SECURITY.md).
    const signedIn = { headers: { authorization: `Bearer ${await devToken(ctx.h.endpoint, "Reader", "viewer")}` } };
    expect((await fetch(base)).status).toBe(401);
    const inc = (await (await fetch(base, signedIn)).json()) as {
      alarm: { activeAt: number; twin: string };
      from: number;
      signals: { key: string; ts: number[] }[];
      lifecycle: { kind: string; actor: string }[];
      collaboration: { kind: string; data: { text?: string } }[];
      whatIfs: { change: string; misses: { name: string; predicted: number; actual: number; text: string }[] }[];
    };
    expect(inc.alarm.twin).toBe("P401");
    const flow = inc.signals.find((x) => x.key === "P401/flow")!;
    expect(flow.ts.some((t) => t < inc.alarm.activeAt) && flow.ts.some((t) => t > inc.alarm.activeAt)).toBe(true);
    expect(inc.lifecycle.map((e) => e.kind)).toEqual(["alarm.active", "alarm.cleared", "alarm.ack"]);
    expect(inc.lifecycle[2]!.actor).toBe("Control room");
    // How good the what-if was: the pump cavitated, so the flow it predicted to hold fell short, in the desktop's words.
    expect(inc.whatIfs.map((w) => w.change)).toEqual([expect.stringMatching(/^P401 Speed \(stuck where it is\)/)]);
    const miss = inc.whatIfs[0]!.misses.find((m) => m.name.endsWith(" Flow"))!;
    expect(miss.text).toMatch(
      /^At \+\d+ (?:s|min): predicted \d+\.\d\d L\/s, was \d+\.\d\d L\/s, off by \d+\.\d\d L\/s$/,
    );
    expect(miss.actual).toBeLessThan(miss.predicted * 0.8);
    const csv = await (await fetch(`${base}?format=csv`, signedIn)).text();
    expect(csv.split("\n")[0]).toBe("time,signal,value,unit");
    expect(csv).toContain(",P401/suctionPressure,");
    const html = await (await fetch(`${base}?format=html`, signedIn)).text();
    expect(html).toContain("<svg");
    expect(html).toContain(`${miss.name}: ${miss.text}`);
    expect(html).not.toMatch(/<script|https?:\/\//);
    await room.leave();
  }, 120_000);
});
