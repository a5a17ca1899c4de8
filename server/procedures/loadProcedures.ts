/**
 * Load and check a plant's procedures (procedures/*.json beside plant.json). Every problem is a PlantIssue naming
 * the file and the step ("procedures/isolate-p401.json at steps[2].gate: unknown point ..."), the same way
 * plant.json's problems are reported, so start-up and `npm run plant:check` refuse a bad procedure in one sentence.
 * A gate is compiled with the rules' own compiler (a one-twin rule), so its syntax, its checks and its messages are
 * the ones engineers know from alarms.
 */
import path from "node:path";
import type { PlantModel } from "../../shared/plant.ts";
import { zodPath, type PlantIssue } from "../plant/PlantError.ts";
import { loadPlantFolder } from "../plant/plantFolder.ts";
import { suggest } from "../rules/check.ts";
import { compileRules, type CompiledRule } from "../rules/index.ts";
import { ProcedureDef } from "./ProcedureDef.ts";

export interface ProcedureStep {
  readonly text: string;
  readonly asset: string;
  /** The gate as written ("" when the step has none). */
  readonly gate: string;
  /** The gate compiled as a one-twin rule for the RuleEngine; null when the step has none. */
  readonly gateRule: CompiledRule | null;
  readonly evidence: "note" | null;
}

export interface Procedure {
  readonly id: string;
  readonly title: string;
  /** Path relative to the plant directory, e.g. "procedures/isolate-p401.json". */
  readonly file: string;
  readonly steps: readonly ProcedureStep[];
}

/** Compile a gate on one twin; its problems come back in the rules' words, re-addressed to the step. */
export function compileGate(
  gate: string,
  asset: string,
  model: PlantModel,
  file: string,
  at: string,
): { rule: CompiledRule | null; issues: PlantIssue[] } {
  const { rules, issues } = compileRules(
    [{ id: "gate", name: at, for: [asset], severity: "low", when: gate, message: "gate" }],
    model,
  );
  return {
    rule: rules[0] ?? null,
    issues: issues.map((i) => ({ file, path: `${at}.gate`, reason: i.reason })),
  };
}

/** Check one parsed file's content against the model; `file` is its path relative to the plant directory. */
export function checkProcedure(
  raw: unknown,
  file: string,
  model: PlantModel,
): { procedure: Procedure | null; issues: PlantIssue[] } {
  const issues: PlantIssue[] = [];
  const parsed = ProcedureDef.safeParse(raw);
  if (!parsed.success) {
    for (const z of parsed.error.issues) issues.push({ file, path: zodPath(z.path), reason: z.message });
    return { procedure: null, issues };
  }
  const def = parsed.data;
  const expected = path.posix.basename(file, ".json");
  if (def.id !== expected) {
    issues.push({ file, path: "id", reason: `id "${def.id}" must match the file name "${expected}".` });
  }
  const twinIds = model.twins.map((t) => t.id);
  const known = new Set(twinIds);
  const steps: ProcedureStep[] = [];
  def.steps.forEach((s, i) => {
    const at = `steps[${i}]`;
    if (!known.has(s.asset)) {
      const hint = suggest(s.asset, twinIds);
      issues.push({ file, path: `${at}.asset`, reason: `unknown asset "${s.asset}"${hint ? ` (${hint})` : ""}.` });
      return;
    }
    let gateRule: CompiledRule | null = null;
    if (s.gate !== undefined) {
      const g = compileGate(s.gate, s.asset, model, file, at);
      issues.push(...g.issues);
      gateRule = g.rule;
    }
    steps.push({ text: s.text, asset: s.asset, gate: s.gate ?? "", gateRule, evidence: s.evidence ?? null });
  });
  if (issues.length) return { procedure: null, issues };
  return { procedure: { id: def.id, title: def.title, file, steps }, issues };
}

/** Every procedures/*.json of a plant directory, checked; a plant without the directory has none. */
export async function loadProcedures(
  plantDir: string,
  model: PlantModel,
): Promise<{ procedures: Procedure[]; issues: PlantIssue[] }> {
  const { items, issues } = await loadPlantFolder(plantDir, "procedures", (raw, file) => {
    const r = checkProcedure(raw, file, model);
    return { item: r.procedure, issues: r.issues };
  });
  return { procedures: items, issues };
}
