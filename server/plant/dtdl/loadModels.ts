/**
 * A plant's DTDL models, validated by the reference parser: read every model file (recursively),
 * settle the contexts, get the parser's verdict (cached while the files are unchanged) and turn
 * it into interfaces with points, or into issues with file, path and reason.
 */
import type { PlantIssue } from "../PlantError.ts";
import { prepareContexts } from "./contexts.ts";
import { ModelInterfaces } from "./modelInterfaces.ts";
import { readModelFiles } from "./modelFiles.ts";
import { parsingIssues, resolutionIssues } from "./parserIssues.ts";
import { cachedVerdict } from "./verdictCache.ts";

export interface LoadedModels {
  /** Null when the models have errors (they are in `issues`). */
  interfaces: ModelInterfaces | null;
  /** Accepted, but worth telling the plant author (e.g. a vendor extension context). */
  warnings: PlantIssue[];
  /** Whether the parser's verdict came from the cache. */
  cached: boolean;
}

export async function loadModels(plantDir: string, modelsDir: string, issues: PlantIssue[]): Promise<LoadedModels> {
  const before = issues.length;
  const files = await readModelFiles(plantDir, modelsDir, issues);
  if (issues.length > before) return { interfaces: null, warnings: [], cached: false };
  const { docs, warnings } = prepareContexts(files);
  const { verdict, cached } = await cachedVerdict(modelsDir, docs);
  if (verdict.kind === "model") return { interfaces: new ModelInterfaces(verdict.model), warnings, cached };
  issues.push(
    ...(verdict.kind === "resolution"
      ? resolutionIssues(verdict.exception, files)
      : parsingIssues(verdict.errors, files)),
  );
  return { interfaces: null, warnings, cached };
}
