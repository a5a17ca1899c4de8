/**
 * Bad drillStart input through the real path (real server, real SDK clients): each is refused with a sentence and
 * counted in the room's counters (rejected.drillStart), and never starts a second drill. A replayed start (the same
 * request twice, even at once), an oversized trainee list, a trainee already in a drill under way, and a role that
 * may not start drills.
 */
import type { Room } from "@colyseus/sdk";
import { describe, expect, it } from "vitest";
import type { PlantRoomState } from "../../shared/state.ts";
import { ask, join, refusalOf, roomCounters, useServerAndPublisher, waitForState } from "./harness.ts";

const ctx = useServerAndPublisher();

async function seatOf(room: Room<unknown, PlantRoomState>, name: string): Promise<string> {
  const s = await waitForState(room, (st) => [...st.seats.values()].some((x) => x.name === name), name);
  return [...s.seats.values()].find((x) => x.name === name)!.id;
}

const rejected = async () => (await roomCounters()).rejected["drillStart"] ?? 0;
const drillsOf = (room: Room<unknown, PlantRoomState>, name: string) =>
  [...room.state.drills.values()].filter((d) => d.trainees.some((t) => t.name === name));

describe("drillStart: bad input is refused with a reason and counted", () => {
  it("a replayed start (the same request twice, at once) starts one drill; the other is refused", async () => {
    const { h } = ctx;
    const ines = await join(h, "Ines", { role: "expert" });
    await join(h, "Tina", { role: "operator" });
    const tina = await seatOf(ines, "Tina");
    const before = await rejected();
    const payload = { scenario: "cip-pump-cavitation", trainees: [tina], request: "replayed-press-0001" };
    const [a, b] = await Promise.all([
      refusalOf(ask(ines, "drillStart", payload)),
      refusalOf(ask(ines, "drillStart", payload)),
    ]);
    // One of the two went through; the other is the replay.
    expect([a, b].filter((r) => r === null)).toHaveLength(1);
    expect([a, b].find((r) => r !== null)).toEqual({
      code: "invalid",
      message: "That drill was started already (for Tina); nothing new was started.",
    });
    // Sent again later (a page that resent after a reconnect): still refused.
    expect(await refusalOf(ask(ines, "drillStart", payload))).toEqual({
      code: "invalid",
      message: "That drill was started already (for Tina); nothing new was started.",
    });
    await waitForState(ines, () => drillsOf(ines, "Tina").length === 1, "Tina's drill");
    expect(drillsOf(ines, "Tina")).toHaveLength(1);
    expect(await rejected()).toBe(before + 2);
    await ask(ines, "drillEnd", { drill: drillsOf(ines, "Tina")[0]!.id });
  });

  it("refuses a second drill for a trainee already in one under way, and keeps the first", async () => {
    const { h } = ctx;
    const ida = await join(h, "Ida", { role: "expert" });
    await join(h, "Uma", { role: "operator" });
    const uma = await seatOf(ida, "Uma");
    const first = await ask(ida, "drillStart", {
      scenario: "cip-pump-cavitation",
      trainees: [uma],
      request: "uma-first-0001",
    });
    const before = await rejected();
    expect(
      await refusalOf(
        ask(ida, "drillStart", { scenario: "stuck-valve-xv311", trainees: [uma], request: "uma-second-001" }),
      ),
    ).toEqual({
      code: "invalid",
      message: "Uma is already in a drill under way; end it first, or choose someone else.",
    });
    expect(await rejected()).toBe(before + 1);
    await waitForState(ida, (s) => s.drills.get(first.drill)?.status === "running", "Uma's first drill");
    expect(drillsOf(ida, "Uma").map((d) => d.id)).toEqual([first.drill]);
    await ask(ida, "drillEnd", { drill: first.drill });
  });

  it("refuses an oversized trainee list with a clear error and counts it", async () => {
    const { h } = ctx;
    const ivo = await join(h, "Ivo", { role: "expert" });
    const before = await rejected();
    const many = Array.from({ length: 21 }, (_, i) => `seat-${i}`);
    expect(await refusalOf(ask(ivo, "drillStart", { scenario: "cip-pump-cavitation", trainees: many }))).toEqual({
      code: "invalid",
      message: "trainees: A drill has at most 20 trainees; start two drills.",
    });
    expect(await rejected()).toBe(before + 1);
  });

  it("refuses drillStart from an operator, journals the attempt as denied, and counts it", async () => {
    const { h } = ctx;
    const olu = await join(h, "Olu", { role: "operator" });
    await join(h, "Vic", { role: "operator" });
    const vic = await seatOf(olu, "Vic");
    const before = await rejected();
    expect(
      await refusalOf(
        ask(olu, "drillStart", { scenario: "cip-pump-cavitation", trainees: [vic], request: "olu-press-0001" }),
      ),
    ).toEqual({ code: "forbidden", message: "An operator cannot run drills; ask an instructor (an expert)." });
    expect(await rejected()).toBe(before + 1);
    expect(drillsOf(olu, "Vic")).toEqual([]);
    const rt = await h.server.hub.get("demo");
    const denied = rt.store.query({ plant: "demo", kinds: ["denied"] }).filter((e) => e.actor === "Olu");
    expect(denied.map((e) => e.data["action"])).toEqual(["drill.start"]);
  });
});
