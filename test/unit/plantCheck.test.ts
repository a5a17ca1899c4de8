import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadPlantDir } from "../../server/plant/loadPlant.ts";
import { PlantError } from "../../server/plant/PlantError.ts";
import { countPoints } from "../../shared/plant.ts";
import { DEMO_DIR } from "./fixtures.ts";

function copyDemo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-plant-"));
  fs.cpSync(DEMO_DIR, dir, { recursive: true });
  return dir;
}

function edit(file: string, fn: (doc: Record<string, unknown>) => void): void {
  const doc = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  fn(doc);
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

async function issuesOf(dir: string) {
  try {
    await loadPlantDir(dir);
  } catch (e) {
    if (e instanceof PlantError) return e.issues;
    throw e;
  }
  return [];
}

describe("plant definition (DTDL checked by the reference parser + instance file)", () => {
  it("the demo plant is valid: ≥ 40 assets, ≥ 300 telemetry points, in two or more areas", async () => {
    const { model } = await loadPlantDir(DEMO_DIR);
    expect(model.twins.length).toBeGreaterThanOrEqual(40);
    expect(countPoints(model)).toBeGreaterThanOrEqual(300);
    expect(new Set(model.twins.map((t) => t.area)).size).toBeGreaterThanOrEqual(2);
  });

  it("reports a planted DTDL error with file, path and reason", async () => {
    const dir = copyDemo();
    edit(path.join(dir, "models/Pump.json"), (d) => {
      (d["contents"] as Record<string, unknown>[])[1]!["schema"] = "quantum";
    });
    const issues = await issuesOf(dir);
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
    const dir = copyDemo();
    edit(path.join(dir, "plant.json"), (d) => {
      const twins = d["twins"] as Record<string, unknown>[];
      twins[0]!["type"] = "dtmi:gemba:demo:Nothing;1";
      twins[1]!["area"] = "mars";
      (d["relationships"] as Record<string, unknown>[])[0]!["target"] = "GHOST";
    });
    const issues = await issuesOf(dir);
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["twins[0].type", "twins[1].area", "relationships[0].target"]));
    expect(issues.every((i) => i.file === "plant.json" && i.reason.length > 5)).toBe(true);
  });

  it("rejects broken JSON with the parser's reason", async () => {
    const dir = copyDemo();
    fs.writeFileSync(path.join(dir, "models/Tank.json"), "{ nope");
    const issues = await issuesOf(dir);
    expect(issues[0]).toMatchObject({ file: "models/Tank.json", path: "" });
    expect(issues[0]!.reason).toMatch(/not valid JSON/);
  });

  it("npm run plant:check prints the planted error and exits 1", () => {
    const dir = copyDemo();
    edit(path.join(dir, "plant.json"), (d) => {
      (d["types"] as Record<string, { label: string[] }>)["dtmi:gemba:demo:Tank;1"]!.label = ["levle"];
    });
    let out = "";
    let code = 0;
    try {
      execFileSync("npx", ["tsx", "scripts/plant-check.ts", dir], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      code = err.status;
      out = err.stderr;
    }
    expect(code).toBe(1);
    expect(out).toContain(
      'plant.json at types["dtmi:gemba:demo:Tank;1"].label[0]: dtmi:gemba:demo:Tank;1 has no telemetry "levle".',
    );
  });
});
