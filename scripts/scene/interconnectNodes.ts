/**
 * Decorative interconnecting pipes for feeds between process equipment without a Pipe twin, and overhead
 * utility lines for heats/cools.
 */
import type { SceneMeshes } from "./SceneMeshes.ts";
import { routeFeed, routeUtility } from "./pipeRouting.ts";
import type { PipeRunNodes } from "./pipeRunNodes.ts";
import { type PlacedTwin, PROCESS_TYPES } from "./placement.ts";
import type { PlantInstanceJson } from "./plantJson.ts";

/** The "_interconnect" group, or undefined when nothing needs drawing. */
export function interconnectNodes(
  scene: SceneMeshes,
  plant: PlantInstanceJson,
  placed: Map<string, PlacedTwin>,
  pipeRunNodes: PipeRunNodes,
): number | undefined {
  const { w } = scene;
  const lines: number[] = [];
  for (const rel of plant.relationships ?? []) {
    const a = placed.get(rel.source);
    const b = placed.get(rel.target);
    if (!a || !b) continue;
    if (rel.name === "feeds" && PROCESS_TYPES.has(a.kind) && PROCESS_TYPES.has(b.kind)) {
      const path = routeFeed(a, b, [...placed.values()]);
      if (path)
        lines.push(
          w.addNode({
            name: `_pipe.${a.twin.id}>${b.twin.id}`,
            children: pipeRunNodes(`_pipe.${a.twin.id}>${b.twin.id}`, path, [0, 0, 0], "Pipe", false),
          }),
        );
    } else if (rel.name === "heats" || rel.name === "cools") {
      const path = routeUtility(a, b);
      if (path)
        lines.push(
          w.addNode({
            name: `_utility.${a.twin.id}>${b.twin.id}`,
            children: pipeRunNodes(`_utility.${a.twin.id}>${b.twin.id}`, path, [0, 0, 0], "Utility", false),
          }),
        );
    }
  }
  return lines.length > 0 ? w.addNode({ name: "_interconnect", children: lines }) : undefined;
}
