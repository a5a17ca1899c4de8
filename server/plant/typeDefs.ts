/**
 * A twin type as the twin and the client use it: the interface's points (from the DTDL
 * models) with the plant file's display metadata and limits for that type, checked
 * against each other (a limit on a point the interface lacks is an error, not ignored).
 */
import type { PointDef, TypeDef } from "../../shared/plant.ts";
import { unitSymbol } from "../../shared/units.ts";
import type { ModelInterface } from "./dtdl/modelInterfaces.ts";
import type { PlantIssue } from "./PlantError.ts";
import type { PlantInstance } from "./instance.ts";

type TypeMeta = PlantInstance["types"][string];

/** Properties change seldom: a Property point turns stale only after a day without an update (3 periods). */
const PROPERTY_PERIOD_S = 86_400 / 3;

export function buildTypeDef(iface: ModelInterface, meta: TypeMeta, issues: PlantIssue[]): TypeDef {
  const id = iface.id;
  const points: PointDef[] = iface.points.map((c) => {
    const m = meta.points[c.name] ?? {};
    const states = m.states ?? c.states;
    return {
      name: c.name,
      displayName: c.displayName,
      kind: c.kind,
      schema: c.schema,
      unit: c.unit,
      symbol: m.symbol ?? unitSymbol(c.unit),
      ...(m.limits ? { limits: m.limits } : {}),
      period: m.period ?? (c.kind === "property" ? PROPERTY_PERIOD_S : 1),
      decimals: m.decimals ?? (c.schema === "double" || c.schema === "float" ? 2 : 0),
      ...(states ? { states } : {}),
      ...(c.enumText ? { enumText: c.enumText } : {}),
    };
  });
  const names = new Set(points.map((p) => p.name));
  for (const pName of Object.keys(meta.points)) {
    if (!names.has(pName)) {
      issues.push({
        file: "plant.json",
        path: `types["${id}"].points.${pName}`,
        reason: `${id} has no telemetry or property "${pName}".`,
      });
    }
  }
  meta.label.forEach((l, i) => {
    if (!names.has(l))
      issues.push({ file: "plant.json", path: `types["${id}"].label[${i}]`, reason: `${id} has no telemetry "${l}".` });
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
  return { id, displayName: iface.displayName, points, label: meta.label };
}
