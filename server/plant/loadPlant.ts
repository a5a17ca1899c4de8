/**
 * Load a plant directory (plant.json + DTDL interfaces) into the resolved
 * PlantModel the twin, the simulator and the client use. Every problem is
 * collected with file, JSON path and reason; the load fails with all of them.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { PlantModel, TypeDef } from "../../shared/plant.ts";
import { loadModels } from "./dtdl/loadModels.ts";
import { readJsonFile } from "./dtdl/modelFiles.ts";
import { buildTypeDef } from "./typeDefs.ts";
import { PlantError, zodPath, type PlantIssue } from "./PlantError.ts";
import { PlantInstance, type Binding } from "./instance.ts";
import { compileRules, type CompiledRule } from "../rules/index.ts";
import { validateSparkplugBindings } from "../ingest/sparkplug/validateBindings.ts";
import { validateDynamics } from "./validateDynamics.ts";
import { validateTopicBindings } from "../ingest/validateTopicBindings.ts";
import { validateOpcUaClientBindings } from "../ingest/opcua/validateBindings.ts";
import { loadProcedures, type Procedure } from "../procedures/loadProcedures.ts";
import { loadScenarios, type DrillScenario } from "../drills/DrillScenario.ts";

export interface LoadedPlant {
  model: PlantModel;
  instance: PlantInstance;
  bindings: Binding[];
  dir: string;
  /** Absolute path of the scene file; null when the plant has none (the page lays the assets out by area). */
  scenePath: string | null;
  /** The plant's rules, compiled and checked against the model. */
  rules: CompiledRule[];
  /** The plant's procedures (procedures/*.json), checked against the model (docs/TRAINING.md). */
  procedures: Procedure[];
  /** The plant's drill scenarios (drills/*.json), checked against the model, rules and procedures. */
  drills: DrillScenario[];
  /** Accepted with a warning (e.g. a vendor DTDL extension context); start-up logs them, plant:check prints them. */
  warnings: PlantIssue[];
}

export async function loadPlantDir(dir: string): Promise<LoadedPlant> {
  const issues: PlantIssue[] = [];
  const abs = path.resolve(dir);
  const raw = await readJsonFile(path.join(abs, "plant.json"), "plant.json", issues);
  if (raw === undefined) throw new PlantError(issues);
  const parsed = PlantInstance.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ file: "plant.json", path: zodPath(i.path), reason: i.message });
    throw new PlantError(issues);
  }
  const inst = parsed.data;

  // DTDL interfaces, validated by the reference parser (server/plant/dtdl/).
  const models = await loadModels(abs, path.resolve(abs, inst.models), issues);
  const ifaces = models.interfaces;
  const types = new Map<string, TypeDef>();
  const typeOf = (id: string, where: string): TypeDef | undefined => {
    const known = types.get(id);
    if (known || !ifaces) return known;
    const iface = ifaces.get(id);
    if (!iface) {
      issues.push({
        file: "plant.json",
        path: where,
        reason: `unknown interface ${id} (no DTDL file in "${inst.models}" defines it).`,
      });
      return undefined;
    }
    const def = buildTypeDef(iface, inst.types[id] ?? { label: [], points: {} }, issues);
    types.set(id, def);
    return def;
  };
  for (const id of Object.keys(inst.types)) {
    if (ifaces && !ifaces.has(id))
      issues.push({ file: "plant.json", path: `types["${id}"]`, reason: `unknown interface ${id}.` });
  }

  const areaIds = new Set(inst.areas.map((a) => a.id));
  const twinIds = new Set<string>();
  inst.twins.forEach((t, i) => {
    if (twinIds.has(t.id))
      issues.push({ file: "plant.json", path: `twins[${i}].id`, reason: `duplicate twin id "${t.id}".` });
    twinIds.add(t.id);
  });
  inst.twins.forEach((t, i) => {
    typeOf(t.type, `twins[${i}].type`);
    if (!areaIds.has(t.area))
      issues.push({ file: "plant.json", path: `twins[${i}].area`, reason: `unknown area "${t.area}".` });
    if (t.parent !== null && !twinIds.has(t.parent)) {
      issues.push({ file: "plant.json", path: `twins[${i}].parent`, reason: `unknown parent twin "${t.parent}".` });
    }
  });
  inst.relationships.forEach((r, i) => {
    for (const end of ["source", "target"] as const) {
      if (!twinIds.has(r[end]))
        issues.push({ file: "plant.json", path: `relationships[${i}].${end}`, reason: `unknown twin "${r[end]}".` });
    }
    const src = inst.twins.find((t) => t.id === r.source);
    const iface = src ? ifaces?.get(src.type) : undefined;
    if (iface) {
      const rels = iface.relationships;
      if (!rels.includes(r.name)) {
        issues.push({
          file: "plant.json",
          path: `relationships[${i}].name`,
          reason: `${iface.id} declares no relationship "${r.name}" (it has: ${rels.join(", ") || "none"}).`,
        });
      }
    }
  });
  issues.push(...validateDynamics(inst, types));
  issues.push(...validateSparkplugBindings(inst.bindings, inst.twins, types));
  issues.push(...validateTopicBindings(inst.bindings, inst.twins, types));
  issues.push(...validateOpcUaClientBindings(inst.bindings, inst.twins, types));
  // A plant may have no scene (a plant written by plant:discover); one it names must exist, or a typo would
  // silently turn a drawn plant into boxes.
  const scenePath = inst.scene === undefined ? null : path.resolve(abs, inst.scene);
  if (scenePath !== null) {
    try {
      await fs.access(scenePath);
    } catch {
      issues.push({
        file: "plant.json",
        path: "scene",
        reason: `scene file "${inst.scene}" not found (run npm run plant:scene, or remove "scene" to lay the assets out by area).`,
      });
    }
  }
  if (issues.length > 0) throw new PlantError(issues);

  const model: PlantModel = {
    id: inst.id,
    name: inst.name,
    description: inst.description,
    areas: inst.areas.map((a) => ({ id: a.id, name: a.name, ...(a.bounds ? { bounds: a.bounds } : {}) })),
    types: [...types.values()],
    twins: inst.twins.map((t) => ({
      id: t.id,
      type: t.type,
      name: t.name,
      area: t.area,
      parent: t.parent,
      node: t.node ?? t.id,
      properties: t.properties,
    })),
    relationships: inst.relationships,
    scene: scenePath === null ? null : `/plants/${inst.id}/scene`,
  };
  // Rules need the resolved model (types, points, relationships) to be checked.
  const compiled = compileRules(inst.rules, model);
  const procs = await loadProcedures(abs, model);
  const ruleIds = compiled.rules.map((r) => r.id);
  const drills = await loadScenarios(
    abs,
    model,
    ruleIds,
    procs.procedures.map((p) => p.id),
  );
  const problems = [...compiled.issues, ...procs.issues, ...drills.issues];
  if (problems.length > 0) throw new PlantError(problems);
  return {
    model,
    instance: inst,
    bindings: inst.bindings,
    dir: abs,
    scenePath,
    rules: compiled.rules,
    procedures: procs.procedures,
    drills: drills.scenarios,
    warnings: models.warnings,
  };
}

/**
 * A server finds a plant by its directory name and serves it under its id: they must agree.
 * Start-up (server/runtime/PlantHub.ts) and plant:check use this one sentence.
 */
export function plantDirMismatch(dirName: string, id: string): string | null {
  return dirName === id ? null : `plant directory "${dirName}" declares id "${id}"; they must match.`;
}
