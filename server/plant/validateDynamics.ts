/**
 * Checks the process dynamics declared on relationships (shared/processModel.ts) against the plant: each input is a
 * numeric point of the relationship's source asset, each output one of its target asset, an integrator has no time
 * constant, no link is declared twice, and the links form no loop (the engine runs them in order, upstream first;
 * a loop has no first link). Every problem names the file, the relationship and the field.
 */
import type { TypeDef } from "../../shared/plant.ts";
import { processLinks } from "../../shared/processModel.ts";
import type { PlantIssue } from "./PlantError.ts";
import type { PlantInstance } from "./instance.ts";

const NUMERIC = new Set(["double", "float", "integer", "long"]);

export function validateDynamics(inst: PlantInstance, types: ReadonlyMap<string, TypeDef>): PlantIssue[] {
  const issues: PlantIssue[] = [];
  const typeOfTwin = new Map(inst.twins.map((t) => [t.id, types.get(t.type)]));
  const issue = (path: string, reason: string) => issues.push({ file: "plant.json", path, reason });
  const seen = new Set<string>();
  inst.relationships.forEach((r, i) => {
    r.dynamics?.forEach((d, j) => {
      const at = `relationships[${i}].dynamics[${j}]`;
      for (const [end, field, twin] of [
        ["source", "input", r.source],
        ["target", "output", r.target],
      ] as const) {
        const type = typeOfTwin.get(twin);
        if (!type) continue; // an unknown twin is reported with the relationship itself
        const name = d[field];
        const p = type.points.find((x) => x.name === name);
        if (!p) {
          issue(`${at}.${field}`, `${twin} (the ${end}) has no point "${name}" (it has: ${pointNames(type)}).`);
        } else if (!NUMERIC.has(p.schema) || p.states) {
          issue(`${at}.${field}`, `${twin}/${name} is not a number that varies, so it cannot be part of a model.`);
        }
      }
      if (d.kind === "integrator" && d.timeConstant > 0)
        issue(`${at}.timeConstant`, "an integrator has no time constant (its output keeps moving); remove it.");
      const key = `${r.source}/${d.input}>${r.target}/${d.output}`;
      if (seen.has(key)) issue(at, `${r.source}/${d.input} -> ${r.target}/${d.output} is declared twice.`);
      seen.add(key);
    });
  });
  const loop = findLoop(processLinks(inst.relationships));
  if (loop) issue(loop.where, `the process model loops back on itself (${loop.path}); the engine needs a chain.`);
  return issues;
}

function pointNames(t: TypeDef): string {
  return t.points
    .filter((p) => NUMERIC.has(p.schema) && !p.states)
    .map((p) => p.name)
    .join(", ");
}

/** A loop in the link graph, as the link that closes it and the chain of point keys; null when there is none. */
function findLoop(links: ReturnType<typeof processLinks>): { where: string; path: string } | null {
  const next = new Map<string, typeof links>();
  for (const l of links) next.set(l.from, [...(next.get(l.from) ?? []), l]);
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  const stack: string[] = [];
  const visit = (k: string): { where: string; path: string } | null => {
    state.set(k, 1);
    stack.push(k);
    for (const l of next.get(k) ?? []) {
      const s = state.get(l.to);
      if (s === 1) return { where: l.where, path: [...stack.slice(stack.indexOf(l.to)), l.to].join(" -> ") };
      if (s === undefined) {
        const found = visit(l.to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(k, 2);
    return null;
  };
  for (const l of links) {
    if (state.has(l.from)) continue;
    const found = visit(l.from);
    if (found) return found;
  }
  return null;
}
