/**
 * The wrist's Drills tab (client/xr/drillTab.ts) and the two-row tab strip (client/xr/panelLayout.ts): a trainee
 * sees the drill running for them (the brief, never the fault; how long it has run) and Join; in the drill room their
 * score in four lines and Debrief (greyed with the reason until they are scored); an instructor ends it and starts a
 * drill from the headset; and every tab's label, with a badge, fits its tab at the strip's type size.
 */
import { describe, expect, it } from "vitest";
import { WristDrills, elapsed, type DrillLike, type DrillRoomLike } from "../../client/xr/drillTab.ts";
import { TAB_LABELS, TABS, tabText, VISIBLE_ROWS } from "../../client/xr/panelModels.ts";
import { TAB_FONT, TAB_W, tabAt, tabUv } from "../../client/xr/panelLayout.ts";

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);
const tina = { seat: "s-tina", name: "Trainee Tina", role: "operator" };
const ines = { seat: "s-ines", name: "Instructor Ines", role: "expert" };
const BRIEF = "You take over the shift. Watch the plant, find what is wrong, and act on it as you would for real.";

function drill(over: Partial<DrillLike> = {}): DrillLike {
  return {
    id: "abcd1234",
    plant: "demo~drill-abcd1234",
    brief: BRIEF,
    instructor: "Instructor Ines",
    status: "running",
    startedAt: T0,
    endedAt: 0,
    stopped: "",
    replay: true,
    trainees: [
      {
        user: "dev:tina",
        name: "Trainee Tina",
        status: "running",
        detectMs: -1,
        correctMs: -1,
        points: 0,
        wrong: [],
        handling: [],
      },
    ],
    ...over,
  };
}

function room(plant: string, drills: DrillLike[], over: Partial<DrillRoomLike> = {}): DrillRoomLike {
  return {
    plant,
    viewTime: 0,
    playbackSpeed: 0,
    drills: new Map(drills.map((d) => [d.id, d])),
    seats: new Map([
      ["s-tina", { id: "s-tina", name: "Trainee Tina", user: "dev:tina" }],
      ["s-ines", { id: "s-ines", name: "Instructor Ines", user: "dev:ines" }],
    ]),
    ...over,
  };
}

const scored = {
  user: "dev:tina",
  name: "Trainee Tina",
  status: "scored",
  detectMs: 12_000,
  correctMs: 19_400,
  points: 80,
  wrong: ["Shelved the alarm limit.level:T102 during the upset instead of dealing with it."],
  handling: [],
};

