/**
 * Plant-file checks for JSON and OPC UA JSON bindings that a schema cannot express. loadPlant
 * runs them, so `npm run plant:check` and server start-up refuse the same things in the same words:
 * - where each point's twin and point come from (fixed, or the topic's {twin}/{point}), exactly once;
 * - twins and points that do not exist, and selections that can match nothing;
 * - two bindings (or two entries of one) that write one point: the last message would win silently;
 * - ambiguous selections: an OPC UA binding taking a field from every writer on a topic where
 *   another binding names its writer (the wrong writer's value would land on the point).
 */
import type { PlantIssue } from "../plant/PlantError.ts";
import type { Binding, OpcUaBinding, TopicBinding } from "../plant/instance.ts";
import { compileTemplate, filterOf, filtersOverlap, hasPlaceholder } from "./TopicRouter.ts";

interface Writer {
  binding: number;
  /** "points[2]" or "" for a one-point binding, for messages. */
  where: string;
  topic: string | undefined;
  /** undefined: taken from the topic. */
  twin: string | undefined;
  point: string | undefined;
}

type Types = ReadonlyMap<string, { points: readonly { name: string }[] }>;

const count = (topic: string, name: string) => topic.split(`{${name}}`).length - 1;

export function validateTopicBindings(
  bindings: readonly Binding[],
  twins: readonly { id: string; type: string }[],
  types: Types,
): PlantIssue[] {
  const issues: PlantIssue[] = [];
  const typeOfTwin = new Map(twins.map((t) => [t.id, t.type]));
  const hasPoint = (twin: string, point: string) =>
    types.get(typeOfTwin.get(twin) ?? "")?.points.some((p) => p.name === point) ?? false;
  const anyTwinHas = (point: string) => twins.some((t) => hasPoint(t.id, point));
  const writers: Writer[] = [];
  const add = (path: string, reason: string) => issues.push({ file: "plant.json", path, reason });

  bindings.forEach((b, i) => {
    const at = `bindings[${i}]`;
    if (b.format === "sparkplug") {
      for (const [metric, target] of Object.entries(b.metrics ?? {})) {
        const [twin, point] = target.split("/");
        writers.push({ binding: i, where: `metrics[${JSON.stringify(metric)}]`, topic: undefined, twin, point });
      }
      return;
    }
    if (b.format === "opcua") {
      // Checked in opcua/validateBindings.ts; listed here so a point bound twice (OPC UA and MQTT) is found.
      b.items.forEach((it, j) => {
        const twin = it.twin ?? b.twin;
        if (twin !== undefined)
          writers.push({ binding: i, where: `items[${j}]`, topic: undefined, twin, point: it.point });
      });
      return;
    }
    if (/[#+]/.test(b.topic.replace(/\{[A-Za-z_][\w-]*\}/g, ""))) {
      add(
        `${at}.topic`,
        "MQTT wildcards are not allowed in a binding topic; use {twin}, {point} or {name} placeholders.",
      );
      return;
    }
    for (const name of ["twin", "point"]) {
      if (count(b.topic, name) > 1) add(`${at}.topic`, `{${name}} appears more than once in the topic.`);
    }
    const topicTwin = b.topic.includes("{twin}");
    const topicPoint = b.topic.includes("{point}");
    const checkTarget = (path: string, twin: string | undefined, point: string | undefined, where: string) => {
      if (twin !== undefined && !typeOfTwin.has(twin)) return add(`${path}.twin`, `unknown twin "${twin}".`);
      if (twin !== undefined && point !== undefined && !hasPoint(twin, point))
        return add(`${path}.point`, `twin ${twin} has no telemetry "${point}".`);
      if (twin === undefined && point !== undefined && !anyTwinHas(point))
        return add(`${path}.point`, `no twin has telemetry "${point}", so this binding can match nothing.`);
      writers.push({ binding: i, where, topic: b.topic, twin, point });
    };
    const twinFor = (path: string, own: string | undefined): string | undefined | null => {
      const fixed = own ?? b.twin;
      if (fixed !== undefined && topicTwin) {
        add(path, "the twin is named here and by the topic's {twin}; use one.");
        return null;
      }
      if (fixed === undefined && !topicTwin) {
        add(path, 'which twin? Give "twin" or put {twin} in the topic.');
        return null;
      }
      return fixed;
    };

    if (b.format === "json" && b.points === undefined) {
      if (b.value === undefined)
        return add(at, 'a json binding needs "value" (one point) or "points" (many points of one message).');
      for (const k of ["items", "key"] as const) {
        if (b[k] !== undefined) add(`${at}.${k}`, `"${k}" works with "points" (a batched array), not with "value".`);
      }
      const twin = twinFor(`${at}.twin`, undefined);
      let pointOk = true;
      if (b.point !== undefined && topicPoint) {
        add(`${at}.point`, "the point is named here and by the topic's {point}; use one.");
        pointOk = false;
      }
      if (b.point === undefined && !topicPoint) {
        add(`${at}.point`, 'which point? Give "point" or put {point} in the topic.');
        pointOk = false;
      }
      if (twin !== null && pointOk) checkTarget(at, twin, b.point, "");
      return;
    }
    // Many points of one message (json "points", or any OPC UA binding).
    if (topicPoint) add(`${at}.topic`, "{point} in the topic is for one-point bindings; name each point in points[].");
    if (b.format === "json") {
      if (b.value !== undefined) add(`${at}.value`, 'give "value" (one point) or "points" (many), not both.');
      if (b.point !== undefined) add(`${at}.point`, '"point" is for one-point bindings; name each point in points[].');
      if ((b.items === undefined) !== (b.key === undefined))
        add(at, '"items" (the array of records) and "key" (the field naming each record) go together.');
    }
    const seenField = new Map<string, number>();
    const points: readonly { twin?: string | undefined; point: string; match?: string | undefined; field?: string }[] =
      b.points ?? [];
    points.forEach((p, j) => {
      const path = `${at}.points[${j}]`;
      if (b.format === "json") {
        if (b.items !== undefined && p.match === undefined)
          add(
            `${path}.match`,
            'with "items", each point needs "match" (the key of its record); without it the point can match nothing.',
          );
        if (b.items === undefined && p.match !== undefined)
          add(`${path}.match`, '"match" works only with "items" and "key".');
      } else if (p.field !== undefined) {
        const prev = seenField.get(p.field);
        if (prev !== undefined)
          add(
            `${path}.field`,
            `field ${JSON.stringify(p.field)} is already bound by points[${prev}]; bind each field once.`,
          );
        seenField.set(p.field, j);
      }
      const twin = twinFor(`${path}.twin`, p.twin);
      if (twin !== null) checkTarget(path, twin, p.point, `points[${j}]`);
    });
  });

  checkDoubleWrites(writers, issues);
  checkUnnamedWriters(bindings, issues);
  return issues;
}

/** Can a message on one topic make both writers write the same point? Fixed names conflict anywhere. */
function sameTarget(a: Writer, b: Writer): { twin: string; point: string } | undefined {
  const fixedA = a.twin !== undefined && a.point !== undefined;
  const fixedB = b.twin !== undefined && b.point !== undefined;
  if (fixedA && fixedB)
    return a.twin === b.twin && a.point === b.point ? { twin: a.twin!, point: a.point! } : undefined;
  // A point taken from the topic can only collide with a writer on a topic both can match.
  if (a.topic === undefined || b.topic === undefined || !filtersOverlap(filterOf(a.topic), filterOf(b.topic)))
    return undefined;
  const captures = (w: Writer, other: Writer) => {
    if (hasPlaceholder(other.topic!) || !hasPlaceholder(w.topic!)) return { twin: w.twin, point: w.point };
    const t = compileTemplate(w.topic!);
    const m = t.re.exec(other.topic!);
    if (!m) return undefined;
    return {
      twin: w.twin ?? (t.twinGroup ? m[t.twinGroup] : undefined),
      point: w.point ?? (t.pointGroup ? m[t.pointGroup] : undefined),
    };
  };
  const x = captures(a, b);
  const y = captures(b, a);
  if (!x || !y) return undefined;
  const twin =
    x.twin === undefined || y.twin === undefined || x.twin === y.twin ? (x.twin ?? y.twin ?? "{twin}") : undefined;
  const point =
    x.point === undefined || y.point === undefined || x.point === y.point
      ? (x.point ?? y.point ?? "{point}")
      : undefined;
  return twin !== undefined && point !== undefined ? { twin, point } : undefined;
}

/**
 * Writers with fixed names are grouped by point (a plant binds thousands of points this way: no pairwise
 * scan); only writers that take a name from the topic are compared with every other writer.
 */
function checkDoubleWrites(writers: readonly Writer[], issues: PlantIssue[]): void {
  const name = (w: Writer) => `bindings[${w.binding}]${w.where ? `.${w.where}` : ""}`;
  const pairs: { a: number; b: number; twin: string; point: string }[] = [];
  const fixed = new Map<string, number[]>();
  const loose = new Set<number>();
  writers.forEach((w, k) => {
    if (w.twin === undefined || w.point === undefined) return void loose.add(k);
    const key = `${w.twin}\u0000${w.point}`;
    const list = fixed.get(key) ?? [];
    list.push(k);
    fixed.set(key, list);
  });
  for (const list of fixed.values()) {
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const w = writers[list[x]!]!;
        pairs.push({ a: list[x]!, b: list[y]!, twin: w.twin!, point: w.point! });
      }
  }
  for (const k of loose) {
    for (let m = 0; m < writers.length; m++) {
      if (m === k || (loose.has(m) && m < k)) continue;
      const hit = sameTarget(writers[k]!, writers[m]!);
      if (hit) pairs.push({ a: Math.min(k, m), b: Math.max(k, m), ...hit });
    }
  }
  pairs.sort((x, y) => x.a - y.a || x.b - y.b);
  for (const { a, b, twin, point } of pairs) {
    issues.push({
      file: "plant.json",
      path: name(writers[b]!),
      reason: `${name(writers[a]!)} and ${name(writers[b]!)} both write ${twin}/${point}; the last message would win silently. Bind each point once.`,
    });
  }
}

function checkUnnamedWriters(bindings: readonly Binding[], issues: PlantIssue[]): void {
  const opc = bindings
    .map((b, i) => ({ b, i }))
    .filter((x): x is { b: OpcUaBinding; i: number } => x.b.format === "opcua-json");
  const named = (b: OpcUaBinding) => b.writerId !== undefined || b.writerName !== undefined;
  for (const { b, i } of opc) {
    if (named(b)) continue;
    const other = opc.find(
      (o) => o.i !== i && named(o.b) && filtersOverlap(filterOf((o.b as TopicBinding).topic), filterOf(b.topic)),
    );
    if (!other) continue;
    issues.push({
      file: "plant.json",
      path: `bindings[${i}]`,
      reason: `bindings[${other.i}] names its writer on this topic, so several writers publish here; this binding takes its fields from every writer. Name the writer ("writerId" or "writerName").`,
    });
  }
}
