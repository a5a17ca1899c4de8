/**
 * Procedures (docs/TRAINING.md): files checked at load with the file and step named; a run whose "done" is refused
 * until the step's gate holds on the twin and its note is written; a journal chain that breaks when a row is changed.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlantDir } from "../../server/plant/loadPlant.ts";
import { formatIssue, PlantError } from "../../server/plant/PlantError.ts";
import { checkProcedure } from "../../server/procedures/loadProcedures.ts";
import { ProcedureRun } from "../../server/procedures/ProcedureRun.ts";
import { verifyChain, type ChainedRow } from "../../server/procedures/runChain.ts";
import { PlantJournal } from "../../server/journal/PlantJournal.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import { Quality } from "../../shared/status.ts";
import { copyDemoPlant, demoPlant } from "./fixtures.ts";

const FILE = "procedures/test.json";
const step = (over: Record<string, unknown>) => ({ text: "Do it.", asset: "P401", ...over });
const proc = (steps: unknown[]) => ({ id: "test", title: "Test", steps });

async function issuesFor(steps: unknown[]) {
  const { model } = await demoPlant();
  return checkProcedure(proc(steps), FILE, model).issues.map(formatIssue);
}

describe("procedure files: checked at load, each problem naming the file and the step", () => {
  it("the demo's procedures load with the plant", async () => {
    const plant = await demoPlant();
    expect(plant.procedures.map((p) => p.id)).toEqual(["free-stuck-valve", "isolate-p401"]);
    expect(plant.procedures.find((p) => p.id === "isolate-p401")!.steps[0]!.gateRule).not.toBeNull();
  });

  it("an asset that is not a twin of the plant is refused with a suggestion", async () => {
    expect(await issuesFor([step({}), step({ asset: "P4O1" })])).toEqual([
      'procedures/test.json at steps[1].asset: unknown asset "P4O1" (did you mean "P401"?).',
    ]);
  });

  it("a gate that does not parse is refused in the rules' words", async () => {
    expect(await issuesFor([step({ gate: "suctionPressure <" })])).toEqual([
      "procedures/test.json at steps[0].gate: unexpected end of expression at column 18",
    ]);
    expect(await issuesFor([step({ gate: "suctionPressure" })])).toEqual([
      "procedures/test.json at steps[0].gate: the expression is a number, not a condition at column 1 (compare it, e.g. flow > 5)",
    ]);
  });

  it("a gate on a point the asset's type does not have is refused, with the point and the type", async () => {
    expect(await issuesFor([step({}), step({}), step({ gate: "suctionPresure < 1 for 10s" })])).toEqual([
      'procedures/test.json at steps[2].gate: unknown point "suctionPresure" on Pump at column 1 (did you mean "suctionPressure"?)',
    ]);
    // The gate is checked against the step's own asset: a tank has no suction pressure.
    expect(await issuesFor([step({ asset: "T101", gate: "suctionPressure < 1" })])).toEqual([
      'procedures/test.json at steps[0].gate: unknown point "suctionPressure" on Tank at column 1',
    ]);
  });

  it("shape errors (no text, unknown evidence, an extra key, an id that is not the file's name) are named", async () => {
    const { model } = await demoPlant();
    const bad = checkProcedure(
      { id: "other", title: "T", steps: [{ asset: "P401" }, step({ evidence: "photo" }), step({ colour: 1 })] },
      FILE,
      model,
    ).issues.map((i) => `${i.path}: ${i.reason}`);
    expect(bad).toHaveLength(3);
    expect(bad[0]).toMatch(/^steps\[0\]\.text: /);
    expect(bad[1]).toMatch(/^steps\[1\]\.evidence: /);
    expect(bad[2]).toMatch(/^steps\[2\]: .*colour/);
    expect(checkProcedure(proc([step({})]), "procedures/other.json", model).issues.map(formatIssue)).toEqual([
      'procedures/other.json at id: id "test" must match the file name "other".',
    ]);
  });

  it("a plant with a bad procedure does not load, and the error names the file and step", async () => {
    const { dir } = copyDemoPlant();
    fs.writeFileSync(
      path.join(dir, "procedures", "broken.json"),
      JSON.stringify({ id: "broken", title: "B", steps: [step({ gate: "vibration > 4 and" })] }),
    );
    fs.writeFileSync(path.join(dir, "procedures", "notjson.json"), "{");
    const err = await loadPlantDir(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlantError);
    const lines = (err as PlantError).issues.map(formatIssue);
    expect(lines).toContain("procedures/broken.json at steps[0].gate: unexpected end of expression at column 18");
    expect(lines.some((l) => l.startsWith("procedures/notjson.json: not valid JSON"))).toBe(true);
  });
});

describe("a procedure run: gates on the live twin, notes, and a hash chain over the journal rows", () => {
  const actor = { name: "Ada", seat: "s1", device: "desktop", role: "operator" };

  async function setup() {
    const plant = await demoPlant();
    const twin = new PlantTwin(plant.model);
    let now = 1_000_000;
    const journal = new PlantJournal("demo", () => now);
    const p = plant.procedures.find((x) => x.id === "isolate-p401")!;
    const run = new ProcedureRun("run1", p, twin, plant.model, journal);
    const put = (tw: string, point: string, v: number, ts: number) => {
      twin.apply(twin.indexOf(tw, point)!, v, ts, Quality.GOOD, ts);
      now = ts;
    };
    const rows: ChainedRow[] = [];
    const commit = (row: ChainedRow & { kind: string }) => {
      rows.push(row);
      run.commit(row);
    };
    commit(run.startRow(actor));
    return { run, put, rows, commit };
  }

  it("'done' is refused while the gate does not hold for its duration, then accepted with the asset's values", async () => {
    const { run, put, commit } = await setup();
    expect(run.prepareDone(actor, 0, "")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no value yet/) as string,
    });
    put("P401", "running", 1, 1_000_000);
    put("P401", "suctionPressure", 0.6, 1_000_000);
    run.evaluate(1_000_000);
    const early = run.prepareDone(actor, 0, "");
    expect(early).toEqual({
      ok: false,
      code: "invalid",
      message:
        'Step 1 cannot be done yet: P401 must meet "running == 1 and suctionPressure < 0.25 for 5s" (now: running running, suctionPressure 0.60 bar).',
    });
    put("P401", "suctionPressure", 0.08, 1_001_000);
    run.evaluate(1_001_000);
    expect(run.gateHolds()).toBe(false); // below 0.25, but not yet for 5 s
    put("P401", "suctionPressure", 0.09, 1_006_000);
    run.evaluate(1_006_000);
    expect(run.gateHolds()).toBe(true);
    const ok = run.prepareDone(actor, 0, "");
    if (!ok.ok) throw new Error(ok.message);
    expect(ok.row.data).toMatchObject({ step: 1, asset: "P401", values: { running: 1, suctionPressure: 0.09 } });
    commit(ok.row);
    expect(run.step).toBe(1);
    // A second press on the same step is not a second step.
    expect(run.prepareDone(actor, 0, "")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/already done/) as string,
    });
  });

  it("a step that asks for a note is refused without one", async () => {
    const { run, put, commit } = await setup();
    put("P401", "running", 1, 1_000_000);
    put("P401", "suctionPressure", 0.1, 1_000_000);
    run.evaluate(1_000_000);
    put("P401", "suctionPressure", 0.1, 1_005_000);
    run.evaluate(1_005_000);
    commit((run.prepareDone(actor, 0, "") as { row: ChainedRow & { kind: string } }).row);
    put("T101", "level", 60, 1_005_500);
    run.evaluate(1_005_500);
    commit((run.prepareDone(actor, 1, "") as { row: ChainedRow & { kind: string } }).row);
    expect(run.prepareDone(actor, 2, "  ")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/asks for a note/) as string,
    });
    const r = run.prepareDone(actor, 2, "Lock 17");
    expect(r.ok).toBe(true);
  });

  it("the rows of a run verify, and changing a value, dropping a row or reordering breaks the chain", async () => {
    const { run, put, rows, commit } = await setup();
    put("P401", "running", 1, 1_000_000);
    put("P401", "suctionPressure", 0.1, 1_000_000);
    run.evaluate(1_000_000);
    put("P401", "suctionPressure", 0.1, 1_005_000);
    run.evaluate(1_005_000);
    commit((run.prepareDone(actor, 0, "") as { row: ChainedRow & { kind: string } }).row);
    put("T101", "level", 60, 1_005_500);
    run.evaluate(1_005_500);
    commit((run.prepareDone(actor, 1, "") as { row: ChainedRow & { kind: string } }).row);
    commit((run.prepareStop(actor, "shift change") as { row: ChainedRow & { kind: string } }).row);
    expect(run.status).toBe("stopped");
    expect(verifyChain(rows)).toMatchObject({ ok: true, rows: 4, last: run.hash });

    const changed = structuredClone(rows);
    (changed[1]!.data["values"] as Record<string, number>)["suctionPressure"] = 0.5;
    expect(verifyChain(changed)).toMatchObject({
      ok: false,
      row: 1,
      reason: expect.stringMatching(/was changed/) as string,
    });
    expect(verifyChain([rows[0]!, rows[2]!, rows[3]!])).toMatchObject({ ok: false, row: 1 });
    expect(verifyChain([rows[0]!, rows[2]!, rows[1]!, rows[3]!])).toMatchObject({ ok: false, row: 1 });
  });
});
