/**
 * A browsed OPC UA server (OpcUaBrowser.ts) into the starter plant: one asset per Object that has
 * readable Variables (twin id from its BrowseName), a point per Variable (named by its BrowseName, its
 * EngineeringUnits as the shown symbol), the Object it hangs under as the area, and one `format: "opcua"`
 * binding for the endpoint with an item per Variable, NodeIds written with namespace URIs.
 */
import type { FoundObject } from "./OpcUaBrowser.ts";
import type { DraftPlant } from "./DraftPlant.ts";
import { dtdlName, UniqueNames } from "./names.ts";

/**
 * Adds the assets and the binding (with `connection`: its `security` and `user`, as plant.json writes them);
 * returns how many Variables were bound.
 */
export function addOpcUaServer(
  draft: DraftPlant,
  endpoint: string,
  objects: readonly FoundObject[],
  connection: Record<string, unknown> = {},
): number {
  const items: { nodeId: string; twin: string; point: string }[] = [];
  for (const o of objects) {
    if (o.variables.length === 0) continue;
    const twin = draft.twin(o.browseName, o.browseName, draft.area(`opcua:${o.parentName}`, o.parentName));
    const names = new UniqueNames();
    for (const v of o.variables) {
      const point = names.take(dtdlName(v.browseName));
      twin.points.push({
        name: point,
        displayName: v.browseName,
        kind: v.kind,
        // Subscriptions report every change; a minute without one is "not heard from", not "stale".
        rate: undefined,
        ...(v.unit ? { symbol: v.unit } : {}),
      });
      items.push({ nodeId: v.nodeId, twin: twin.id, point });
    }
  }
  if (items.length > 0) draft.bindings.push({ format: "opcua", endpoint, ...connection, items });
  return items.length;
}
