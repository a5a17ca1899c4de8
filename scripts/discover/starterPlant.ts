/**
 * From a finished BrokerSurvey to a starter plant on disk: plant.json (areas, twins, types with
 * update periods, bindings; no scene, so the page lays the assets out by area) and models/*.json
 * (DTDL v2); likewise from a browsed OPC UA server. Refuses to overwrite a plant, and refuses to write
 * one with nothing in it.
 */
import fs from "node:fs";
import path from "node:path";
import type { BrokerSurvey } from "./BrokerSurvey.ts";
import { DraftPlant, type StarterPlant } from "./DraftPlant.ts";
import { addOpcUa } from "./fromOpcUa.ts";
import { addOpcUaServer } from "./fromOpcUaServer.ts";
import type { BrowseResult } from "./OpcUaBrowser.ts";
import { addSparkplug } from "./fromSparkplug.ts";
import { addTopics } from "./fromTopics.ts";

export class DiscoverError extends Error {
  override name = "DiscoverError";
}

export interface StarterOptions {
  id: string;
  name: string;
  /** Where it came from, for the plant's description (a broker URL). */
  source: string;
  /** When the survey ended (ms since epoch). */
  at: number;
}

export interface StarterResult extends StarterPlant {
  /** Things the person should know (skipped topics, nodes without a birth). */
  notes: string[];
  /** Assets found per kind of source. */
  found: { sparkplug: number; json: number; opcua: number };
}

export function buildStarterPlant(survey: BrokerSurvey, o: StarterOptions): StarterResult {
  const draft = new DraftPlant();
  const notes: string[] = [];
  const counted = (add: () => void) => {
    const before = draft.twins.length;
    add();
    return draft.twins.length - before;
  };
  const found = {
    sparkplug: counted(() => addSparkplug(draft, survey.edgeNodes.values(), notes)),
    json: counted(() => addTopics(draft, survey.topics.values(), notes)),
    opcua: counted(() => addOpcUa(draft, survey.topics.values(), notes)),
  };
  if (draft.twins.length === 0) {
    const ignored = [...survey.ignored].map(([why, r]) => `${r.count} ${why} (e.g. ${r.example})`).join("; ");
    throw new DiscoverError(
      `Nothing Gemba can read was published on ${o.source}: ${survey.messages} messages on ${survey.topics.size} topics` +
        (ignored ? ` (${ignored})` : "") +
        ". Check the broker address and --topic, or discover for longer with --seconds.",
    );
  }
  const description =
    `Written by npm run plant:discover from ${o.source} on ${new Date(o.at).toISOString()}. ` +
    "Rename assets, set limits and add a scene.glb to place them.";
  return { ...draft.finish(o.id, o.name, description), notes, found };
}

/** Write the plant into `dir` (created); an existing plant.json there is never overwritten. */
export function writeStarterPlant(dir: string, p: StarterPlant): void {
  const file = path.join(dir, "plant.json");
  if (fs.existsSync(file))
    throw new DiscoverError(`${file} already exists: choose another --out directory, or move that plant away first.`);
  fs.mkdirSync(path.join(dir, "models"), { recursive: true });
  for (const i of p.interfaces)
    fs.writeFileSync(path.join(dir, "models", i.file), `${JSON.stringify(i.doc, null, 2)}\n`);
  fs.writeFileSync(file, `${JSON.stringify(p.plant, null, 2)}\n`);
}

/** The starter plant from a browsed OPC UA server; refuses one with no readable variable. */
export function buildOpcUaStarterPlant(
  browsed: BrowseResult,
  o: StarterOptions,
  connection: Record<string, unknown> = {},
): StarterPlant & { notes: string[]; bound: number } {
  const draft = new DraftPlant();
  const bound = addOpcUaServer(draft, o.source, browsed.objects, connection);
  const notes: string[] = [];
  if (browsed.skippedVariables > 0)
    notes.push(
      `${browsed.skippedVariables} variables were left out: text, arrays, structures or types Gemba does not show.`,
    );
  if (browsed.truncated === "nodes")
    notes.push("browsing stopped at --max-nodes before the whole address space was seen; raise it to find more.");
  if (browsed.truncated === "depth") notes.push("objects deeper than --depth were not browsed; raise it to find more.");
  if (bound === 0)
    throw new DiscoverError(
      `No variable with a number or on/off value was found on ${o.source} (${browsed.browsed} ` +
        `node${browsed.browsed === 1 ? "" : "s"} browsed below Objects` +
        `${notes.map((n) => `; ${n.replace(/\.$/, "")}`).join("")}).`,
    );
  const description =
    `Written by npm run plant:discover from ${o.source} on ${new Date(o.at).toISOString()}. ` +
    "Rename assets, set limits and add a scene.glb to place them.";
  return { ...draft.finish(o.id, o.name, description), notes, bound };
}
