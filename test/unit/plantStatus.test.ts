import { describe, expect, it } from "vitest";
import { areaLayout } from "../../client/scene/AreaLayout.ts";
import { edgeNodeSentence } from "../../client/ui/PlantStatus.ts";

describe("plant status panel: Sparkplug edge nodes in plant words", () => {
  const node = { group: "Line1", node: "Filler1", since: 0 };
  it("a node whose birth Gemba missed: waiting for birth, and what to do about it", () => {
    expect(edgeNodeSentence({ ...node, state: "waiting for birth" })).toBe(
      "Edge node Filler1: waiting for birth — Gemba started after it; ask for a rebirth or restart it. Values it sends by name are shown meanwhile.",
    );
  });
  it("a node never heard from names the group to check; a dead node says its values are bad", () => {
    expect(edgeNodeSentence({ ...node, state: "not seen" })).toContain('group "Line1"');
    expect(edgeNodeSentence({ ...node, state: "offline" })).toMatch(/^Edge node Filler1: dead .*shown as bad/);
  });
  it("an online node needs no line", () => {
    expect(edgeNodeSentence({ ...node, state: "online" })).toBeNull();
  });
});

describe("area layout for a plant without a 3D scene", () => {
  const twin = (id: string, area: string, parent: string | null = null) => ({ id, node: id, area, parent });
  const model = {
    areas: [
      { id: "a", name: "Filling" },
      { id: "b", name: "Utilities" },
    ],
    twins: [
      twin("Line1", "a"),
      twin("Chiller", "b"),
      twin("Filler1", "a", "Line1"),
      twin("Capper1", "a", "Line1"),
      twin("Line2", "a"),
    ],
  };
  const plan = areaLayout(model as Parameters<typeof areaLayout>[0]);

  it("puts every asset once on its own area's floor, areas side by side without overlap", () => {
    expect(plan.assets.map((a) => a.twin).sort()).toEqual(["Capper1", "Chiller", "Filler1", "Line1", "Line2"]);
    const areaOf = new Map(model.twins.map((t) => [t.id, t.area]));
    for (const a of plan.assets) {
      const [x0, z0, x1, z1] = plan.areas.find((ar) => ar.id === areaOf.get(a.twin))!.bounds;
      expect(a.x - a.size / 2).toBeGreaterThanOrEqual(x0);
      expect(a.x + a.size / 2).toBeLessThanOrEqual(x1);
      expect(a.z - a.size / 2).toBeGreaterThanOrEqual(z0);
      expect(a.z + a.size / 2).toBeLessThanOrEqual(z1);
    }
    expect(plan.areas[0]!.bounds[2]).toBeLessThan(plan.areas[1]!.bounds[0]);
  });

  it("groups by hierarchy: a parent, then its children (smaller), then the next parent", () => {
    expect(plan.assets.filter((a) => a.x < plan.areas[0]!.bounds[2]).map((a) => a.twin)).toEqual([
      "Line1",
      "Filler1",
      "Capper1",
      "Line2",
    ]);
    const size = new Map(plan.assets.map((a) => [a.twin, a.size]));
    expect(size.get("Filler1")).toBeLessThan(size.get("Line1")!);
  });
});
