/**
 * Maps MQTT topics to twin points through the plant's bindings: exact topics by
 * lookup, {twin}/{point} templates by one compiled pattern each. Also yields the
 * subscription filters to ask the broker for.
 */
import type { JsonBinding as Binding } from "../plant/instance.ts";
import type { JsonMapping } from "./decodeJson.ts";

export interface Route {
  twin: string;
  point: string;
  mapping: JsonMapping;
}

interface Template {
  re: RegExp;
  twinGroup: number;
  pointGroup: number;
  mapping: JsonMapping;
}

function mappingOf(b: Binding): JsonMapping {
  return { value: b.value, timestamp: b.timestamp, quality: b.quality, scale: b.scale, offset: b.offset };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class TopicRouter {
  private readonly exact = new Map<string, Route>();
  private readonly templates: Template[] = [];
  readonly filters: string[] = [];

  constructor(bindings: readonly Binding[], prefix = "") {
    const filters = new Set<string>();
    for (const b of bindings) {
      const topic = prefix + b.topic;
      if ("twin" in b) {
        this.exact.set(topic, { twin: b.twin, point: b.point, mapping: mappingOf(b) });
        filters.add(topic);
        continue;
      }
      const parts = topic.split(/(\{twin\}|\{point\})/);
      let re = "^";
      let group = 0;
      let twinGroup = 0;
      let pointGroup = 0;
      for (const part of parts) {
        if (part === "{twin}") {
          twinGroup = ++group;
          re += "([^/]+)";
        } else if (part === "{point}") {
          pointGroup = ++group;
          re += "([^/]+)";
        } else re += escapeRe(part);
      }
      this.templates.push({ re: new RegExp(re + "$"), twinGroup, pointGroup, mapping: mappingOf(b) });
      // A placeholder inside a level widens that whole level to "+".
      filters.add(
        topic
          .split("/")
          .map((lvl) => (lvl.includes("{twin}") || lvl.includes("{point}") ? "+" : lvl))
          .join("/"),
      );
    }
    this.filters = [...filters];
  }

  match(topic: string): Route | undefined {
    const e = this.exact.get(topic);
    if (e) return e;
    for (const t of this.templates) {
      const m = t.re.exec(topic);
      if (m) return { twin: m[t.twinGroup]!, point: m[t.pointGroup]!, mapping: t.mapping };
    }
    return undefined;
  }
}
