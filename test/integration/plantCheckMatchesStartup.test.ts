/**
 * One validator: whatever start-up refuses, `npm run plant:check` refuses first, in the same words.
 * A broken plant goes through both (start-up as `npm start` runs it, via kit/runMain.ts).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runMain } from "../../kit/runMain.ts";
import { startAppServer } from "../../kit/appServer.ts";
import { copyDemoPlant, editJson } from "../unit/fixtures.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A plants directory holding a copy of the demo under `name`, changed by `change`. */
function brokenPlant(name: string, change: (dir: string) => void): { plantsDir: string; dir: string } {
  const copy = copyDemoPlant(name);
  change(copy.dir);
  return copy;
}

async function plantCheck(dir: string): Promise<{ code: number; err: string; out: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/plant-check.ts", dir], {
      cwd: ROOT,
    });
    return { code: 0, err: r.stderr, out: r.stdout };
  } catch (e) {
    const x = e as { code: number; stderr: string; stdout: string };
    return { code: x.code, err: x.stderr, out: x.stdout };
  }
}

/** The issue lines plant:check prints ("  file at path: reason"). */
const issueLines = (err: string) =>
  err
    .split("\n")
    .filter((l) => l.startsWith("  "))
    .map((l) => l.trim());

describe("plant:check refuses what start-up refuses, with the same sentence", () => {
  // Two processes start here, the first runs the DTDL parser (its verdict is then cached for start-up): 60 s.
  it("a dangling DTDL extends reference", { timeout: 60_000 }, async () => {
    const { plantsDir, dir } = brokenPlant("demo", (d) => {
      editJson(path.join(d, "models/Pump.json"), (doc) => {
        doc["extends"] = "dtmi:gemba:demo:RotatingMachine;1";
      });
    });
    const check = await plantCheck(dir);
    expect(check.code).toBe(1);
    const lines = issueLines(check.err);
    expect(lines).toEqual([
      "models/Pump.json at extends: extends dtmi:gemba:demo:RotatingMachine;1, which no model file defines (check the DTMI and its version, or add the file).",
    ]);
    const start = await runMain({ PLANTS_DIR: plantsDir, PLANT: "demo" });
    expect(start.code).toBe(1);
    expect(start.out).toContain(`Gemba: Cannot start: Plant definition has an error: ${lines[0]}`);
  });

  it("a plant whose directory name and id differ", { timeout: 60_000 }, async () => {
    const { plantsDir, dir } = brokenPlant("line-2", () => {});
    const check = await plantCheck(dir);
    expect(check.code).toBe(1);
    const sentence = 'plant directory "line-2" declares id "demo"; they must match.';
    expect(issueLines(check.err)).toEqual([sentence]);
    const start = await runMain({ PLANTS_DIR: plantsDir, PLANT: "line-2" });
    expect(start.code).toBe(1);
    expect(start.out).toContain(`Gemba: Cannot start: ${sentence}`);
  });

  it("a vendor extension context: accepted by both, with the same warning", { timeout: 60_000 }, async () => {
    const { plantsDir, dir } = brokenPlant("demo", (d) => {
      fs.cpSync(path.join(ROOT, "test/fixtures/dtdl/iotcentral"), path.join(d, "models/vendor"), { recursive: true });
    });
    const warning =
      'warning: models/vendor/TemperatureController.json at [0].@context[0]: extension context "dtmi:iotcentral:context;2" accepted; ' +
      "its semantic types mean nothing to Gemba (its schemas, e.g. geopoint, are read as DTDL objects).";
    const check = await plantCheck(dir);
    expect(check.code).toBe(0);
    expect(check.out).toContain(`  ${warning}`);
    const server = await startAppServer({ PLANTS_DIR: plantsDir, PLANT: "demo", SIM: "off" });
    try {
      expect(server.output()).toContain(`plant "demo": ${warning}`);
    } finally {
      await server.stop();
    }
  });
});
