/**
 * Load a plant directory (plant.json + DTDL interfaces) into the resolved
 * PlantModel the twin, the simulator and the client use. Every problem is
 * collected with file, JSON path and reason; the load fails with all of them.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { PlantModel, PointDef, TypeDef } from "../../shared/plant.ts";
import { unitSymbol } from "../../shared/units.ts";
import { readDtdl, type DtdlInterface } from "./dtdl.ts";
import { PlantError, type PlantIssue } from "./PlantError.ts";
import { PlantInstance, type Binding } from "./instance.ts";
import { compileRules, type CompiledRule } from "../rules/index.ts";
import { validateSparkplugBindings } from "../ingest/sparkplug/validateBindings.ts";
import { validateTopicBindings } from "../ingest/validateTopicBindings.ts";
import { validateOpcUaClientBindings } from "../ingest/opcua/validateBindings.ts";

export interface LoadedPlant {
  model: PlantModel;
  instance: PlantInstance;
  bindings: Binding[];
  dir: string;
  /** Absolute path of the scene file. */
  scenePath: string;
  /** The plant's rules, compiled and checked against the model. */
  rules: CompiledRule[];
}

const NUMERIC = new Set([
  "double",
  "float",
  "integer",
  "long",
  "boolean",
  "byte",
  "short",
  "unsignedInteger",
  "unsignedLong",
]);

async function readJson(file: string, rel: string, issues: PlantIssue[]): Promise<unknown> {
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

function zodPath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join("");
}

