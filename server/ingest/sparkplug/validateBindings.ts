/**
 * Plant-file checks for Sparkplug bindings that a schema cannot express: names
 * that would break the topic namespace, and metrics mapped to twins or points the
 * plant does not have. Called by loadPlant next to its JSON binding checks.
 */
import type { PlantIssue } from "../../plant/PlantError.ts";
import type { Binding } from "../../plant/instance.ts";

/** `/` separates topic levels; `+` and `#` are MQTT wildcards (Sparkplug B 3.0, topic namespace elements). */
const FORBIDDEN = /[/+#]/;

export function validateSparkplugBindings(
  bindings: readonly Binding[],
  twins: readonly { id: string; type: string }[],
  types: ReadonlyMap<string, { points: readonly { name: string }[] }>,
): PlantIssue[] {
  const issues: PlantIssue[] = [];
  const typeOfTwin = new Map(twins.map((t) => [t.id, t.type]));
  bindings.forEach((b, i) => {
    if (b.format !== "sparkplug") return;
    for (const key of ["group", "node", "device"] as const) {
      const name = b[key];
      if (name !== undefined && FORBIDDEN.test(name)) {
        issues.push({
          file: "plant.json",
          path: `bindings[${i}].${key}`,
          reason: `a Sparkplug ${key} name cannot contain "/", "+" or "#" (got "${name}").`,
        });
      }
    }
    for (const [metric, target] of Object.entries(b.metrics ?? {})) {
      const slash = target.indexOf("/");
      const twin = target.slice(0, slash);
      const point = target.slice(slash + 1);
      const path = `bindings[${i}].metrics[${JSON.stringify(metric)}]`;
      const type = typeOfTwin.get(twin);
      if (type === undefined) issues.push({ file: "plant.json", path, reason: `unknown twin "${twin}".` });
      else if (!types.get(type)?.points.some((p) => p.name === point)) {
        issues.push({ file: "plant.json", path, reason: `twin ${twin} has no telemetry "${point}".` });
      }
    }
  });
  return issues;
}
