/**
 * Drill scenarios (drills/*.json beside plant.json, docs/TRAINING.md): the fault a drill injects in its sandbox twin
 * and when, the distractors, and what a trainee is expected to find and do. Checked when the plant loads, like
 * procedures: every problem names the file and the field ("drills/cip.json at expect.alarm: unknown rule ...").
 */
import path from "node:path";
import { z } from "zod";
import type { PlantModel } from "../../shared/plant.ts";
import { zodPath, type PlantIssue } from "../plant/PlantError.ts";
import { loadPlantFolder } from "../plant/plantFolder.ts";
import { suggest } from "../rules/check.ts";
import { FAULTS } from "../sim/faultCatalogue.ts";

const Fault = z
  .object({
    name: z.enum(FAULTS),
    /** A twin id; for `flatline` also "twin/point". */
    target: z.string().min(1).max(200),
    /** Seconds after the drill starts. */
    onsetSeconds: z.number().min(0).max(3600),
    /**
     * Cavitation and bearing wear only: the fault develops this many times slower than catalogued, as a real one does
     * over minutes (server/sim/faultCatalogue.ts), so the alarm forecast warns before the alarm. Default 1.
     */
    slowdown: z.number().min(1).max(10_000).default(1),
  })
  .strict();

export const DrillScenarioDef = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "lowercase letters, digits and dashes"),
    /** What the instructor picks from (names the fault: trainees do not see it). */
    title: z.string().min(1).max(120),
    /** What trainees are told when the drill starts (must not give the fault away). */
    brief: z.string().min(1).max(500),
    fault: Fault,
    /** Other faults that raise alarms or oddities on other assets, to test that the trainee keeps to the point. */
    distractors: z.array(Fault).max(5).default([]),
    expect: z
      .object({
        /** The faulty asset (a twin id). */
        asset: z.string().min(1).max(128),
        /** The rule whose alarm on `asset` is the drill's alarm. */
        alarm: z.string().min(1).max(128),
        /** The procedure that corrects it; without one, acknowledging the drill's alarm is the correct action. */
        procedure: z.string().min(1).max(64).optional(),
      })
      .strict(),
    /** The drill's length: time scores fall to zero here. */
    limitSeconds: z.number().int().min(30).max(7200).default(600),
  })
  .strict();

export type DrillScenario = z.output<typeof DrillScenarioDef> & { readonly file: string };

/** Check one parsed file against the model and the plant's rules and procedures. */
export function checkScenario(
  raw: unknown,
  file: string,
  model: PlantModel,
  ruleIds: readonly string[],
  procedureIds: readonly string[],
): { scenario: DrillScenario | null; issues: PlantIssue[] } {
  const parsed = DrillScenarioDef.safeParse(raw);
  if (!parsed.success) {
    return {
      scenario: null,
      issues: parsed.error.issues.map((i) => ({ file, path: zodPath(i.path), reason: i.message })),
    };
  }
  const def = parsed.data;
  const issues: PlantIssue[] = [];
  const expected = path.posix.basename(file, ".json");
  if (def.id !== expected)
    issues.push({ file, path: "id", reason: `id "${def.id}" must match the file name "${expected}".` });
  const twinIds = model.twins.map((t) => t.id);
  const unknown = (what: string, name: string, pool: readonly string[], at: string) => {
    if (pool.includes(name)) return;
    const hint = suggest(name, pool);
    issues.push({ file, path: at, reason: `unknown ${what} "${name}"${hint ? ` (${hint})` : ""}.` });
  };
  [def.fault, ...def.distractors].forEach((f, i) => {
    const at = i === 0 ? "fault.target" : `distractors[${i - 1}].target`;
    unknown("asset", f.target.split("/")[0]!, twinIds, at);
    if (f.onsetSeconds >= def.limitSeconds)
      issues.push({ file, path: at.replace("target", "onsetSeconds"), reason: "must come before limitSeconds." });
  });
  unknown("asset", def.expect.asset, twinIds, "expect.asset");
  unknown("rule", def.expect.alarm, ruleIds, "expect.alarm");
  if (def.expect.procedure !== undefined) unknown("procedure", def.expect.procedure, procedureIds, "expect.procedure");
  if (issues.length) return { scenario: null, issues };
  return { scenario: { ...def, file }, issues };
}

/** Every drills/*.json of a plant directory, checked; a plant without the directory has none. */
export async function loadScenarios(
  plantDir: string,
  model: PlantModel,
  ruleIds: readonly string[],
  procedureIds: readonly string[],
): Promise<{ scenarios: DrillScenario[]; issues: PlantIssue[] }> {
  const { items, issues } = await loadPlantFolder(plantDir, "drills", (raw, file) => {
    const r = checkScenario(raw, file, model, ruleIds, procedureIds);
    return { item: r.scenario, issues: r.issues };
  });
  return { scenarios: items, issues };
}
