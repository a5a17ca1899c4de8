import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadPlantDir } from "../../server/plant/loadPlant.ts";
import { countPoints } from "../../shared/plant.ts";
import { DEMO_DIR, copyDemoPlant, editJson, plantIssues } from "./fixtures.ts";

/** `npm run plant:check -- dir`: its exit code and what it printed on stderr. */
function plantCheck(dir: string): { code: number; out: string } {
  try {
    execFileSync("npx", ["tsx", "scripts/plant-check.ts", dir], { encoding: "utf8", stdio: "pipe" });
    return { code: 0, out: "" };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { code: err.status, out: err.stderr };
  }
}

describe("plant definition (DTDL checked by the reference parser + instance file)", () => {
  it("the demo plant is valid: ≥ 40 assets, ≥ 300 telemetry points, in two or more areas", async () => {
    const { model } = await loadPlantDir(DEMO_DIR);
    expect(model.twins.length).toBeGreaterThanOrEqual(40);
    expect(countPoints(model)).toBeGreaterThanOrEqual(300);
    expect(new Set(model.twins.map((t) => t.area)).size).toBeGreaterThanOrEqual(2);
  });

  it("reports a planted DTDL error with file, path and reason", async () => {
    const dir = copyDemoPlant().dir;
    editJson(path.join(dir, "models/Pump.json"), (d) => {
      (d["contents"] as Record<string, unknown>[])[1]!["schema"] = "quantum";
    });
    const issues = await plantIssues(dir);
    expect(issues).toContainEqual({
      file: "models/Pump.json",
      path: "contents[1].schema",
      reason:
        "dtmi:gemba:demo:Pump;1 has 'contents' value with name 'current' whose property 'schema' has value 'quantum' " +
        "that is neither a valid DTMI reference nor a DTDL v3 term. Replace the value of property 'schema' with a " +
        "valid DTMI reference or a term defined by DTDL v3.",
    });
  });

  it("reports every error at once: unknown type, bad relationship target, unknown area", async () => {
    const dir = copyDemoPlant().dir;
    editJson(path.join(dir, "plant.json"), (d) => {
      const twins = d["twins"] as Record<string, unknown>[];
      twins[0]!["type"] = "dtmi:gemba:demo:Nothing;1";
      twins[1]!["area"] = "mars";
      (d["relationships"] as Record<string, unknown>[])[0]!["target"] = "GHOST";
    });
    const issues = await plantIssues(dir);
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["twins[0].type", "twins[1].area", "relationships[0].target"]));
    expect(issues.every((i) => i.file === "plant.json" && i.reason.length > 5)).toBe(true);
  });

  it("rejects broken JSON with the parser's reason", async () => {
    const dir = copyDemoPlant().dir;
    fs.writeFileSync(path.join(dir, "models/Tank.json"), "{ nope");
    const issues = await plantIssues(dir);
    expect(issues[0]).toMatchObject({ file: "models/Tank.json", path: "" });
    expect(issues[0]!.reason).toMatch(/not valid JSON/);
  });

  it("npm run plant:check prints the planted error and exits 1", () => {
    const dir = copyDemoPlant().dir;
    editJson(path.join(dir, "plant.json"), (d) => {
      (d["types"] as Record<string, { label: string[] }>)["dtmi:gemba:demo:Tank;1"]!.label = ["levle"];
    });
    const { code, out } = plantCheck(dir);
    expect(code).toBe(1);
    expect(out).toContain(
      'plant.json at types["dtmi:gemba:demo:Tank;1"].label[0]: dtmi:gemba:demo:Tank;1 has no telemetry "levle".',
    );
  });

  it("a plant without a scene loads: its model says so, and the page lays the assets out by area", async () => {
    const dir = copyDemoPlant().dir;
    fs.rmSync(path.join(dir, "scene.glb"));
    editJson(path.join(dir, "plant.json"), (d) => {
      delete d["scene"];
    });
    const loaded = await loadPlantDir(dir);
    expect(loaded.scenePath).toBeNull();
    expect(loaded.model.scene).toBeNull();
  });

  it("a scene that plant.json names must exist (a typo must not turn a drawn plant into boxes)", async () => {
    const dir = copyDemoPlant().dir;
    fs.rmSync(path.join(dir, "scene.glb"));
    expect(await plantIssues(dir)).toEqual([
      {
        file: "plant.json",
        path: "scene",
        reason:
          'scene file "scene.glb" not found (run npm run plant:scene, or remove "scene" to lay the assets out by area).',
      },
    ]);
  });
});
