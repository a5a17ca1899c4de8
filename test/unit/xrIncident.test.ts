/** Incident reports on the wrist as data: the report in words and time order, paged four lines at a time. */
import { describe, expect, it } from "vitest";
import { incidentTab, reportLines, reportPages, reportsTab, type IncidentLike } from "../../client/xr/incidentTab.ts";
import { tabText } from "../../client/xr/panelModels.ts";

const T = Date.UTC(2026, 11, 6, 9, 0, 0);
const entry = (
  id: number,
  ts: number,
  kind: string,
  actor: string,
  data: Record<string, unknown> = {},
  subject = "a1",
) => ({
  id,
  ts,
  kind,
  actor,
  subject,
  data,
});
const inc: IncidentLike = {
  alarm: { id: "a1", twin: "T102", message: "Level high", activeAt: T, state: "ack-active" },
  lifecycle: [
    entry(3, T, "alarm.active", "system", { message: "Level high" }),
    entry(5, T + 60_000, "alarm.ack", "Bo"),
    entry(6, T + 90_000, "alarm.shelve", "Bo", { reason: "Probe being swapped" }),
    entry(9, T + 1_890_000, "alarm.unshelve", "system"),
  ],
  collaboration: [
    entry(1, T - 120_000, "join", "Bo", {}, "seat1"),
    entry(5, T + 60_000, "alarm.ack", "Bo"),
    entry(7, T + 100_000, "annotation.create", "Ada", { text: "Probe loose", twin: "T102" }, "n1"),
  ],
};

describe("an incident report on the wrist", () => {
  it("reads as a timeline in words: who did what, the shelve reason and note text kept, each event once", () => {
    expect(reportLines(inc).map((l) => `${l.text}|${l.sub}`)).toEqual([
      "Bo joined|",
      "Alarm came in|Level high",
      "Acknowledged by Bo|",
      "Shelved by Bo|Probe being swapped",
      "Ada pinned a note|Probe loose",
      "Shelving ran out|",
    ]);
  });

  it("a what-if asked during the incident is in its place, with how far its prediction was off on two lines", () => {
    const asked: IncidentLike = {
      ...inc,
      whatIfs: [
        {
          ts: T + 30_000,
          by: "Ada",
          change: "P102 Speed (stuck where it is), 10 min ahead",
          misses: [{ name: "L102 Flow", text: "At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s" }],
        },
      ],
    };
    expect(reportLines(asked).map((l) => `${l.text}|${l.sub}`)).toEqual([
      "Bo joined|",
      "Alarm came in|Level high",
      "Ada asked what if|P102 Speed (stuck where it is), 10 min ahead",
      "L102 Flow: At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s|",
      "Acknowledged by Bo|",
      "Shelved by Bo|Probe being swapped",
      "Ada pinned a note|Probe loose",
      "Shelving ran out|",
    ]);
    expect(incidentTab(asked, 0).rows[3]).toMatchObject({
      text: "L102 Flow: At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s",
      wrap: true,
    });
  });

  it("says a cleared condition and an unknown event in words, never as journal codes", () => {
    const more: IncidentLike = {
      ...inc,
      lifecycle: [entry(20, T + 5, "alarm.cleared", "system", { state: "rtn-unack" })],
      collaboration: [entry(21, T + 6, "procedure.step_done", "Ada", {}, "run1")],
    };
    expect(reportLines(more).map((l) => `${l.text}|${l.sub}`)).toEqual([
      "Condition cleared|now cleared, not acknowledged",
      "Ada: procedure step done|",
    ]);
  });

  it("pages four lines at a time with Back, Earlier and Later", () => {
    expect(reportPages(inc)).toBe(2);
    const p1 = incidentTab(inc, 0);
    expect(p1.header).toBe("T102 · Level high (1/2)");
    expect(p1.actions.map((a) => a?.label ?? null)).toEqual(["Back", null, "Later ▶"]);
    expect(p1.rows).toHaveLength(4);
    const p2 = incidentTab(inc, 9);
    expect(p2.header).toMatch(/\(2\/2\)$/);
    expect(p2.actions.map((a) => a?.label ?? null)).toEqual(["Back", "◀ Earlier", null]);
    expect(tabText(p2)).toMatch(/Ada pinned a note — \S+ · Probe loose\nShelving ran out — \S+$/);
  });

  it("lists the alarms to pick from, newest first, each with Report", () => {
    const a = (id: string, activeAt: number) => ({
      id,
      twin: "P101",
      severity: 3,
      state: "unack-active",
      message: id,
      activeAt,
      ackedBy: "",
      shelvedBy: "",
      shelvedUntil: 0,
    });
    const m = reportsTab([a("older", T), a("newer", T + 1000)]);
    expect(m.rows.map((r) => `${r.text}|${r.buttons[1]?.label}`)).toEqual([
      "P101 · newer|Report",
      "P101 · older|Report",
    ]);
    expect(reportsTab([]).header).toBe("No alarms to report on");
  });
});
