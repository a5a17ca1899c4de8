/**
 * What a person may change in a what-if, read from the plant's process model: the points of an asset where a link
 * starts, the range every such link accepts, and what the change moves. One place for the inspector's form and the
 * headset's What if tab, so both offer the same points and ranges the server checks (server/whatif/forkTwin.ts).
 */
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import type { ProcessLink } from "../../shared/processModel.ts";
import { MAX_WHATIF_HORIZON_S } from "../../shared/protocol/whatIf.ts";

/** How far ahead a person picks to look, in minutes (the inspector's list, the headset's −/+). */
export const WHATIF_HORIZONS_MIN = [2, 5, 10, 20, 30].filter((m) => m * 60 <= MAX_WHATIF_HORIZON_S);

export function pointDef(model: PlantModel | undefined, twin: string, point: string): PointDef | undefined {
  const type = model?.types.find((t) => t.id === model.twins.find((x) => x.id === twin)?.type);
  return type?.points.find((p) => p.name === point);
}

/** The asset's points some link starts at, in the type's order. */
export function inputsOf(model: PlantModel | undefined, links: readonly ProcessLink[], twin: string): PointDef[] {
  const type = model?.types.find((t) => t.id === model.twins.find((x) => x.id === twin)?.type);
  const names = new Set(links.filter((l) => l.from.startsWith(`${twin}/`)).map((l) => l.input));
  return (type?.points ?? []).filter((p) => names.has(p.name));
}

/** The values every link from `twin/point` accepts, or null when no link starts there. */
export function rangeOf(links: readonly ProcessLink[], twin: string, point: string): [number, number] | null {
  const out = links.filter((l) => l.from === `${twin}/${point}`);
  if (out.length === 0) return null;
  return [Math.max(...out.map((l) => l.inputRange[0])), Math.min(...out.map((l) => l.inputRange[1]))];
}

/** "L101 flow, L101 pressure": what a change of `twin/point` moves directly. */
export function movesOf(links: readonly ProcessLink[], twin: string, point: string): string[] {
  return links.filter((l) => l.from === `${twin}/${point}`).map((l) => l.to.replace("/", " "));
}
