/**
 * A drill through the real path (docs/TRAINING.md): an instructor starts it from the plant's room for a trainee; both
 * join the drill's sandbox room with the real SDK; the sandbox's own simulator brings the cavitation alarm at the
 * onset; the trainee selects P401 and acknowledges; the score comes back in the room state; the real plant's
 * journal and alarm book are untouched.
 */
import { describe, expect, it } from "vitest";
import { ask, join, refusalOf, useServerAndPublisher, waitForState } from "./harness.ts";

const ctx = useServerAndPublisher();

describe("drills: a sandbox twin, scored from its own journal", () => {
  it("the trainee acknowledges the drill's alarm in the sandbox and is scored; the real plant sees none of it", async () => {
    const { h } = ctx;
    const ines = await join(h, "Ines", { role: "expert" });
    const tina = await join(h, "Tina", { role: "operator" });
    const tinaSeat = await waitForState(ines, (s) => [...s.seats.values()].some((x) => x.name === "Tina"), "Tina");
    const seat = [...tinaSeat.seats.values()].find((x) => x.name === "Tina")!.id;
    expect(await refusalOf(ask(tina, "drillStart", { scenario: "cip-pump-cavitation", trainees: [seat] }))).toEqual({
      code: "forbidden",
      message: "An operator cannot run drills; ask an instructor (an expert).",
    });
    const { drill, plant } = await ask(ines, "drillStart", { scenario: "cip-pump-cavitation", trainees: [seat] });
    expect(plant).toBe(`demo~drill-${drill}`);
    await waitForState(tina, (s) => s.drills.get(drill)?.status === "running", "Tina is offered the drill");
    const realJournalBefore = h.server.hub
      .loaded()
      .find((r) => r.plant.model.id === "demo")!
      .store.query({ plant: "demo" });

    const inDrill = await join(h, "Tina", { role: "operator", plant, separate: true });
    await waitForState(
      inDrill,
      (s) => s.alarms.has("pump-cavitation:P401"),
      "the cavitation alarm in the sandbox",
      60_000,
    );
    inDrill.send("select", { twin: "P401" });
    await waitForState(inDrill, (s) => [...s.seats.values()].some((x) => x.selection === "P401"), "selected");
    await ask(inDrill, "ack", { alarm: "pump-cavitation:P401" });
    const scored = await waitForState(
      inDrill,
      (s) => s.drills.get(drill)?.trainees[0]?.status === "scored",
      "Tina's score",
      10_000,
    );
    const t = scored.drills.get(drill)!.trainees[0]!;
    expect(t.detectMs).toBeGreaterThan(0);
    expect(t.correctMs).toBeGreaterThanOrEqual(t.detectMs);
    expect([...t.wrong]).toEqual([]);
    expect(t.points).toBeGreaterThan(0);
    await waitForState(ines, (s) => s.drills.get(drill)?.status === "ended", "the plant's room sees the drill end");

    // The real plant: no cavitation alarm, no drill rows, nothing new but the room's own joins.
    expect(ines.state.alarms.has("pump-cavitation:P401")).toBe(false);
    const rt = h.server.hub.loaded().find((r) => r.plant.model.id === "demo")!;
    const after = rt.store.query({ plant: "demo" }).filter((e) => !realJournalBefore.some((b) => b.id === e.id));
    expect(after.filter((e) => e.kind !== "join" && e.kind !== "leave")).toEqual([]);
    for (const r of [ines, tina, inDrill]) await r.leave();
  });
});
