/**
 * Sparkplug B edge nodes into the starter plant: one area per group, one twin per edge node, one per
 * device (its child), a point per numeric metric, and one binding per node and per device with an
 * explicit metric table (metric names have "/" folders and spaces; point names cannot).
 */
import type { EdgeNodeFinding } from "./BrokerSurvey.ts";
import type { DraftPlant, DraftTwin } from "./DraftPlant.ts";
import { dtdlName, UniqueNames } from "./names.ts";

export function addSparkplug(draft: DraftPlant, nodes: Iterable<EdgeNodeFinding>, notes: string[]): void {
  for (const n of nodes) {
    const area = draft.area(`sparkplug:${n.group}`, n.group);
    const nodeTwin = draft.twin(n.node, n.node, area);
    const scopes = [...n.scopes.values()].sort((a, b) => a.device.localeCompare(b.device));
    // The node's own scope first: its binding exists even without metrics, so its status shows in the page.
    if (!n.scopes.has("")) scopes.unshift({ device: "", born: false, metrics: new Map() });
    for (const s of scopes) {
      const twin: DraftTwin =
        s.device === "" ? nodeTwin : draft.twin(s.device, `${s.device} (on ${n.node})`, area, nodeTwin.id);
      const names = new UniqueNames();
      const metrics: Record<string, string> = {};
      for (const [metric, m] of [...s.metrics].sort(([a], [b]) => a.localeCompare(b))) {
        const point = names.take(dtdlName(metric));
        twin.points.push({ name: point, displayName: metric, kind: m.kind, rate: m.rate });
        metrics[metric] = `${twin.id}/${point}`;
      }
      draft.bindings.push({
        format: "sparkplug",
        group: n.group,
        node: n.node,
        ...(s.device === "" ? {} : { device: s.device }),
        metrics,
      });
      if (!s.born && (s.device !== "" || n.scopes.has("")))
        notes.push(
          `Sparkplug ${n.group}/${n.node}${s.device ? `/${s.device}` : ""}: no birth heard, so only metrics its data named were found` +
            " (metrics sent by alias are named in the birth). Restart the edge node or ask it for a rebirth while discovering.",
        );
    }
  }
}
