/**
 * The client's choice of areas of interest: from where the viewer stands and looks, with hysteresis so
 * values arrive before you reach an area and do not blink at its edge.
 */
import { describe, expect, it } from "vitest";
import {
  areaAt,
  areaBoxes,
  distanceToBox,
  nextAreas,
  sameInterest,
  type AreaBox,
} from "../../client/session/Interest.ts";
import { gazePoints, InterestSender } from "../../client/session/InterestSender.ts";
import type { InterestMessage } from "../../shared/protocol.ts";

// Two halls side by side along x with a 10 m aisle, and a yard north of both (the demo plant's shape, simplified).
const west: AreaBox = { id: "west", x0: -50, z0: -15, x1: -5, z1: 15 };
const east: AreaBox = { id: "east", x0: 5, z0: -15, x1: 50, z1: 15 };
const yard: AreaBox = { id: "yard", x0: -50, z0: 40, x1: 50, z1: 60 };
const boxes = [west, east, yard];
const none = new Set<string>();
const at = (x: number, z: number) => [{ x, z }];

describe("areas of interest", () => {
  it("distance on the ground is 0 inside an area and grows outside it", () => {
    expect(distanceToBox({ x: -20, z: 0 }, west)).toBe(0);
    expect(distanceToBox({ x: 0, z: 0 }, west)).toBe(5);
    expect(distanceToBox({ x: -2, z: 19 }, west)).toBe(5);
  });

  it("the area you stand in is of interest, and a far one is not", () => {
    expect(nextAreas(boxes, at(-30, 0), none, none)).toEqual(new Set(["west"]));
    expect(nextAreas(boxes, at(30, 0), none, none)).toEqual(new Set(["east"]));
  });

  it("in the aisle between two halls both are of interest, so either is ready before you enter it", () => {
    expect(nextAreas(boxes, at(0, 0), none, none)).toEqual(new Set(["west", "east"]));
  });

  it("the area you look at counts as much as the one you stand in", () => {
    // Standing in the west hall, looking across the aisle into the east hall.
    expect(nextAreas(boxes, [...at(-20, 0), ...at(20, 0)], none, none)).toEqual(new Set(["west", "east"]));
  });

  it("an area joins within 8 m and leaves only beyond 20 m (walking along its edge does not make it blink)", () => {
    let cur = nextAreas(boxes, at(-20, 22), none, none);
    expect(cur).toEqual(new Set(["west"])); // 18 m south of the yard
    cur = nextAreas(boxes, at(-20, 33), none, cur);
    expect(cur.has("yard")).toBe(true); // 7 m: joins
    cur = nextAreas(boxes, at(-20, 25), none, cur);
    expect(cur.has("yard")).toBe(true); // 15 m: stays (it would not join from here)
    cur = nextAreas(boxes, at(-20, 19), none, cur);
    expect(cur.has("yard")).toBe(false); // 21 m: leaves
  });

  it("walking from one hall to the other adds the new hall before dropping the old", () => {
    let cur = nextAreas(boxes, at(-30, 0), none, none);
    const seen: string[][] = [];
    for (let x = -30; x <= 40; x += 2) {
      cur = nextAreas(boxes, at(x, 0), none, cur);
      seen.push([...cur].sort());
    }
    // Never a step with neither hall; both at once while crossing; east alone at the end.
    for (const s of seen) expect(s.includes("west") || s.includes("east")).toBe(true);
    expect(seen).toContainEqual(["east", "west"]);
    expect(seen.at(-1)).toEqual(["east"]);
    const firstEast = seen.findIndex((s) => s.includes("east"));
    const lastWest = seen.findLastIndex((s) => s.includes("west"));
    expect(firstEast).toBeLessThan(lastWest);
  });

  it("forced areas (the followed presenter's) are in wherever the camera is", () => {
    expect(nextAreas(boxes, at(30, 0), new Set(["yard"]), none)).toEqual(new Set(["east", "yard"]));
  });

  it("far from every area (an overview from outside) the nearest area still shows values", () => {
    expect(nextAreas(boxes, at(300, 0), none, none)).toEqual(new Set(["east"]));
  });

  it("areas without authored bounds get the box around their assets", () => {
    const b = areaBoxes(
      [{ id: "a", bounds: [10, 20, 0, 0] }, { id: "b" }, { id: "empty" }],
      [
        { area: "b", x: 0, z: 0, radius: 1 },
        { area: "b", x: 10, z: 5, radius: 2 },
      ],
    );
    expect(b).toEqual([
      { id: "a", x0: 0, z0: 0, x1: 10, z1: 20 },
      { id: "b", x0: -1, z0: -1, x1: 12, z1: 7 },
    ]);
    expect(areaAt(b, { x: 11, z: 6 })).toBe("b");
  });
});

describe("gaze and sending", () => {
  it("a gaze meets the ground where it points, bounded to 40 m; a level gaze counts 15 m ahead", () => {
    expect(gazePoints({ x: 0, y: 10, z: 0 }, { x: 1, y: -1, z: 0 })[1]).toEqual({ x: 10, z: 0 });
    expect(gazePoints({ x: 0, y: 1.7, z: 0 }, { x: 0, y: -0.01, z: -1 })[1]!.z).toBeCloseTo(-40, 1);
    expect(gazePoints({ x: 0, y: 1.7, z: 0 }, { x: 0, y: 0, z: 1 })[1]).toEqual({ x: 0, z: 15 });
  });

  it("sends only when the interest changes, and again after a reset (new connection or handoff)", () => {
    const sent: InterestMessage[] = [];
    const s = new InterestSender(boxes, (m) => sent.push(m), 0);
    s.tick(0, at(-30, 0), none, ["P1"]);
    s.tick(1, at(-31, 0), none, ["P1"]);
    expect(sent).toEqual([{ areas: ["west"], twins: ["P1"] }]);
    s.tick(2, at(-31, 0), none, []);
    expect(sent).toHaveLength(2);
    s.reset();
    s.tick(3, at(-31, 0), none, []);
    expect(sent).toHaveLength(3);
    expect(sameInterest({ areas: ["a", "b"], twins: [] }, { areas: ["b", "a"], twins: [] })).toBe(true);
  });

  it("does not tick faster than its period", () => {
    const sent: InterestMessage[] = [];
    const s = new InterestSender(boxes, (m) => sent.push(m), 250);
    s.tick(1000, at(-30, 0), none, []);
    s.tick(1100, at(30, 0), none, []);
    expect(sent).toHaveLength(1);
    s.tick(1300, at(30, 0), none, []);
    expect(sent.at(-1)!.areas).toEqual(["east"]);
  });
});
