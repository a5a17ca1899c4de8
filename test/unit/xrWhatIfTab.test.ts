/**
 * What if… on the headset's wrist (client/xr/whatIfTab.ts) on the demo plant's own process model: what a pump
 * offers (its speed, stepped from the live value within the model's range), what the look-ahead steps through,
 * the request Predict makes, who may ask, and the room's what-ifs listed with their predicted values at the
 * look-ahead, the drawn one first.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PlantModel } from "../../shared/plant.ts";
import { processLinks, type ProcessLink } from "../../shared/processModel.ts";
import { tabText, type Me, type PanelAction } from "../../client/xr/panelModels.ts";
import { valueStep, WristWhatIf, type WhatIfLike, type WhatIfView } from "../../client/xr/whatIfTab.ts";
import { changesFor } from "../../client/ui/whatIfChanges.ts";
import { demoPlant } from "./fixtures.ts";

let model: PlantModel;
let links: ProcessLink[];
beforeAll(async () => {
  model = (await demoPlant()).model;
  links = processLinks(model.relationships);
});

const FORK = 1_000_000;
const lead: Me = { seat: "s1", name: "Ada", role: "operator" };
const viewer: Me = { seat: "s2", name: "Bo", role: "viewer" };

function view(speed: number | null, whatIfs: WhatIfLike[] = []): WhatIfView {
  const points = new Map(speed === null ? [] : [["speed", { v: speed, ts: 1000 }]]);
  return {
    past: false,
    at: FORK + 60_000,
    twins: new Map([["P101", { points }]]),
    room: { whatIfs: new Map(whatIfs.map((w) => [w.id, w])) },
  };
}

function whatIf(id: string, flowEnd: number, over: Partial<WhatIfLike> = {}): WhatIfLike {
  const flow = Array.from({ length: 121 }, (_, i) => 12 - ((12 - flowEnd) * i) / 120);
  return {
    id,
    twin: "P101",
    point: "speed",
    value: 1450,
    from: FORK,
    horizonS: 600,
    stepS: 5,
    series: new Map([
      [
        "P101/speed",
        { twin: "P101", point: "speed", values: Array(121).fill(1450), limit: "", limitValue: 0, limitAfterS: 0 },
      ],
      ["L101/flow", { twin: "L101", point: "flow", values: flow, limit: "", limitValue: 0, limitAfterS: 0 }],
    ]),
    ...over,
  };
}

const press = (w: WristWhatIf, v: WhatIfView, a: PanelAction | undefined) => {
  if (a?.kind !== "whatif") throw new Error(`not a what-if button: ${JSON.stringify(a)}`);
  return w.act(a.op, v);
};

describe("What if on the wrist", () => {
  it("steps cross a range in about ten presses of 1, 2 or 5 × a power of ten", () => {
    expect(valueStep([0, 2900])).toBe(200);
    expect(valueStep([0, 100])).toBe(10);
    expect(valueStep([0, 50])).toBe(5);
    expect(valueStep([0, 12])).toBe(1);
  });

  it("offers a pump's speed from its live value, steps it within the model's range, and Predict asks the room for it", () => {
    const w = new WristWhatIf(model, links);
    const v = view(2900);
    let m = w.tab(v, "P101", lead);
    expect(tabText(m)).toContain(
      "What if on P101\n[Speed ▸] [Predict]\nSet to 2900 rpm — now 2900 rpm · 0 to 2900 rpm [−] [+]",
    );
    expect(tabText(m)).toContain("Look ahead 10 min — moves L101 flow, L101 pressure [−] [+]");
    // + at the top of the range stays there; − steps down by 200 rpm.
    press(w, v, m.rows[0]!.buttons[1]!.action);
    press(w, v, m.rows[0]!.buttons[0]!.action);
    press(w, v, m.rows[0]!.buttons[0]!.action);
    press(w, v, m.rows[1]!.buttons[1]!.action);
    m = w.tab(v, "P101", lead);
    expect(tabText(m)).toContain("Set to 2500 rpm");
    expect(tabText(m)).toContain("Look ahead 20 min");
    expect(press(w, v, m.actions[1]!.action)).toEqual({
      type: "whatIf",
      payload: { twin: "P101", point: "speed", value: 2500, horizonS: 1200 },
      done: "Predicted P101 Speed at 2500 rpm",
    });
  });

  it("the look-ahead stops at the ends of the inspector's list (2 and 30 minutes)", () => {
    const w = new WristWhatIf(model, links);
    const v = view(2900);
    const m = w.tab(v, "P101", lead);
    for (let i = 0; i < 6; i++) press(w, v, m.rows[1]!.buttons[0]!.action);
    expect(tabText(w.tab(v, "P101", lead))).toContain("Look ahead 2 min");
    for (let i = 0; i < 6; i++) press(w, v, m.rows[1]!.buttons[1]!.action);
    expect(tabText(w.tab(v, "P101", lead))).toContain("Look ahead 30 min");
  });

  it("without a live value there is nothing to start from: Predict is greyed with the reason", () => {
    const w = new WristWhatIf(model, links);
    const m = w.tab(view(null), "P101", lead);
    expect(m.actions[1]).toMatchObject({ label: "Predict", disabled: "No live speed on P101 to start from" });
    expect(press(w, view(null), m.actions[1]!.action)).toBeNull();
  });

  it("an asset the model cannot change says so, and a viewer is told who may ask; both still see the room's what-ifs", () => {
    const w = new WristWhatIf(model, links);
    const v = view(2900, [whatIf("a", 6)]);
    const line = tabText(w.tab(v, "T201", lead));
    expect(line).toContain("What if on T201\nNothing to change here — the process model has no input on it");
    expect(line).toContain("P101 Speed → 1450 rpm — +10 min: L101 Flow 6.00 L/s [Shown] [Remove]");
    const asViewer = tabText(w.tab(v, "P101", viewer));
    expect(asViewer).toContain("Operators and up ask");
    // No Remove for a viewer.
    expect(asViewer.split("\n").at(-1)).toBe("P101 Speed → 1450 rpm — +10 min: L101 Flow 6.00 L/s [Shown]");
  });

  it("lists the room's what-ifs with their values at the look-ahead, the drawn one first; Show draws another", () => {
    const w = new WristWhatIf(model, links);
    const v = view(2900, [whatIf("a", 6), whatIf("b", 3, { value: 725 })]);
    let m = w.tab(v, "P101", lead);
    // The newest is drawn when nobody picked one.
    expect(w.shown(v)?.id).toBe("b");
    expect(m.rows[2]!.text).toBe("P101 Speed → 725 rpm");
    expect(m.rows[3]!.text).toBe("P101 Speed → 1450 rpm");
    // Five minutes ahead: halfway along the predicted flow.
    press(w, v, m.rows[1]!.buttons[0]!.action);
    m = w.tab(v, "P101", lead);
    expect(m.rows[3]!.sub).toBe("+5 min: L101 Flow 9.00 L/s");
    press(w, v, m.rows[3]!.buttons[0]!.action);
    expect(w.shown(v)?.id).toBe("a");
    expect(w.tab(v, "P101", lead).rows[2]!.text).toBe("P101 Speed → 1450 rpm");
    expect(press(w, v, m.rows[3]!.buttons[1]!.action)).toMatchObject({ type: "whatIfRemove", payload: { id: "a" } });
  });

  it("the drawn what-if's first limit crossing has a row of its own, with the time left", () => {
    const w = new WristWhatIf(model, links);
    const low = whatIf("a", 6);
    const level = {
      twin: "T201",
      point: "level",
      values: Array(121).fill(20),
      limit: "lowWarning",
      limitValue: 12,
      limitAfterS: 420,
    };
    const v = view(2900, [{ ...low, series: new Map([...low.series, ["T201/level", level]]) }]);
    const m = w.tab(v, "P101", lead);
    expect(m.rows[3]).toMatchObject({
      text: "T201 Level in ~7 min",
      sub: "T201 Level reaches LOW WARNING 12 % in ~7 min",
    });
  });

  it("offers the desktop form's changes and faults: stuck, drifting, cavitation, each asked as the server expects", () => {
    const w = new WristWhatIf(model, links);
    const v = view(2900);
    const labels: string[] = [];
    for (let i = 0; i < 4; i++) {
      const m = w.tab(v, "P101", lead);
      labels.push(m.actions[0]!.label);
      if (i === 1) {
        expect(tabText(m)).toContain("Stuck at 2900 rpm — now 2900 rpm · 0 to 2900 rpm [−] [+]");
        press(w, v, m.rows[0]!.buttons[0]!.action);
        expect(press(w, v, w.tab(v, "P101", lead).actions[1]!.action)).toEqual({
          type: "whatIf",
          payload: { twin: "P101", point: "speed", fault: "stuck", value: 2700, horizonS: 600 },
          done: "Predicted P101 Speed stuck at 2700 rpm",
        });
      }
      if (i === 2) {
        // A drift starts at 0, which asks nothing: Predict is greyed with what to do.
        expect(tabText(m)).toContain("Drifts 0 rpm/min — now 2900 rpm");
        expect(m.actions[1]).toMatchObject({ label: "Predict", disabled: "Step the drift with − or + first" });
        press(w, v, m.rows[0]!.buttons[0]!.action);
        expect(tabText(w.tab(v, "P101", lead))).toContain("Drifts -200 rpm/min");
        expect(press(w, v, w.tab(v, "P101", lead).actions[1]!.action)).toEqual({
          type: "whatIf",
          payload: { twin: "P101", point: "speed", fault: "drift", perMinute: -200, horizonS: 600 },
          done: "Predicted P101 Speed drifting -200 rpm/min",
        });
      }
      if (i === 3) {
        expect(tabText(m)).toContain(
          "Cavitation (flow falls ~40 %) — as the model sees it: speed acts at 60 %\nLook ahead 10 min — moves L101 flow",
        );
        expect(press(w, v, m.actions[1]!.action)).toEqual({
          type: "whatIf",
          payload: { twin: "P101", fault: "cavitation", horizonS: 600 },
          done: "Predicted P101 cavitation",
        });
      }
      press(w, v, m.actions[0]!.action);
    }
    expect(labels).toEqual(["Speed ▸", "Speed stuck ▸", "Speed drifts ▸", "Cavitation ▸"]);
    // Round again: back to setting the speed.
    expect(w.tab(v, "P101", lead).actions[0]!.label).toBe("Speed ▸");
  });

  it("every asset of the demo offers on the wrist exactly the faults the desktop form offers", () => {
    const w = new WristWhatIf(model, links);
    const v = view(2900);
    for (const t of model.twins) {
      const offered = changesFor(links, t.id);
      const labels = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const m = w.tab(v, t.id, lead);
        if (m.actions[0]) labels.add(m.actions[0].label.replace(/ ▸$/, ""));
        press(w, v, m.actions[0]?.action ?? { kind: "whatif", op: { op: "point" } });
      }
      const faults = offered.filter((c) => !c.needsPoint).map((c) => c.short);
      expect(
        [...labels].filter((l) => faults.includes(l)),
        t.id,
      ).toEqual(faults);
      if (offered.length === 0) expect(labels.size, t.id).toBe(0);
    }
    expect(changesFor(links, "XV101").map((c) => c.short)).toContain("Valve stuck");
  });

  it("a fault what-if is listed by its fault", () => {
    const w = new WristWhatIf(model, links);
    const v = view(2900, [whatIf("a", 7.2, { fault: "cavitation", value: 1740 })]);
    expect(w.tab(v, "T201", lead).rows[1]!.text).toBe("P101 cavitation");
  });

  it("a long title wraps at a word onto the line below and still says what it is, its rate whole", () => {
    const w = new WristWhatIf(model, links);
    const v = view(2900, [whatIf("a", 7.2, { fault: "drifting +200 rpm/min", value: 2900 })]);
    const r = w.tab(v, "T201", lead).rows[1]!;
    expect(r.text).toBe("P101 Speed drifting");
    expect(r.sub).toMatch(/^\+200 rpm\/min · \+10 min: L101 /);
  });

  it("under the drawn what-if: how far its prediction of the first point it moves was off, in the desktop's sentence", () => {
    const asked: { ask: unknown; to: number }[] = [];
    const misses = {
      read: (ask: { id: string; point: string }, to: number) => {
        asked.push({ ask, to });
        return ask.point === "flow" ? { afterS: 45, predicted: 12, actual: 7.214 } : null;
      },
    };
    const w = new WristWhatIf(model, links, misses);
    const m = w.tab(view(2900, [whatIf("a", 7.2)]), "T201", lead);
    expect(m.rows[2]).toMatchObject({
      text: "L101 Flow: At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s",
      wrap: true,
    });
    // The prediction the room holds, from its fork, compared up to the instant the tab shows.
    expect(asked).toHaveLength(1);
    expect(asked[0]!.to).toBe(FORK + 60_000);
    expect(asked[0]!.ask).toMatchObject({ id: "a", twin: "L101", point: "flow", from: FORK, stepMs: 5000 });
    // Nothing known yet: no row.
    const none = new WristWhatIf(model, links, { read: () => null });
    expect(tabText(none.tab(view(2900, [whatIf("a", 7.2)]), "T201", lead))).not.toContain("predicted");
  });
});
