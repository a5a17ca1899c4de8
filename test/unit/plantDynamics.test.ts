/**
 * Process dynamics on relationships (shared/processModel.ts, server/plant/validateDynamics.ts): the demo declares
 * them; a plant author's mistakes are refused at load and by plant:check with the file, the relationship and field.
 */
import path from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadPlantDir } from "../../server/plant/loadPlant.ts";
import { processLinks } from "../../shared/processModel.ts";
import { DEMO_DIR, copyDemoPlant, editJson, plantIssues } from "./fixtures.ts";

type Rel = { source: string; name?: string; target: string; dynamics?: Record<string, unknown>[] };

/** A copy of the demo with its relationships changed by `fn`; returns the directory. */
function demoWith(fn: (rels: Rel[]) => void): string {
  const { dir } = copyDemoPlant();
  editJson<{ relationships: Rel[] }>(path.join(dir, "plant.json"), (doc) => fn(doc.relationships));
  return dir;
}

const index = (rels: Rel[], source: string, target: string) =>
  rels.findIndex((r) => r.source === source && r.target === target);

describe("process dynamics declared on the plant's relationships", () => {
  it("the demo declares speed → flow, valve → flow and flow → level links, resolved to point keys", async () => {
    const { model } = await loadPlantDir(DEMO_DIR);
    const links = processLinks(model.relationships);
    const p101 = links.find((l) => l.from === "P101/speed" && l.to === "L101/flow");
    expect(p101).toMatchObject({ kind: "lag", gain: 0.004138, timeConstant: 2, inputRange: [0, 2900] });
    expect(links.find((l) => l.to === "T201/level")).toMatchObject({ kind: "integrator" });
    expect(links.some((l) => l.from === "XV101/position" && l.to === "P101/flow")).toBe(true);
  });

  it("refuses a range written backwards, as a schema error with its path", async () => {
    let a = 0;
    const dir = demoWith((rels) => {
      a = index(rels, "P101", "L101");
      rels[a]!.dynamics![1]!["inputRange"] = [100, 0];
    });
    expect(await plantIssues(dir)).toEqual([
      {
        file: "plant.json",
        path: `relationships[${a}].dynamics[1].inputRange`,
        reason: "is [min, max] with min below max",
      },
    ]);
  });

  it("refuses an unknown point, an integrator with a time constant, and a loop, each with its relationship", async () => {
    let at = { a: 0, b: 0, c: 0, back: 0 };
    const dir = demoWith((rels) => {
      at = {
        a: index(rels, "P101", "L101"),
        b: index(rels, "L101", "T201"),
        c: index(rels, "T201", "P201"),
        back: rels.length,
      };
      rels[at.a]!.dynamics![0]!["input"] = "speeed";
      rels[at.b]!.dynamics![0]!["timeConstant"] = 30;
      // A level controller (T201 level -> P201 speed) and the pump draining the tank (P201 speed -> T201 level)
      // is a loop: the engine runs links upstream first and a loop has no first link.
      rels[at.c]!.dynamics = [{ input: "level", output: "speed", gain: 10, inputRange: [0, 100] }];
      rels.push({
        source: "P201",
        name: "feeds",
        target: "T201",
        dynamics: [{ input: "speed", output: "level", gain: -0.001, kind: "integrator", inputRange: [0, 2900] }],
      });
    });
    const issues = await plantIssues(dir);
    expect(issues).toContainEqual({
      file: "plant.json",
      path: `relationships[${at.a}].dynamics[0].input`,
      reason: expect.stringMatching(/^P101 \(the source\) has no point "speeed" \(it has: .*speed.*\)\.$/) as string,
    });
    expect(issues).toContainEqual({
      file: "plant.json",
      path: `relationships[${at.b}].dynamics[0].timeConstant`,
      reason: "an integrator has no time constant (its output keeps moving); remove it.",
    });
    expect(issues).toContainEqual({
      file: "plant.json",
      path: `relationships[${at.back}].dynamics[0]`,
      reason:
        "the process model loops back on itself (T201/level -> P201/speed -> T201/level); the engine needs a chain.",
    });
  });

  it("plant:check prints the same sentence with the file and the field, and exits 1", () => {
    const dir = demoWith((rels) => {
      rels[index(rels, "XV101", "P101")]!.dynamics![0]!["output"] = "running";
    });
    let out = "";
    let code = 0;
    try {
      execFileSync("npx", ["tsx", "scripts/plant-check.ts", dir], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      ({ status: code, stderr: out } = e as { status: number; stderr: string });
    }
    expect(code).toBe(1);
    expect(out).toMatch(
      /plant\.json at relationships\[\d+\]\.dynamics\[0\]\.output: P101\/running is not a number that varies, so it cannot be part of a model\./,
    );
  });
});
