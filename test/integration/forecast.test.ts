/**
 * The alarm forecast through the real parts: simulator samples over the real broker into a real server, a real SDK
 * client in the room. A slow fault (bearing wear) is injected; the room shows "P202 will reach an alarm limit" before
 * the fault's own alarm, and the inspector's forecast route gives the rising curve.
 */
import { describe, expect, it } from "vitest";
import { PlantSimulator, type SimSample } from "../../server/sim/PlantSimulator.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { TwinForecast } from "../../shared/forecast.ts";
import { demoPlant } from "../unit/fixtures.ts";
import { ManualClock, join, useServerAndPublisher, waitForState } from "./harness.ts";
import { devToken } from "../../kit/devSignIn.ts";

// One server second per plant second: the forecast pass (every 5 s) and the alarm ticks run when the test moves
// this clock. FORECAST_USUAL_MINUTES=0: the test cannot feed the hour that says what is usual, so that check is off.
const clock = new ManualClock(Date.now());
const ctx = useServerAndPublisher({ FORECAST_USUAL_MINUTES: "0" }, { clock });

const isActive = (s: PlantRoomState, id: string) =>
  ["unack-active", "ack-active"].includes(s.alarms.get(id)?.state ?? "normal");

describe("the time to the next alarm limit appears before a slow fault's alarm", () => {
  it("bearing wear on P202: a forecast on P202 first, then its alarm", async () => {
    const { model } = await demoPlant();
    const sim = new PlantSimulator(model, { seed: 7, startTime: Date.now() - 900_000 });
    const room = await join(ctx.h, "Control room");
    const topic = (t: string, p: string) => `${ctx.h.config.topicPrefix}gemba/demo/${t}/${p}`;
    const stepsPerSecond = Math.round(1000 / sim.stepMs);
    /** Publish one plant second, move the server clock one second, wait until the room shows its last sample. */
    const second = async (n: number): Promise<void> => {
      let last: SimSample | undefined;
      for (let i = 0; i < stepsPerSecond; i++) {
        for (const s of sim.step()) {
          ctx.pub.publish(topic(s.twin, s.point), JSON.stringify({ v: s.value, ts: s.ts }));
          last = s;
        }
      }
      clock.advance(1000);
      if (last) {
        const { twin, point, ts } = last;
        await waitForState(room, (st) => (st.twins.get(twin)?.points.get(point)?.ts ?? 0) >= ts, `plant second ${n}`);
      }
    };

    // Three minutes of normal running: enough history for a fit, and no forecast on P202.
    for (let n = 0; n < 180; n++) await second(n);
    expect(room.state.forecasts.get("P202")).toBeUndefined();

    sim.injectFault("bearing-wear", "P202");
    let forecastAt = -1;
    let alarmAt = -1;
    let reachedAt = -1;
    let seen: { point: string; limit: string; value: number; left: number } | undefined;
    for (let n = 0; n < 240 && alarmAt < 0; n++) {
      await second(180 + n);
      const f = room.state.forecasts.get("P202");
      if (f && forecastAt < 0) {
        forecastAt = n;
        seen = { point: f.point, limit: f.limit, value: f.value, left: f.at - f.from };
      }
      const vib = room.state.twins.get("P202")?.points.get("vibration")?.v ?? 0;
      if (vib >= 7.1 && reachedAt < 0) reachedAt = n;
      if (isActive(room.state, "pump-bearing-wear:P202") || isActive(room.state, "limit.vibration:P202")) alarmAt = n;
    }
    expect(alarmAt).toBeGreaterThan(0);
    expect(forecastAt).toBeGreaterThanOrEqual(0);
    expect(forecastAt).toBeLessThan(alarmAt);
    expect(seen).toMatchObject({ point: "vibration", limit: "highAlarm", value: 7.1 });
    // The time left it announced is about the time vibration really took to reach 7.1 (both in plant seconds).
    expect(Math.abs(seen!.left / 1000 - (reachedAt - forecastAt))).toBeLessThan(20);

    // The inspector's ghost: the forecast of P202's points, validated by the shared schema.
    const token = await devToken(ctx.h.endpoint, "Inspector", "viewer");
    const res = await fetch(`http://127.0.0.1:${ctx.h.server.port}/api/plants/demo/forecast?twin=P202`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body = TwinForecast.parse(await res.json());
    const temp = body.points["bearingTemperature"]!;
    expect(temp.mean).toHaveLength(60);
    expect(temp.lo.every((v, i) => v <= temp.mean[i]! && temp.mean[i]! <= temp.hi[i]!)).toBe(true);
    expect(body.points["running"]).toBeUndefined(); // a state is not forecast
    await room.leave();
  }, 120_000);
});
