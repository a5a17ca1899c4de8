/**
 * Label decluttering (client/ui/declutter.ts): where labels would overlap on screen, the selected asset, then
 * assets in alarm, then in warning, then the nearer ones keep theirs; no two shown labels overlap.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { declutter, labelScale, type LabelBox } from "../../client/ui/declutter.ts";
import { AssetStatus } from "../../shared/status.ts";

const box = (id: string, over: Partial<LabelBox> = {}): LabelBox => ({
  id,
  x: 400,
  y: 300,
  w: 100,
  h: 40,
  dist: 40,
  status: AssetStatus.NORMAL,
  show: false,
  ...over,
});
const shown = (boxes: LabelBox[]) =>
  boxes
    .filter((b) => b.show)
    .map((b) => b.id)
    .sort();

function overlaps(a: LabelBox, b: LabelBox): boolean {
  const [sa, sb] = [labelScale(a.dist), labelScale(b.dist)];
  const ax = [a.x - (a.w * sa) / 2, a.x + (a.w * sa) / 2];
  const bx = [b.x - (b.w * sb) / 2, b.x + (b.w * sb) / 2];
  const ay = [a.y - a.h * sa, a.y];
  const by = [b.y - b.h * sb, b.y];
  return ax[0]! < bx[1]! && bx[0]! < ax[1]! && ay[0]! < by[1]! && by[0]! < ay[1]!;
}

describe("label declutter", () => {
  it("of two overlapping quiet labels, the nearer one shows", () => {
    const boxes = [box("far", { dist: 60, x: 420 }), box("near", { dist: 20 })];
    expect(declutter(boxes, null)).toBe(1);
    expect(shown(boxes)).toEqual(["near"]);
  });

  it("an asset in alarm keeps its label over a nearer quiet one, and over a nearer one in warning", () => {
    const boxes = [
      box("quiet", { dist: 5 }),
      box("warn", { dist: 8, x: 430, status: AssetStatus.WARNING }),
      box("alarm", { dist: 90, x: 410, status: AssetStatus.ALARM }),
    ];
    declutter(boxes, null);
    expect(shown(boxes)).toEqual(["alarm"]);
  });

  it("the selected asset wins even over an alarm; labels that do not overlap all show", () => {
    const boxes = [
      box("alarm", { dist: 10, status: AssetStatus.ALARM }),
      box("picked", { dist: 70, x: 410 }),
      box("aside", { x: 800 }),
    ];
    expect(declutter(boxes, "picked")).toBe(2);
    expect(shown(boxes)).toEqual(["aside", "picked"]);
  });

  it("a label hidden by one that is itself hidden does not hide others", () => {
    // b is hidden by a; c overlaps b only, so c shows.
    const boxes = [box("a", { dist: 10, x: 300 }), box("b", { dist: 20, x: 380 }), box("c", { dist: 30, x: 460 })];
    declutter(boxes, null);
    expect(shown(boxes)).toEqual(["a", "c"]);
  });

  it("never shows two overlapping labels, and always shows every alarm that overlaps no other alarm", () => {
    const arb = fc.array(
      fc.record({
        x: fc.integer({ min: 0, max: 1280 }),
        y: fc.integer({ min: 40, max: 720 }),
        w: fc.integer({ min: 30, max: 160 }),
        h: fc.integer({ min: 16, max: 60 }),
        dist: fc.double({ min: 1, max: 160, noNaN: true }),
        status: fc.constantFrom(0, 1, 2, 3),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const boxes = raw.map((r, i) => box(`t${i}`, r));
        declutter(boxes, null);
        const on = boxes.filter((b) => b.show);
        for (let i = 0; i < on.length; i++)
          for (let j = i + 1; j < on.length; j++) expect(overlaps(on[i]!, on[j]!)).toBe(false);
        const alarms = boxes.filter((b) => b.status === AssetStatus.ALARM);
        for (const a of alarms)
          if (!alarms.some((o) => o !== a && overlaps(a, o))) expect(a.show, `alarm ${a.id} hidden`).toBe(true);
      }),
      { seed: 20, numRuns: 300 },
    );
  });
});