describe("the Drills tab", () => {
  const scoredDrill = drill({ status: "ended", endedAt: T0 + 30_000, trainees: [scored] });
  // What the tab reads, line by line, for each role at one moment of a drill, and what its button does. A loop, not
  // it.each: it.each cuts a "$story" name to 40 characters in the report.
  const moments = [
    {
      story: "tells a trainee in the plant's room that a drill runs for them: the brief, how long, and Join",
      inRoom: "demo",
      shown: drill(),
      who: tina,
      at: T0 + 125_000,
      lines: [
        "A drill is running for you",
        "[Join drill]",
        "You take over the shift. Watch the — plant, find what is wrong, and act on it as you would",
        "for real.",
        "Under way 2:05 — instructor Instructor Ines",
        "Join drill reopens the page there: — enter VR again to take part",
      ],
      button: 0,
      op: { op: "join", plant: "demo~drill-abcd1234" },
    },
    {
      story: "shows the trainee's score: time to detect, time to act, wrong actions, alarm handling; Debrief is live",
      inRoom: scoredDrill.plant,
      shown: scoredDrill,
      who: tina,
      at: T0 + 40_000,
      lines: [
        "Your score: 80 points",
        "[Debrief]",
        "Found it in 12 s — time to detect, from the fault's start",
        "Acted in 19 s — time to the correct action",
        "1 wrong action — Shelved the alarm limit.level:T102 during the upset i…",
        "Alarm handling clean — ISA-18.2: acknowledged in time, nothing hidden",
      ],
      button: 0,
      op: { op: "debrief", drill: "abcd1234" },
    },
    {
      story: "shows the instructor every trainee's score with End drill and Debrief",
      inRoom: "demo~drill-abcd1234",
      shown: drill({ trainees: [scored, { ...scored, user: "dev:bo", name: "Bo", status: "running" }] }),
      who: ines,
      at: T0 + 61_000,
      lines: [
        "Drill · under way 1:01",
        "[Debrief] [End drill]",
        "Trainee Tina: 80 points — found 12 s · acted 19 s · 1 wrong · 0 alarm findings",
        "Bo: working on it…",
      ],
      button: 1,
      op: { op: "end", drill: "abcd1234" },
    },
  ];
  for (const { story, inRoom, shown, who, at, lines, button, op } of moments) {
    it(story, () => {
      const m = new WristDrills().tab(room(inRoom, [shown]), who, at);
      expect(tabText(m)).toBe(lines.join("\n"));
      expect(m.actions[button]!.action).toEqual({ kind: "drill", op });
    });
  }

  it("in the drill's room shows the trainee the brief until scored, with Debrief greyed and why", () => {
    const m = new WristDrills().tab(room("demo~drill-abcd1234", [drill()]), tina, T0 + 9_000);
    expect(m.header).toBe("Drill for you · under way 0:09");
    expect(m.actions[0]).toMatchObject({ label: "Debrief", disabled: "The debrief opens once you are scored" });
    expect(m.actions[1]).toBeNull(); // a trainee cannot end the drill
    expect(m.rows.at(-1)!.text).toBe("Find what is wrong and act");
    expect(m.rows.length).toBeLessThanOrEqual(VISIBLE_ROWS);
  });

  it("says where the debrief's replay is, over the score", () => {
    const replaying = { viewTime: T0 + 4_000, playbackSpeed: 1 };
    const m = new WristDrills().tab(room(scoredDrill.plant, [scoredDrill], replaying), tina, T0 + 40_000);
    expect(m.header).toMatch(/^Debrief ▶ 1× at \d\d:\d\d:\d\d$/);
    expect(m.rows[0]!.text).toBe("Found it in 12 s");
  });

  it("greys Debrief on a drill stopped by a server restart: nothing is left to replay", () => {
    const d = drill({ status: "ended", replay: false, stopped: "Stopped by a server restart", trainees: [scored] });
    expect(new WristDrills().tab(room(d.plant, [d]), ines, T0).actions[0]).toMatchObject({
      disabled: "The replay went with the server restart",
    });
    const onPlant = new WristDrills().tab(room("demo", [d]), tina, T0);
    expect(onPlant.rows[0]).toMatchObject({ text: "Your drill: 80 points", sub: "Stopped by a server restart" });
    expect(onPlant.rows[0]!.buttons).toEqual([null, null]);
  });

  it("lets an instructor start a drill from the headset: load scenarios, next scenario, pick a trainee, Start", () => {
    const tab = new WristDrills();
    const r = room("demo", []);
    const first = tab.tab(r, ines, T0);
    expect(first.actions[2]).toMatchObject({ label: "New drill" });
    expect(new WristDrills().tab(r, tina, T0).actions[2]).toBeNull(); // an operator starts none

    const load = tab.act({ op: "new" }, r);
    expect(load).toMatchObject({ type: "drills", payload: {} });
    expect(tab.tab(r, ines, T0).header).toBe("Loading the plant's drills…");
    if (!load || "join" in load) throw new Error("expected a request");
    load.then!({
      drills: [
        { id: "cip-pump-cavitation", title: "Cavitation on P401", brief: BRIEF, procedure: "", limitSeconds: 600 },
        { id: "stuck-valve-xv311", title: "Stuck valve XV311", brief: BRIEF, procedure: "", limitSeconds: 600 },
      ],
    });
    let m = tab.tab(r, ines, T0);
    expect(tabText(m)).toBe(
      ["Drill: Cavitation on P401", "[Scenario ▸] [Start (disabled)] [Back]", "Trainee Tina [Pick]"].join("\n"),
    );
    expect(m.actions[1]!.disabled).toBe("Pick the trainees below");
    expect(tab.act({ op: "scenario" }, r)).toBeNull();
    expect(tab.act({ op: "pick", seat: "s-tina" }, r)).toBeNull();
    m = tab.tab(r, ines, T0);
    expect(tabText(m)).toBe(
      ["Drill: Stuck valve XV311", "[Scenario ▸] [Start (1)] [Back]", "Trainee Tina — trainee [Drop]"].join("\n"),
    );
    const start = tab.act({ op: "start" }, r);
    expect(start).toMatchObject({
      type: "drillStart",
      payload: {
        scenario: "stuck-valve-xv311",
        trainees: ["s-tina"],
      },
    });
    expect((start as { payload: { request: string } }).payload.request).toMatch(/^[0-9a-f]{24}$/);
    if (!start || "join" in start) throw new Error("expected a request");
    start.then!({});
    expect(tab.tab(r, ines, T0).header).toBe("No drill under way");
  });

  it("disables Start with the reason when nobody else is here, and Pick for someone already in a drill", () => {
    const tab = new WristDrills();
    const alone = room("demo", [], {
      seats: new Map([["s-ines", { id: "s-ines", name: "Instructor Ines", user: "dev:ines" }]]),
    });
    const load = tab.act({ op: "new" }, alone);
    if (!load || "join" in load) throw new Error("expected a request");
    load.then!({ drills: [{ id: "a", title: "A", brief: BRIEF, procedure: "", limitSeconds: 600 }] });
    const m = tab.tab(alone, ines, T0);
    expect(m.actions[0]).toMatchObject({ disabled: "This plant has one drill scenario" });
    expect(m.actions[1]).toMatchObject({ disabled: "Nobody else is in the room to train" });
    const busy = tab.tab(room("demo", [drill()]), ines, T0);
    expect(busy.rows[0]).toMatchObject({ text: "Trainee Tina", sub: "in a drill under way" });
    expect(busy.rows[0]!.buttons[1]).toMatchObject({ disabled: "Trainee Tina is in a drill" });
  });

  it("writes elapsed time as minutes and seconds", () => {
    expect(elapsed(0)).toBe("0:00");
    expect(elapsed(65_400)).toBe("1:05");
    expect(elapsed(-5)).toBe("0:00");
  });
});

describe("the wrist's tab strip", () => {
  it("finds every tab where it is drawn, and nothing on the empty end of the second row", () => {
    for (const tab of TABS) expect(tabAt(...tabUv(tab))).toBe(tab);
    expect(tabAt(0.95, 0.25)).toBeNull();
  });

  it("fits every label (Alarms with a two-digit badge) inside its tab at the strip's type size", () => {
    // A bold system-ui glyph is at most ~0.62 em wide on average for these words; 12 px of rounded border inside.
    for (const tab of TABS) {
      const label = tab === "alarms" ? `${TAB_LABELS[tab]} 12` : TAB_LABELS[tab];
      expect(label.length * TAB_FONT * 0.62, label).toBeLessThanOrEqual(TAB_W - 24);
    }
    // Readable at arm's length: at least 0.85 cm type on the 30 cm strip (1024 px).
    expect((TAB_FONT / 1024) * 30).toBeGreaterThanOrEqual(0.85);
  });
});
