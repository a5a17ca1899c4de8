/**
 * A folder of definitions beside plant.json (procedures/, drills/): every *.json in it, in name order, read and checked
 * by the caller; hidden files are skipped and a plant without the folder has none. A file that cannot be read or parsed
 * is an issue naming it ("drills/cip.json: not valid JSON ..."), the way the rest of the plant reports its problems.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { PlantIssue } from "./PlantError.ts";
import { readJsonFile } from "./dtdl/modelFiles.ts";

/** What the caller's check says of one file: what it defines (null when refused) and its problems. */
export type FolderFileCheck<T> = (raw: unknown, file: string) => { item: T | null; issues: PlantIssue[] };

export async function loadPlantFolder<T>(
  plantDir: string,
  folder: string,
  check: FolderFileCheck<T>,
): Promise<{ items: T[]; issues: PlantIssue[] }> {
  const dir = path.join(plantDir, folder);
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith(".json") && !n.startsWith(".")).sort();
  } catch {
    return { items: [], issues: [] };
  }
  const items: T[] = [];
  const issues: PlantIssue[] = [];
  for (const name of names) {
    const file = `${folder}/${name}`;
    const raw = await readJsonFile(path.join(dir, name), file, issues);
    if (raw === undefined) continue;
    const r = check(raw, file);
    issues.push(...r.issues);
    if (r.item) items.push(r.item);
  }
  return { items, issues };
}
