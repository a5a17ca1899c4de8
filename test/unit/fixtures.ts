/** Test fixtures: the demo plant loaded once through the real loader. */
import path from "node:path";
import { loadPlantDir, type LoadedPlant } from "../../server/plant/loadPlant.ts";

export const DEMO_DIR = path.resolve(import.meta.dirname, "../../assets/plants/demo");

let cached: Promise<LoadedPlant> | undefined;
export function demoPlant(): Promise<LoadedPlant> {
  cached ??= loadPlantDir(DEMO_DIR);
  return cached;
}
