/**
 * A "done" that arrives again for a step already done (a replayed message, a stale page, a double press that got
 * through) is refused with the reason and counted, and the run does not move: one step, one journal row.
 */
import { describe, expect, it } from "vitest";
import { join, refusalOf, roomCounters, useServerAndPublisher, waitForState } from "./harness.ts";

const ctx = useServerAndPublisher();

describe("procedure steps: replayed, stale and out-of-order done", () => {
  it("refuses a done for a step already done, for a step not reached and for an old run, with reasons and a counter", async () => {
    const { h, pub } = ctx;
    const send = (twin: string, point: string, v: number, ts: number) =>
      pub.publishAsync(`${h.config.topicPrefix}gemba/demo/${twin}/${point}`, JSON.stringify({ v, ts }));
    const ada = await join(h, "Ada", { role: "operator" });
    const { run } = await ada.request<object, { run: string }>("procedureStart", { procedure: "isolate-p401" });
    // Step 1's gate: "running == 1 and suctionPressure < 0.25 for 5s", met on plant time.
    const t0 = Date.now() - 20_000;
    await send("P401", "running", 1, t0);
    await send("P401", "suctionPressure", 0.07, t0);
    // The gate's "for" counts from when it is first seen to hold on the step: let a gate pass see t0 first.
    // gateNow is unset until the first gate pass after the start writes it.
    await waitForState(ada, (s) => (s.procedure.gateNow ?? "").includes("0.07 bar"), "low suction seen by the gate");
    await send("P401", "suctionPressure", 0.06, t0 + 7000);
    await waitForState(ada, (s) => s.procedure.run === run && s.procedure.gateHolds, "step 1's gate holds");
    await ada.request("procedureDone", { run, step: 0 });
    await waitForState(ada, (s) => s.procedure.step === 1, "the run at step 2");

    const before = (await roomCounters()).rejected["procedureDone"] ?? 0;
    // The same message again, as a replay would send it.
    expect(await refusalOf(ada.request("procedureDone", { run, step: 0 }))).toEqual({
      code: "invalid",
      message: "Step 1 is already done; the procedure is at step 2.",
    });
    // A step not reached yet (from a page that is ahead of the room, or forged).
    expect(await refusalOf(ada.request("procedureDone", { run, step: 3, note: "skipping ahead" }))).toEqual({
      code: "invalid",
      message: "Step 4 is not the current step; do step 2 first.",
    });
    // A done for a run that is not the room's.
    expect(await refusalOf(ada.request("procedureDone", { run: "an-old-run", step: 1 }))).toEqual({
      code: "not-found",
      message: "That procedure run is no longer the room's; reload the panel.",
    });
    expect((await roomCounters()).rejected["procedureDone"]).toBe(before + 3);

    // The run did not move and the journal holds one row for step 1.
    expect(ada.state.procedure.step).toBe(1);
    const rt = await h.server.hub.get("demo");
    const rows = rt.store.query({ plant: "demo", subject: run, kinds: ["procedure.step"] });
    expect(rows.map((r) => r.data["step"])).toEqual([1]);
    await ada.leave();
  });
});
