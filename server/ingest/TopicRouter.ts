/**
 * Maps MQTT topics to the bindings that read them. Every binding whose topic matches applies
 * (several bindings on one topic: one per OPC UA writer, or one per group of points), in plant.json
 * order. Exact topics by lookup; templates by one compiled pattern each: {twin} and {point} capture
 * one level (or part of one), any other {name} matches one level and is ignored (UNS trees:
 * "{site}/{area}/{line}/{twin}"). Also yields the subscription filters to ask the broker for.
 */
import type { TopicBinding } from "../plant/instance.ts";
import { JsonDecoder } from "./jsonDecoder.ts";
import { OpcUaJsonDecoder } from "./opcuaJsonDecoder.ts";
import type { Decoder } from "./sink.ts";

export interface RouteMatch {
  /** Index of the binding in the list the router was built from (plant.json order among topic bindings). */
  binding: number;
  decoder: Decoder;
  /** From the topic's {twin}/{point}, when the template has them. */
  twin: string | undefined;
  point: string | undefined;
}

interface Template {
  binding: number;
  re: RegExp;
  twinGroup: number;
  pointGroup: number;
  decoder: Decoder;
}

const PLACEHOLDER = /\{([A-Za-z_][\w-]*)\}/g;

export function decoderFor(b: TopicBinding): Decoder {
  return b.format === "opcua-json" ? new OpcUaJsonDecoder(b) : new JsonDecoder(b);
}

export const hasPlaceholder = (topic: string) => /\{[A-Za-z_][\w-]*\}/.test(topic);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The MQTT filter for a topic template: a level with a placeholder becomes "+". */
export function filterOf(topic: string): string {
  return topic
    .split("/")
    .map((lvl) => (hasPlaceholder(lvl) ? "+" : lvl))
    .join("/");
}

/** Compile a template; {twin}/{point} capture, other placeholders match and are ignored. */
export function compileTemplate(topic: string): { re: RegExp; twinGroup: number; pointGroup: number } {
  let re = "^";
  let last = 0;
  let group = 0;
  let twinGroup = 0;
  let pointGroup = 0;
  for (const m of topic.matchAll(PLACEHOLDER)) {
    re += escapeRe(topic.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] === "twin" && twinGroup === 0) twinGroup = ++group;
    else if (m[1] === "point" && pointGroup === 0) pointGroup = ++group;
    else {
      re += "[^/]+";
      continue;
    }
    re += "([^/]+)";
  }
  re += escapeRe(topic.slice(last)) + "$";
  return { re: new RegExp(re), twinGroup, pointGroup };
}

/** True when some topic matches both filters (levels compared pairwise; "+" any level, "#" the rest). */
export function filtersOverlap(a: string, b: string): boolean {
  const x = a.split("/");
  const y = b.split("/");
  for (let i = 0; ; i++) {
    if (x[i] === "#" || y[i] === "#") return true;
    if (i >= x.length || i >= y.length) return x.length === y.length;
    if (x[i] !== "+" && y[i] !== "+" && x[i] !== y[i]) return false;
  }
}

/** True when every topic matching `inner` also matches `outer`. */
function covers(outer: string, inner: string): boolean {
  const x = outer.split("/");
  const y = inner.split("/");
  for (let i = 0; ; i++) {
    if (x[i] === "#") return true;
    if (i >= x.length || i >= y.length) return x.length === y.length;
    if (y[i] === "#") return false;
    if (x[i] !== "+" && x[i] !== y[i]) return false;
  }
}

/**
 * Filters that no topic matches twice: the MQTT connection hands a message to the handler of
 * every matching filter (and a broker may deliver it once per subscription), so overlapping
 * filters would apply and count one message twice. Covered filters are dropped; partly
 * overlapping ones are merged into one wider filter (its extra traffic counts as unknown-topic).
 */
export function disjointFilters(input: readonly string[]): string[] {
  const fs = [...new Set(input)];
  for (let changed = true; changed;) {
    changed = false;
    outer: for (let i = 0; i < fs.length; i++) {
      for (let j = 0; j < fs.length; j++) {
        if (i === j || !filtersOverlap(fs[i]!, fs[j]!)) continue;
        if (covers(fs[i]!, fs[j]!)) fs.splice(j, 1);
        else if (covers(fs[j]!, fs[i]!)) fs.splice(i, 1);
        else {
          const x = fs[i]!.split("/");
          const y = fs[j]!.split("/");
          const merged =
            x.includes("#") || y.includes("#") || x.length !== y.length
              ? [...x.slice(0, Math.min(x.length, y.length) - 1).map((l, k) => (l === y[k] ? l : "+")), "#"]
              : x.map((l, k) => (l === y[k] ? l : "+"));
          fs.splice(Math.max(i, j), 1);
          fs.splice(Math.min(i, j), 1, merged.join("/"));
        }
        changed = true;
        break outer;
      }
    }
  }
  return fs;
}

export class TopicRouter {
  private readonly exact = new Map<string, RouteMatch[]>();
  private readonly templates: Template[] = [];
  readonly filters: string[];
  readonly decoders: Decoder[];

  constructor(bindings: readonly TopicBinding[], prefix = "") {
    this.decoders = bindings.map(decoderFor);
    const all: string[] = [];
    bindings.forEach((b, binding) => {
      const topic = prefix + b.topic;
      const decoder = this.decoders[binding]!;
      if (!hasPlaceholder(b.topic)) {
        const list = this.exact.get(topic) ?? [];
        list.push({ binding, decoder, twin: undefined, point: undefined });
        this.exact.set(topic, list);
        all.push(topic);
        return;
      }
      this.templates.push({ binding, decoder, ...compileTemplate(topic) });
      all.push(filterOf(topic));
    });
    this.filters = disjointFilters(all);
  }

  /** Every binding that reads this topic, in plant.json order. Not on the hot path: PlantIngest caches per topic. */
  match(topic: string): RouteMatch[] {
    const out = [...(this.exact.get(topic) ?? [])];
    for (const t of this.templates) {
      const m = t.re.exec(topic);
      if (m) {
        out.push({
          binding: t.binding,
          decoder: t.decoder,
          twin: t.twinGroup ? m[t.twinGroup] : undefined,
          point: t.pointGroup ? m[t.pointGroup] : undefined,
        });
      }
    }
    return out.sort((a, b) => a.binding - b.binding);
  }
}
