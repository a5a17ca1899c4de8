/** Test fixtures: the demo plant loaded once through the real loader, and changed copies of it on disk. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadPlantDir, type LoadedPlant } from "../../server/plant/loadPlant.ts";
import { PlantError, type PlantIssue } from "../../server/plant/PlantError.ts";

export const DEMO_DIR = path.resolve(import.meta.dirname, "../../assets/plants/demo");

let cached: Promise<LoadedPlant> | undefined;
export function demoPlant(): Promise<LoadedPlant> {
  cached ??= loadPlantDir(DEMO_DIR);
  return cached;
}

/**
 * A new plants folder in the temp directory holding a copy of the demo plant as `<plantsDir>/<name>` (a server
 * pointed at `plantsDir` serves it under that id).
 */
export function copyDemoPlant(name = "demo"): { plantsDir: string; dir: string } {
  const plantsDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-plants-"));
  const dir = path.join(plantsDir, name);
  fs.cpSync(DEMO_DIR, dir, { recursive: true });
  return { plantsDir, dir };
}

/** Read a JSON file, let `fn` change the document, write it back. */
export function editJson<T = Record<string, unknown>>(file: string, fn: (doc: T) => void): void {
  const doc = JSON.parse(fs.readFileSync(file, "utf8")) as T;
  fn(doc);
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

/** A copy of the demo plant with `bindings` added to its plant.json; returns the plant's folder and its plants folder. */
export function demoPlantWithBindings(bindings: unknown[]): { plantsDir: string; dir: string } {
  const copy = copyDemoPlant();
  editJson<{ bindings: unknown[] }>(path.join(copy.dir, "plant.json"), (doc) => doc.bindings.push(...bindings));
  return copy;
}

/** What loading the plant in `dir` refuses, as the loader's issues (none when it loads). */
export async function plantIssues(dir: string): Promise<PlantIssue[]> {
  try {
    await loadPlantDir(dir);
    return [];
  } catch (e) {
    if (e instanceof PlantError) return e.issues;
    throw e;
  }
}
