/**
 * The starter plant being written: areas, twins with their points, bindings, and at the end one
 * DTDL v2 interface per kind of asset (twins with the same points share one) and the plant.json
 * that the server and `plant:check` read. Knows nothing about brokers: the from*.ts modules feed it.
 */
import type { Rate } from "./BrokerSurvey.ts";
import type { ValueKind } from "./jsonShapes.ts";
import { commonStem, interfaceName, twinId, UniqueNames } from "./names.ts";

export interface DraftPoint {
  name: string;
  /** What the source calls it (a topic level, metric or field name). */
  displayName: string;
  kind: ValueKind;
  rate: Rate | undefined;
  /** Unit symbol as the source names it (OPC UA EngineeringUnits), shown next to the value. */
  symbol?: string;
}

export interface DraftTwin {
  id: string;
  name: string;
  area: string;
  parent: string | null;
  points: DraftPoint[];
}

export interface StarterPlant {
  /** plant.json, as written. */
  plant: Record<string, unknown>;
  /** models/<file>: one DTDL v2 interface each. */
  interfaces: { file: string; doc: Record<string, unknown> }[];
}

/** Seconds a point may stay silent before it counts as stale is 3 periods; unknown rates get this period. */
const UNKNOWN_PERIOD = 60;

/** Expected seconds between updates: twice the mean interval heard (sources jitter), at least 1 s. */
export function periodOf(rate: Rate | undefined): number {
  if (!rate || rate.count < 2) return UNKNOWN_PERIOD;
  const mean = (rate.last - rate.first) / (rate.count - 1) / 1000;
  return Math.min(86_400, Math.max(1, Math.ceil(mean * 2)));
}

export class DraftPlant {
  private readonly areas = new Map<string, { id: string; name: string }>();
  private readonly areaIds = new UniqueNames();
  readonly twins: DraftTwin[] = [];
  readonly twinIds = new UniqueNames();
  readonly bindings: Record<string, unknown>[] = [];

  /** The area for a source key (a Sparkplug group, a topic path...), created on first use. */
  area(key: string, name: string): string {
    const known = this.areas.get(key);
    if (known) return known.id;
    const id = this.areaIds.take(twinId(name.toLowerCase().replace(/\s+/g, "-")));
    this.areas.set(key, { id, name });
    return id;
  }

  /** A twin with a unique id made from `wanted` (check `.id`: it differs from `wanted` when that was taken). */
  twin(wanted: string, name: string, area: string, parent: string | null = null): DraftTwin {
    const t: DraftTwin = { id: this.twinIds.take(twinId(wanted)), name, area, parent, points: [] };
    this.twins.push(t);
    return t;
  }

  finish(plantId: string, plantName: string, description: string): StarterPlant {
    // One interface per set of points: twins that report the same things are the same kind of asset.
    const kinds = new Map<string, DraftTwin[]>();
    for (const t of this.twins) {
      const sig = t.points
        .map((p) => `${p.name}:${p.kind}:${p.symbol ?? ""}`)
        .sort()
        .join(",");
      kinds.set(sig, [...(kinds.get(sig) ?? []), t]);
    }
    const names = new UniqueNames();
    const ns = `dtmi:gemba:discovered:${plantId.replace(/-/g, "_").replace(/^(\d)/, "p$1")}`;
    const interfaces: StarterPlant["interfaces"] = [];
    const types: Record<string, unknown> = {};
    const typeOf = new Map<DraftTwin, string>();
    for (const twins of kinds.values()) {
      const stem = commonStem(twins.map((t) => t.id)) ?? (twins[0]!.points.length === 0 ? "Group" : "Asset");
      const name = names.take(interfaceName(stem));
      const id = `${ns}:${name};1`;
      const points = twins[0]!.points;
      interfaces.push({
        file: `${name}.json`,
        doc: {
          "@context": "dtmi:dtdl:context;2",
          "@id": id,
          "@type": "Interface",
          displayName: (twins.length > 1 ? `${stem} (${twins.length} assets)` : stem).slice(0, 64),
          contents: points.map((p) => ({
            "@type": "Telemetry",
            name: p.name,
            displayName: p.displayName.slice(0, 64),
            schema: p.kind,
          })),
        },
      });
      // The slowest twin of a kind sets its period, so no twin turns stale while it is merely slow.
      const period = (name: string) =>
        Math.max(...twins.map((t) => periodOf(t.points.find((p) => p.name === name)?.rate)));
      types[id] = {
        label: points.slice(0, 2).map((p) => p.name),
        points: Object.fromEntries(
          points.map((p) => [
            p.name,
            { period: period(p.name), ...(p.symbol ? { symbol: p.symbol.slice(0, 16) } : {}) },
          ]),
        ),
      };
      for (const t of twins) typeOf.set(t, id);
    }
    const plant = {
      id: plantId,
      name: plantName,
      description,
      models: "models",
      areas: [...this.areas.values()],
      types,
      twins: this.twins.map((t) => ({
        id: t.id,
        type: typeOf.get(t)!,
        name: t.name,
        area: t.area,
        parent: t.parent,
      })),
      bindings: this.bindings,
    };
    return { plant, interfaces };
  }
}
