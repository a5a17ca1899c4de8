/** The wrist's Steps tab (client/xr/procedureTab.ts): the step readable in large type, Done greyed with the reason. */
import { describe, expect, it } from "vitest";
import { doneBlocked, procedureTab, wrap, type ProcedureLike } from "../../client/xr/procedureTab.ts";
import { tabText, VISIBLE_ROWS } from "../../client/xr/panelModels.ts";

const op = { seat: "s1", name: "Ada", role: "operator" };
const step = (text: string, gate = "", evidence = "") => ({ text, asset: "P401", gate, evidence, doneBy: "" });

function run(over: Partial<ProcedureLike> = {}): ProcedureLike {
  return {
    run: "r1",
    title: "Isolate CIP pump P401 after cavitation",
    status: "running",
    step: 0,
    steps: [
      step("Confirm the cavitation on P401 from its live values.", "suctionPressure < 0.25 for 5s"),
      step("Stop P401 at its local control station. Write the lock number.", "", "note"),
    ],
    gateHolds: false,
    gateNow: "suctionPressure 0.60 bar",
    hash: "",
    ...over,
  };
}

describe("the Steps tab", () => {
  it("shows the step, the gate and why Done waits; Done is greyed with that reason", () => {
    const m = procedureTab(run(), op);
    expect(tabText(m)).toBe(
      [
        "Step 1 of 2 · P401",
        "[Done (disabled)] [Show]",
        "Confirm the cavitation on P401 from — its live values.",
        "Gate not met yet — suctionPressure < 0.25 for 5s",
        "Waiting for the gate on P401 — now: suctionPressure 0.60 bar",
      ].join("\n"),
    );
    expect(m.actions[0]).toMatchObject({ label: "Done", disabled: "Waiting for the gate on P401" });
    expect(m.rows.length).toBeLessThanOrEqual(VISIBLE_ROWS);
  });

  it("enables Done when the gate holds; a step asking for a note says where to finish it", () => {
    const ready = procedureTab(run({ gateHolds: true, gateNow: "suctionPressure 0.07 bar" }), op);
    expect(ready.actions[0]).toEqual({ label: "Done", action: { kind: "proc-done", run: "r1", step: 0 } });
    expect(tabText(ready)).toMatch(/\nDone is ready — now: suctionPressure 0\.07 bar$/);
    const note = run({ step: 1, gateHolds: true, gateNow: "" });
    expect(doneBlocked(note, "operator")).toBe("Needs a note: finish it on a laptop");
  });

  it("offers a viewer no Done, and says when nothing runs or the run is over", () => {
    expect(procedureTab(run(), { ...op, role: "viewer" }).actions[0]).toBeNull();
    expect(procedureTab(run({ run: "" }), op).header).toBe("No procedure running");
    expect(procedureTab(run({ status: "completed", step: 2, hash: "3f1c0a9b8e7d6c5b" }), op).rows[0]!.sub).toBe(
      "record 3f1c0a9b8e7d…",
    );
  });

  it("wraps long text into the panel's line widths and marks what does not fit", () => {
    expect(wrap("one two three four", [7, 9])).toEqual(["one two", "three", "four"]);
    const long = "word ".repeat(80).trim();
    const rows = procedureTab(run({ steps: [step(long, "x > 1")] }), op).rows;
    expect(rows[1]!.sub.endsWith(" …")).toBe(true);
  });
});
