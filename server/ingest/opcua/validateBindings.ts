/**
 * Plant-file checks for OPC UA client bindings (`format: "opcua"`) that a schema cannot express:
 * NodeIds written with a namespace URI (nodeIdText.ts says why), security mode and policy that
 * go together, and items bound to twins and points the plant has. loadPlant runs them, so
 * `npm run plant:check` and start-up refuse the same things in the same words. A point bound twice
 * is found by validateTopicBindings' double-write check, which sees every kind of binding.
 */
import type { PlantIssue } from "../../plant/PlantError.ts";
import type { Binding } from "../../plant/instance.ts";
import { parseNodeIdText } from "./nodeIdText.ts";

export function validateOpcUaClientBindings(
  bindings: readonly Binding[],
  twins: readonly { id: string; type: string }[],
  types: ReadonlyMap<string, { points: readonly { name: string }[] }>,
): PlantIssue[] {
  const issues: PlantIssue[] = [];
  const add = (path: string, reason: string) => issues.push({ file: "plant.json", path, reason });
  const typeOfTwin = new Map(twins.map((t) => [t.id, t.type]));
  bindings.forEach((b, i) => {
    if (b.format !== "opcua") return;
    const at = `bindings[${i}]`;
    const { mode, policy } = b.security;
    if ((mode === "None") !== (policy === "None"))
      add(
        `${at}.security`,
        mode === "None"
          ? `security policy ${policy} needs mode "Sign" or "SignAndEncrypt".`
          : `security mode ${mode} needs a policy: "Basic256Sha256" or "Aes256Sha256RsaPss".`,
      );
    const seen = new Map<string, number>();
    b.items.forEach((it, j) => {
      const path = `${at}.items[${j}]`;
      const parsed = parseNodeIdText(it.nodeId);
      if (!parsed.ok) add(`${path}.nodeId`, `${parsed.reason}.`);
      const twin = it.twin ?? b.twin;
      if (twin === undefined) return add(`${path}.twin`, 'which twin? Give "twin" here or on the binding.');
      const type = typeOfTwin.get(twin);
      if (type === undefined) return add(`${path}.twin`, `unknown twin "${twin}".`);
      if (!types.get(type)?.points.some((p) => p.name === it.point))
        return add(`${path}.point`, `twin ${twin} has no telemetry "${it.point}".`);
      // One NodeId read into two points of one twin is almost always a copy-paste slip.
      const key = `${twin}\u0000${it.nodeId}`;
      const prev = seen.get(key);
      if (prev !== undefined)
        add(`${path}.nodeId`, `${it.nodeId} is already bound to twin ${twin} by items[${prev}]; bind each node once.`);
      seen.set(key, j);
    });
  });
  return issues;
}
