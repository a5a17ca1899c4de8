/**
 * Plain JSON topics (a Unified Namespace, a gateway, Gemba's simulator) into the starter plant.
 * - One value per topic (`.../<asset>/<point>`): the last level is the point, the one before it the
 *   asset, the levels above it the area. Topics under one path become ONE template binding
 *   `<path>/{twin}/{point}` when every name can be used as it is and nothing else is published at
 *   that depth; otherwise one binding per topic (names made valid, the topic kept as it is).
 * - Several values per topic (UNS objects, records): the last level is the asset, each numeric
 *   field a point (one binding per topic with its points).
 * Area names are the path levels below what all areas share ("site/packaging/line1" -> "packaging / line1").
 */
import type { TopicFinding } from "./BrokerSurvey.ts";
import type { DraftPlant, DraftTwin } from "./DraftPlant.ts";
import { dtdlName, isDtdlName, UniqueNames } from "./names.ts";

/** A topic level that a binding would read as a placeholder cannot be bound literally. */
const PLACEHOLDER = /\{[A-Za-z_][\w-]*\}/;

/** Gemba 0/1/2 unless the numbers seen say OPC UA StatusCodes (large) or OPC DA qualities (192, 64...). */
function qualityCodes(seen: Iterable<number>): "opcua" | "opcda" | undefined {
  let max = 0;
  for (const q of seen) max = Math.max(max, q);
  return max > 255 ? "opcua" : max > 2 ? "opcda" : undefined;
}

function areaNamer(paths: readonly string[][]): (path: string[]) => string {
  let shared = paths[0]?.length ?? 0;
  for (const p of paths) {
    let i = 0;
    while (i < shared && i < p.length && p[i] === paths[0]![i]) i++;
    shared = i;
  }
  // With one area, everything is shared: name it by its last level.
  return (path) => (path.length === 0 ? "Plant" : path.slice(Math.min(shared, path.length - 1)).join(" / "));
}

export function addTopics(draft: DraftPlant, findings: Iterable<TopicFinding>, notes: string[]): void {
  const all = [...findings].filter((f) => {
    if (!PLACEHOLDER.test(f.topic)) return true;
    if (f.shape) notes.push(`Topic ${f.topic}: its name looks like a {placeholder}, so it cannot be bound; skipped.`);
    return false;
  });
  const single = all.filter((f) => f.shape?.kind === "value");
  const objects = all.filter((f) => f.shape?.kind === "object");
  const isSingle = new Set(single);
  const parentOf = (f: TopicFinding) => f.topic.split("/").slice(0, isSingle.has(f) ? -2 : -1);
  const areaName = areaNamer([...single, ...objects].map(parentOf));
  const areaFor = (path: string[]) => draft.area(`topic:${path.join("/")}`, areaName(path));

  // One-value topics, grouped by the path above their asset level.
  const groups = new Map<string, TopicFinding[]>();
  for (const f of single) {
    const levels = f.topic.split("/");
    if (levels.length < 2) {
      // A lone level ("temperature"): an asset of that name with one point.
      const twin = draft.twin(levels[0]!, levels[0]!, areaFor([]));
      twin.points.push({ name: "value", displayName: f.topic, kind: valueKind(f), rate: f.rate });
      draft.bindings.push({ topic: f.topic, format: "json", twin: twin.id, point: "value", value: "$" });
      continue;
    }
    const key = levels.slice(0, -2).join("/");
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [path, topics] of groups) {
    const prefix = path === "" ? "" : `${path}/`;
    const depth = topics[0]!.topic.split("/").length;
    // Anything else at this depth under this path (objects, text, other formats) would also match a template.
    const alone = all.every(
      (f) => f.shape?.kind === "value" || !f.topic.startsWith(prefix) || f.topic.split("/").length !== depth,
    );
    const area = areaFor(path === "" ? [] : path.split("/"));
    const twins = new Map<string, { twin: DraftTwin; names: UniqueNames }>();
    let literal = alone;
    const entries = topics.map((f) => {
      const [assetLevel, pointLevel] = f.topic.split("/").slice(-2) as [string, string];
      let t = twins.get(assetLevel);
      if (!t) {
        t = { twin: draft.twin(assetLevel, assetLevel, area), names: new UniqueNames() };
        twins.set(assetLevel, t);
      }
      const point = t.names.take(isDtdlName(pointLevel) ? pointLevel : dtdlName(pointLevel));
      if (t.twin.id !== assetLevel || point !== pointLevel) literal = false;
      t.twin.points.push({ name: point, displayName: pointLevel, kind: valueKind(f), rate: f.rate });
      return { f, twin: t.twin.id, point };
    });
    const codes = qualityCodes(topics.flatMap((f) => [...f.numericQualities]));
    const extra = codes ? { qualityCodes: codes } : {};
    if (literal) draft.bindings.push({ topic: `${prefix}{twin}/{point}`, format: "json", value: "$", ...extra });
    else
      for (const e of entries)
        draft.bindings.push({ topic: e.f.topic, format: "json", twin: e.twin, point: e.point, value: "$", ...extra });
  }

  // Several values per topic: the topic is the asset.
  for (const f of objects) {
    if (f.shape?.kind !== "object") continue;
    const levels = f.topic.split("/");
    const twin = draft.twin(levels.at(-1)!, levels.at(-1)!, areaFor(levels.slice(0, -1)));
    const names = new UniqueNames();
    const points = [...f.shape.fields].map(([label, field]) => {
      const point = names.take(dtdlName(label));
      twin.points.push({ name: point, displayName: label, kind: field.value, rate: f.rate });
      return { point, value: field.path };
    });
    draft.bindings.push({
      topic: f.topic,
      format: "json",
      twin: twin.id,
      ...(f.shape.timestamp ? { timestamp: [f.shape.timestamp] } : {}),
      points,
    });
  }
}

const valueKind = (f: TopicFinding) => (f.shape?.kind === "value" ? f.shape.value : "double");
