/**
 * The inspector's What if… form offers only the changes the server's process model accepts for the asset, and turns
 * the person's number into the request the server expects (or a sentence when it is not a number).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { processLinks, type ProcessLink } from "../../shared/processModel.ts";
import { askFor, changesFor, type WhatIfChange } from "../../client/ui/whatIfChanges.ts";
import { faultPlan } from "../../server/whatif/faultChange.ts";
import { demoPlant } from "./fixtures.ts";

let links: ProcessLink[];
beforeAll(async () => {
  links = processLinks((await demoPlant()).model.relationships);
});

const ids = (cs: WhatIfChange[]) => cs.map((c) => c.id);
const change = (twin: string, id: string) => changesFor(links, twin).find((c) => c.id === id)!;

describe("what-if changes offered per asset", () => {
  it("a pump offers cavitation, a valve a stuck valve, an asset no link starts at nothing", () => {
    expect(ids(changesFor(links, "P101"))).toEqual(["set", "stuck", "drift", "cavitation"]);
    expect(ids(changesFor(links, "XV101"))).toEqual(["set", "stuck", "drift", "stuck-valve"]);
    expect(changesFor(links, "T201")).toEqual([]);
  });

  it("every fault it offers on the demo is one the server's model accepts (no button leads to a refusal)", () => {
    const twins = [...new Set(links.map((l) => l.from.split("/")[0]!))];
    for (const twin of twins)
      for (const c of changesFor(links, twin).filter((x) => !x.needsPoint)) {
        const ask = askFor(c, twin, "", "", 600);
        expect(typeof ask, `${twin} ${c.id}`).toBe("object");
        const plan = faultPlan(ask as Exclude<typeof ask, string>, links);
        expect(plan, `${twin} ${c.id}`).not.toHaveProperty("code");
        // What the form and the wrist say the fault acts through is what the server's model moves.
        expect((plan as { point: string }).point, `${twin} ${c.id}`).toBe(c.acts?.point);
      }
  });
});

describe("the form's number becomes the request", () => {
  it("set needs a number; stuck takes one or holds where it is; drift needs a non-zero rate", () => {
    expect(askFor(change("P101", "set"), "P101", "speed", "1450", 600)).toEqual({
      twin: "P101",
      point: "speed",
      value: 1450,
      horizonS: 600,
    });
    expect(askFor(change("P101", "set"), "P101", "speed", " ", 600)).toBe("Enter the new value as a number.");
    expect(askFor(change("P101", "stuck"), "P101", "speed", "", 300)).toEqual({
      twin: "P101",
      point: "speed",
      fault: "stuck",
      horizonS: 300,
    });
    expect(askFor(change("P101", "stuck"), "P101", "speed", "900", 300)).toMatchObject({ fault: "stuck", value: 900 });
    expect(askFor(change("P101", "drift"), "P101", "speed", "-50", 300)).toMatchObject({
      fault: "drift",
      perMinute: -50,
    });
    expect(askFor(change("P101", "drift"), "P101", "speed", "0", 300)).toMatch(/per minute \(not 0\)/);
    expect(askFor(change("P101", "drift"), "P101", "speed", "fast", 300)).toBe("Enter the number as a number.");
  });

  it("a catalogue fault names no point and no number", () => {
    expect(askFor(change("P101", "cavitation"), "P101", "speed", "", 600)).toEqual({
      twin: "P101",
      fault: "cavitation",
      horizonS: 600,
    });
  });
});
