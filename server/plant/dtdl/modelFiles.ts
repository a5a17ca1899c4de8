/**
 * The DTDL files of a plant: every `.json` file under the models directory, searched
 * recursively (published ontologies come as folder trees), read and parsed as JSON.
 * Hidden entries (".something") are skipped: the parser's verdict cache lives there.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { PlantIssue } from "../PlantError.ts";

export interface ModelFile {
  /** Path relative to the plant directory, with forward slashes (e.g. "models/isa95/Equipment.json"). */
  rel: string;
  doc: unknown;
}

export async function readModelFiles(plantDir: string, modelsDir: string, issues: PlantIssue[]): Promise<ModelFile[]> {
  let entries: string[];
  try {
    entries = (await fs.readdir(modelsDir, { recursive: true })).map(String);
  } catch {
    issues.push({
      file: "plant.json",
      path: "models",
      reason: `models directory "${path.relative(plantDir, modelsDir) || "."}" not found.`,
    });
    return [];
  }
  const jsonFiles = entries
    .filter((e) => e.endsWith(".json") && !e.split(path.sep).some((seg) => seg.startsWith(".")))
    .sort();
  const out: ModelFile[] = [];
  for (const e of jsonFiles) {
    const abs = path.join(modelsDir, e);
    const rel = path.relative(plantDir, abs).split(path.sep).join("/");
    if (!(await fs.stat(abs)).isFile()) continue;
    const doc = await readJsonFile(abs, rel, issues);
    if (doc !== undefined) out.push({ rel, doc });
  }
  if (out.length === 0 && issues.length === 0) {
    issues.push({
      file: "plant.json",
      path: "models",
      reason: `no DTDL file (*.json) in "${path.relative(plantDir, modelsDir) || "."}".`,
    });
  }
  return out;
}

/** Read one JSON file; a missing or broken file is an issue naming it, never a throw. */
export async function readJsonFile(file: string, rel: string, issues: PlantIssue[]): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (e) {
    issues.push({
      file: rel,
      path: "",
      reason: (e as NodeJS.ErrnoException).code === "ENOENT" ? "file not found." : String(e),
    });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    issues.push({ file: rel, path: "", reason: `not valid JSON (${(e as Error).message}).` });
    return undefined;
  }
}
