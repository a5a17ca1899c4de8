/**
 * Gemba's own step from the reference parser's object model to what a twin holds: for each
 * Interface, its points and relationship names. The parser has already merged inheritance
 * (an interface reached through two `extends` paths appears once) and resolved every schema;
 * here contents are flattened into addressable points:
 *   - numeric and boolean Telemetry and Properties: one point each (Properties are bindable like telemetry);
 *   - Enum: an integer point whose values show by the enum's display names;
 *   - Object: one point per field, named "position.x" (nested objects "a.b.c");
 *   - Map and Array: one "structured" point, shown as a table of its last JSON value;
 *   - Component: its interface's points under "component.point";
 *   - text, time and vendor schemas (string, dateTime, geopoint, ...) are not points.
 */
import type { DtdlObjectModel, EntityType } from "@digicatapult/dtdl-parser";
import type { PointSchema } from "../../../shared/plant.ts";

export interface ModelPoint {
  name: string;
  displayName: string;
  kind: "telemetry" | "property";
  schema: PointSchema;
  /** DTDL unit name (e.g. "degreeCelsius"), null when none. */
  unit: string | null;
  /** Enum values by the number the twin holds: display names. */
  states?: Record<string, string>;
  /** Text enums: the text a source sends -> the number the twin holds. */
  enumText?: Record<string, number>;
}

export interface ModelInterface {
  id: string;
  displayName: string;
  points: ModelPoint[];
  relationships: string[];
}

type Entity = EntityType & Record<string, unknown>;

const PRIMITIVE = /^dtmi:dtdl:instance:Schema:([A-Za-z]+);\d+$/;
const NUMERIC: Record<string, PointSchema> = {
  double: "double",
  float: "float",
  integer: "integer",
  long: "long",
  byte: "integer",
  short: "integer",
  unsignedByte: "integer",
  unsignedShort: "integer",
  unsignedInteger: "integer",
  unsignedLong: "long",
  boolean: "boolean",
};
/** Objects nest at most 5 deep in DTDL v3 (v2: 5); a guard, the parser enforces it. */
const MAX_DEPTH = 8;

function text(dn: unknown, fallback: string): string {
  if (dn && typeof dn === "object") {
    const m = dn as Record<string, string>;
    return m["en"] ?? m["en-US"] ?? Object.values(m)[0] ?? fallback;
  }
  return fallback;
}

function unitOf(e: Entity): string | null {
  for (const [k, v] of Object.entries(e.SupplementalProperties ?? {})) {
    // v2: "dtmi:dtdl:property:unit;2" -> "dtmi:standard:unit:kibibit;2";
    // v3: "dtmi:dtdl:extension:quantitativeTypes:v1:property:unit" -> "...:v1:unit:kilowatt".
    if (/:property:unit(;\d+)?$/.test(k) && typeof v === "string") {
      const m = /:unit:([A-Za-z]+)(;\d+)?$/.exec(v);
      if (m) return m[1]!;
    }
  }
  return null;
}

export class ModelInterfaces {
  private readonly cache = new Map<string, ModelInterface>();

  constructor(private readonly om: DtdlObjectModel) {}

  private entity(id: string | undefined | null): Entity | undefined {
    return id ? (this.om[id] as Entity | undefined) : undefined;
  }

  has(id: string): boolean {
    return this.entity(id)?.EntityKind === "Interface";
  }

  /** Every Interface the files define (inline ones included). */
  ids(): string[] {
    return Object.values(this.om)
      .filter((e) => e.EntityKind === "Interface")
      .map((e) => e.Id);
  }

  get(id: string): ModelInterface | undefined {
    const known = this.cache.get(id);
    if (known) return known;
    const iface = this.entity(id);
    if (iface?.EntityKind !== "Interface") return undefined;
    const points: ModelPoint[] = [];
    const relationships: string[] = [];
    for (const contentId of this.orderedContents(id)) {
      const c = this.entity(contentId);
      if (!c) continue;
      const name = c["name"] as string;
      if (c.EntityKind === "Relationship") relationships.push(name);
      else if (c.EntityKind === "Component") {
        const sub = this.get(c["schema"] as string);
        for (const p of sub?.points ?? []) points.push({ ...p, name: `${name}.${p.name}` });
      } else if (c.EntityKind === "Telemetry" || c.EntityKind === "Property") {
        const kind = c.EntityKind === "Telemetry" ? "telemetry" : "property";
        this.flatten(points, kind, name, text(c.displayName, name), c["schema"] as string, unitOf(c), 0);
      }
    }
    const out: ModelInterface = { id, displayName: text(iface.displayName, id), points, relationships };
    this.cache.set(id, out);
    return out;
  }

  /**
   * Contents in reading order: inherited ones first (in `extends` order, each once however
   * many paths reach it), then the interface's own, as they were written.
   */
  private orderedContents(id: string): string[] {
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (ifaceId: string) => {
      if (seen.has(ifaceId)) return;
      seen.add(ifaceId);
      const e = this.entity(ifaceId);
      for (const parent of (e?.["extends"] as string[] | undefined) ?? []) visit(parent);
      for (const cid of Object.values((e?.["contents"] as Record<string, string> | undefined) ?? {})) {
        if (this.entity(cid)?.ChildOf === ifaceId && !order.includes(cid)) order.push(cid);
      }
    };
    visit(id);
    // Anything the parser lists that the walk did not reach (none expected) still counts once.
    const all = Object.values((this.entity(id)?.["contents"] as Record<string, string> | undefined) ?? {});
    for (const cid of all) if (!order.includes(cid)) order.push(cid);
    return order.filter((cid) => all.includes(cid));
  }

  private flatten(
    out: ModelPoint[],
    kind: ModelPoint["kind"],
    name: string,
    displayName: string,
    schemaId: string,
    unit: string | null,
    depth: number,
  ): void {
    const prim = PRIMITIVE.exec(schemaId)?.[1];
    if (prim !== undefined) {
      const schema = NUMERIC[prim];
      if (schema) out.push({ name, displayName, kind, schema, unit });
      return;
    }
    const s = this.entity(schemaId);
    if (!s) return;
    if (s.EntityKind === "Enum") {
      const states: Record<string, string> = {};
      const enumText: Record<string, number> = {};
      const values = ((s["enumValues"] as string[] | undefined) ?? []).map((v) => this.entity(v));
      const numeric = values.every((v) => typeof v?.["enumValue"] === "number");
      values.forEach((v, i) => {
        if (!v) return;
        // Integer enums show their own codes; text enums are numbered in the order they are declared.
        const code = numeric ? String(v["enumValue"]) : String(i);
        states[code] = text(v.displayName, v["name"] as string);
        if (!numeric) enumText[String(v["enumValue"])] = i;
      });
      out.push({ name, displayName, kind, schema: "integer", unit: null, states, ...(numeric ? {} : { enumText }) });
    } else if (s.EntityKind === "Object" && depth < MAX_DEPTH) {
      for (const fid of (s["fields"] as string[] | undefined) ?? []) {
        const f = this.entity(fid);
        if (!f) continue;
        const fname = f["name"] as string;
        this.flatten(
          out,
          kind,
          `${name}.${fname}`,
          `${displayName} ${text(f.displayName, fname)}`,
          f["schema"] as string,
          unitOf(f),
          depth + 1,
        );
      }
    } else if (s.EntityKind === "Map" || s.EntityKind === "Array") {
      out.push({ name, displayName, kind, schema: "structured", unit });
    }
  }
}
