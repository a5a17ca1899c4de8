/**
 * Drill scoring (docs/TRAINING.md, "Scoring") and scenario files: a trainee's score from the drill room's journal
 * rows — time to detect, time to the correct action, wrong actions, ISA-18.2 alarm handling — and scenario files
 * checked at load with the file and the field named.
 */
import { describe, expect, it } from "vitest";
import { ACK_TARGET_MS, scoreDrill, type DrillFacts, type DrillRow } from "../../server/drills/scoreDrill.ts";
import { checkScenario } from "../../server/drills/DrillScenario.ts";
import { formatIssue } from "../../server/plant/PlantError.ts";
import { demoPlant } from "./fixtures.ts";

const T0 = 1_700_000_000_000;
const ONSET = T0 + 5_000;
const ALARM = "pump-cavitation:P401";
const ME = "seat-tina";
const facts = (over: Partial<DrillFacts> = {}): DrillFacts => ({
  onsetAt: ONSET,
  limitMs: 600_000,
  expect: { asset: "P401", alarm: "pump-cavitation" },
  seats: new Set([ME]),
  ...over,
});
const at = (s: number) => ONSET + s * 1000;
const row = (s: number, kind: string, subject: string, data: Record<string, unknown> = {}): DrillRow => ({
  ts: at(s),
  kind,
  subject,
  data,
});
const active = (s: number, alarm = ALARM) => row(s, "alarm.active", alarm);
const ack = (s: number, alarm = ALARM, seat = ME) => row(s, "alarm.ack", alarm, { seat });
const shelve = (s: number, alarm = ALARM, seat = ME) => row(s, "alarm.shelve", alarm, { seat });
const select = (s: number, twin: string, seat = ME) => row(s, "select", twin, { seat, twin });

describe("drill score: time to detect", () => {
  it("counts from the fault's onset to the trainee's first selection of the faulty asset", () => {
    const s = scoreDrill([active(15), select(20, "P401"), ack(25)], facts());
    expect(s.detectMs).toBe(20_000);
  });
  it("an acknowledgement of the drill's alarm detects it too, whichever comes first", () => {
    expect(scoreDrill([active(15), ack(18), select(30, "P401")], facts()).detectMs).toBe(18_000);
  });
  it("starting the drill's procedure detects it", () => {
    const f = facts({ expect: { asset: "P401", alarm: "pump-cavitation", procedure: "isolate-p401" } });
    const start = row(12, "procedure.start", "run1", { seat: ME, procedure: "isolate-p401" });
    expect(scoreDrill([start], f).detectMs).toBe(12_000);
  });
  it("a selection before the onset does not count (the fault was not there yet)", () => {
    expect(scoreDrill([select(-3, "P401")], facts()).detectMs).toBeNull();
  });
  it("selecting another asset, or someone else selecting the faulty one, does not detect it", () => {
    const s = scoreDrill([select(10, "T101"), select(11, "P401", "seat-other")], facts());
    expect(s.detectMs).toBeNull();
  });
  it("nothing done: no detection, no correction, and the unacknowledged alarm is a handling finding", () => {
    const s = scoreDrill([active(15)], facts());
    expect(s).toMatchObject({ detectMs: null, correctMs: null, wrong: [] });
    expect(s.handling).toEqual([`Did not acknowledge the drill's alarm ${ALARM}.`]);
    expect(s.points).toBe(20);
  });
});

describe("drill score: time to the correct action", () => {
  it("without a procedure in the scenario, acknowledging the drill's alarm is the correct action", () => {
    const s = scoreDrill([active(15), select(20, "P401"), ack(25)], facts());
    expect(s.correctMs).toBe(25_000);
    expect(s.points).toBe(100);
  });
  it("acknowledging another alarm is not the correct action (and is not wrong either)", () => {
    const s = scoreDrill([active(3, "valve-stuck:XV311"), ack(4, "valve-stuck:XV311")], facts());
    expect(s.correctMs).toBeNull();
    expect(s.wrong).toEqual([]);
  });
  it("with a procedure, only its completion by the trainee is the correct action", () => {
    const f = facts({ expect: { asset: "XV311", alarm: "valve-stuck", procedure: "free-stuck-valve" } });
    const rows = [
      row(20, "alarm.active", "valve-stuck:XV311"),
      row(25, "alarm.ack", "valve-stuck:XV311", { seat: ME }),
      row(30, "procedure.start", "r", { seat: ME, procedure: "free-stuck-valve" }),
      row(40, "procedure.step", "r", { seat: ME, procedure: "free-stuck-valve", completed: false }),
      row(55, "procedure.step", "r", { seat: ME, procedure: "free-stuck-valve", completed: true }),
    ];
    const s = scoreDrill(rows, f);
    expect(s.correctMs).toBe(55_000);
    expect(s.detectMs).toBe(25_000);
    expect(scoreDrill(rows.slice(0, 4), f).correctMs).toBeNull();
  });
  it("time points fall linearly after their full window and reach zero at the drill's limit", () => {
    // The acknowledgement both detects (30 full up to 60 s) and corrects (40 full up to 120 s); handling clean (30).
    const ackAt = (s: number) => scoreDrill([active(s), ack(s)], facts({ limitMs: 600_000 })).points;
    expect(ackAt(60)).toBe(100);
    expect(ackAt(120)).toBe(97); // 30 × 480/540 + 40 + 30
    expect(ackAt(360)).toBe(63); // 30 × 240/540 + 40 × 240/480 + 30
    expect(ackAt(600)).toBe(30);
  });
});