export async function loadPlantDir(dir: string): Promise<LoadedPlant> {
  const issues: PlantIssue[] = [];
  const abs = path.resolve(dir);
  const raw = await readJson(path.join(abs, "plant.json"), "plant.json", issues);
  if (raw === undefined) throw new PlantError(issues);
  const parsed = PlantInstance.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ file: "plant.json", path: zodPath(i.path), reason: i.message });
    throw new PlantError(issues);
  }
  const inst = parsed.data;

  // DTDL interfaces
  const modelsDir = path.resolve(abs, inst.models);
  let files: string[] = [];
  try {
    files = (await fs.readdir(modelsDir)).filter((f) => f.endsWith(".json")).sort();
  } catch {
    issues.push({ file: "plant.json", path: "models", reason: `models directory "${inst.models}" not found.` });
  }
  const ifaces = new Map<string, DtdlInterface>();
  for (const f of files) {
    const rel = path.relative(abs, path.join(modelsDir, f));
    const doc = await readJson(path.join(modelsDir, f), rel, issues);
    if (doc === undefined) continue;
    for (const iface of readDtdl(doc, rel, issues)) {
      if (ifaces.has(iface.id))
        issues.push({ file: rel, path: "@id", reason: `interface ${iface.id} is defined twice.` });
      ifaces.set(iface.id, iface);
    }
  }

  // Resolve types actually used, with extends and Components flattened (component points as "comp.name").
  const types = new Map<string, TypeDef>();
  const resolveContents = (id: string, trail: string[]): DtdlInterface["contents"] => {
    const iface = ifaces.get(id);
    if (!iface) return [];
    if (trail.includes(id)) {
      issues.push({ file: iface.file, path: "extends", reason: `cycle through ${[...trail, id].join(" -> ")}.` });
      return [];
    }
    const out = iface.extends.flatMap((e) => {
      if (!ifaces.has(e)) issues.push({ file: iface.file, path: "extends", reason: `extends unknown interface ${e}.` });
      return resolveContents(e, [...trail, id]);
    });
    for (const c of iface.contents) {
      if (c.kind === "Component" && c.schema) {
        for (const sub of resolveContents(c.schema, [...trail, id]))
          out.push({ ...sub, name: `${c.name}.${sub.name}` });
      } else out.push(c);
    }
    return out;
  };
  const typeOf = (id: string, where: string): TypeDef | undefined => {
    const known = types.get(id);
    if (known) return known;
    const iface = ifaces.get(id);
    if (!iface) {
      issues.push({
        file: "plant.json",
        path: where,
        reason: `unknown interface ${id} (no DTDL file in "${inst.models}" defines it).`,
      });
      return undefined;
    }
    const meta = inst.types[id] ?? { label: [], points: {} };
    const contents = resolveContents(id, []);
    const points: PointDef[] = [];
    for (const c of contents) {
      if (c.kind !== "Telemetry") continue;
      if (!c.schema || !NUMERIC.has(c.schema)) continue; // non-numeric telemetry is not a twin point (yet)
      const m = meta.points[c.name] ?? {};
      points.push({
        name: c.name,
        displayName: c.displayName,
        kind: "telemetry",
        schema:
          c.schema === "float" || c.schema === "double" ? c.schema : c.schema === "boolean" ? "boolean" : "integer",
        unit: c.unit,
        symbol: m.symbol ?? unitSymbol(c.unit),
        ...(m.limits ? { limits: m.limits } : {}),
        period: m.period ?? 1,
        decimals: m.decimals ?? (c.schema === "double" || c.schema === "float" ? 2 : 0),
        ...(m.states ? { states: m.states } : {}),
      });
    }
    const names = new Set(points.map((p) => p.name));
    for (const pName of Object.keys(meta.points)) {
      if (!names.has(pName)) {
        issues.push({
          file: "plant.json",
          path: `types["${id}"].points.${pName}`,
          reason: `${id} has no numeric telemetry "${pName}".`,
        });
      }
    }
    meta.label.forEach((l, i) => {
      if (!names.has(l))
        issues.push({
          file: "plant.json",
          path: `types["${id}"].label[${i}]`,
          reason: `${id} has no telemetry "${l}".`,
        });
    });
    for (const [pName, m] of Object.entries(meta.points)) {
      const l = m.limits;
      if (!l) continue;
      const order = [l.lowAlarm, l.lowWarning, l.highWarning, l.highAlarm].filter((x): x is number => x !== undefined);
      if (order.some((v, i) => i > 0 && v < order[i - 1]!)) {
        issues.push({
          file: "plant.json",
          path: `types["${id}"].points.${pName}.limits`,
          reason: "limits must be ordered lowAlarm <= lowWarning <= highWarning <= highAlarm.",
        });
      }
    }
    const def: TypeDef = { id, displayName: iface.displayName, points, label: meta.label };
    types.set(id, def);
    return def;
  };
  for (const id of Object.keys(inst.types)) {
    if (!ifaces.has(id))
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
    const iface = src ? ifaces.get(src.type) : undefined;
    if (iface) {
      const rels = resolveContents(iface.id, [])
        .filter((c) => c.kind === "Relationship")
        .map((c) => c.name);
      if (!rels.includes(r.name)) {
        issues.push({
          file: "plant.json",
          path: `relationships[${i}].name`,
          reason: `${iface.id} declares no relationship "${r.name}" (it has: ${rels.join(", ") || "none"}).`,
        });
      }
    }
  });
  issues.push(...validateSparkplugBindings(inst.bindings, inst.twins, types));
  issues.push(...validateTopicBindings(inst.bindings, inst.twins, types));
  issues.push(...validateOpcUaClientBindings(inst.bindings, inst.twins, types));
  const scenePath = path.resolve(abs, inst.scene);
  try {
    await fs.access(scenePath);
  } catch {
    issues.push({
      file: "plant.json",
      path: "scene",
      reason: `scene file "${inst.scene}" not found (run npm run plant:scene).`,
    });
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
    scene: `/plants/${inst.id}/scene`,
  };
  // Rules need the resolved model (types, points, relationships) to be checked.
  const compiled = compileRules(inst.rules, model);
  if (compiled.issues.length > 0) throw new PlantError(compiled.issues);
  return { model, instance: inst, bindings: inst.bindings, dir: abs, scenePath, rules: compiled.rules };
}