describe("drill score: wrong actions and ISA-18.2 handling", () => {
  it("shelving the drill's alarm is wrong, and shelving it unacknowledged breaks ISA-18.2 practice", () => {
    const s = scoreDrill([active(15), shelve(20)], facts());
    expect(s.wrong).toEqual([`Shelved the drill's alarm ${ALARM}: it hides the fault.`]);
    expect(s.handling).toEqual([
      `Shelved ${ALARM} before acknowledging it.`,
      `Did not acknowledge the drill's alarm ${ALARM}.`,
    ]);
  });
  it("shelving another alarm after acknowledging it is one wrong action and no handling finding", () => {
    const other = "valve-stuck:XV311";
    const s = scoreDrill([active(3, other), ack(4, other), shelve(6, other), active(15), ack(20)], facts());
    expect(s.wrong).toEqual([`Shelved the alarm ${other} during the upset instead of dealing with it.`]);
    expect(s.handling).toEqual([]);
    expect(s.points).toBe(90);
  });
  it("an alarm acknowledged by someone else before the trainee shelves it is acknowledged", () => {
    const other = "valve-stuck:XV311";
    const s = scoreDrill([active(3, other), ack(4, other, "seat-instructor"), shelve(6, other)], facts());
    expect(s.handling).not.toContain(`Shelved ${other} before acknowledging it.`);
  });
  it("starting another procedure than the drill's is a wrong action", () => {
    const f = facts({ expect: { asset: "P401", alarm: "pump-cavitation", procedure: "isolate-p401" } });
    const s = scoreDrill([row(10, "procedure.start", "r", { seat: ME, procedure: "free-stuck-valve" })], f);
    expect(s.wrong).toEqual([`Started the procedure "free-stuck-valve", which does not fix this fault.`]);
  });
  it("a slow acknowledgement of the drill's alarm is a handling finding", () => {
    const s = scoreDrill([active(15), ack(15 + ACK_TARGET_MS / 1000 + 30)], facts());
    expect(s.handling).toEqual([`Acknowledged the drill's alarm 90 s after it came in (aim for 60 s).`]);
  });
  it("points never go below zero", () => {
    const rows = [active(1), ...Array.from({ length: 12 }, (_, i) => shelve(2 + i, `x${i}:T101`))];
    expect(scoreDrill(rows, facts()).points).toBe(0);
  });
  it("rows out of order give the same score as in order", () => {
    const rows = [active(15), select(20, "P401"), ack(25)];
    expect(scoreDrill([...rows].reverse(), facts())).toEqual(scoreDrill(rows, facts()));
  });
});

describe("drill scenario files: checked at load, each problem naming the file and the field", () => {
  const good = {
    id: "test",
    title: "Cavitation",
    brief: "Find it.",
    fault: { name: "cavitation", target: "P401", onsetSeconds: 5 },
    expect: { asset: "P401", alarm: "pump-cavitation" },
  };
  async function issues(over: Record<string, unknown>) {
    const { model } = await demoPlant();
    return checkScenario(
      { ...good, ...over },
      "drills/test.json",
      model,
      ["pump-cavitation", "valve-stuck"],
      ["isolate-p401"],
    ).issues.map(formatIssue);
  }
  it("the demo's drills load with the plant", async () => {
    const plant = await demoPlant();
    expect(plant.drills.map((d) => d.id)).toEqual(["cip-pump-cavitation", "stuck-valve-xv311"]);
  });
  it("a good file has no problem and gets its defaults", async () => {
    const { model } = await demoPlant();
    const r = checkScenario(good, "drills/test.json", model, ["pump-cavitation"], []);
    expect(r.issues).toEqual([]);
    expect(r.scenario).toMatchObject({ distractors: [], limitSeconds: 600, file: "drills/test.json" });
  });
  it("an unknown fault, asset, rule or procedure is named with its field", async () => {
    expect(await issues({ fault: { name: "fire", target: "P401", onsetSeconds: 5 } })).toEqual([
      expect.stringMatching(/^drills\/test\.json at fault\.name: /),
    ]);
    expect(await issues({ fault: { name: "cavitation", target: "P4O1", onsetSeconds: 5 } })).toEqual([
      expect.stringMatching(/^drills\/test\.json at fault\.target: unknown asset "P4O1" \(did you mean "P401"\?\)\.$/),
    ]);
    expect(await issues({ expect: { asset: "P401", alarm: "pump-cavitaton" } })).toEqual([
      expect.stringMatching(/^drills\/test\.json at expect\.alarm: unknown rule "pump-cavitaton"/),
    ]);
    expect(await issues({ expect: { asset: "P401", alarm: "pump-cavitation", procedure: "nope" } })).toEqual([
      expect.stringMatching(/^drills\/test\.json at expect\.procedure: unknown procedure "nope"/),
    ]);
  });
  it("a distractor after the drill's limit, a wrong id and an unknown field are refused", async () => {
    expect(
      await issues({ limitSeconds: 60, distractors: [{ name: "stuck-valve", target: "XV311", onsetSeconds: 90 }] }),
    ).toEqual(["drills/test.json at distractors[0].onsetSeconds: must come before limitSeconds."]);
    expect(await issues({ id: "other" })).toEqual([
      `drills/test.json at id: id "other" must match the file name "test".`,
    ]);
    expect(await issues({ colour: "red" })).toEqual([expect.stringMatching(/^drills\/test\.json: .*colour/)]);
  });
});
