/**
 * Gathers one incident (an alarm's activation) from a plant's runtime: its lifecycle and the collaboration around
 * it from the journal, the asset's signals from working memory. The report route downloads it and a closed
 * incident's work order carries it, so both say the same thing (server/incidents/IncidentReport.ts renders it).
 */
import type { Incident } from "../incidents/IncidentReport.ts";
import { whatIfOutcome, type IncidentWhatIf, type ReportPoint } from "../incidents/whatIfOutcome.ts";
import type { PlantRuntime } from "./PlantHub.ts";

const text = (v: unknown): string => (typeof v === "string" ? v : "");

const LIFECYCLE = ["alarm.active", "alarm.cleared", "alarm.ack", "alarm.shelve", "alarm.unshelve", "denied"];
const COLLABORATION = [
  "ping",
  "annotation.create",
  "annotation.resolve",
  "alarm.ack",
  "summon",
  "share",
  "handoff",
  "join",
  "leave",
  // Drawings on the call's camera: the frame they were drawn on travels with the first stroke on it.
  "video.stroke",
  "video.strokeFrame",
];

/**
 * The incident of `alarmId`: its activation at `activeAt` (an alarm id is reused each time its condition returns),
 * or its first one when absent. Null when the journal has no such activation.
 */
export function assembleIncident(rt: PlantRuntime, alarmId: string, now: number, activeAt?: number): Incident | null {
  const plant = rt.plant.model.id;
  const all = rt.store.query({ plant, subject: alarmId, kinds: LIFECYCLE, limit: 1000 });
  const first =
    activeAt === undefined
      ? all.find((e) => e.kind === "alarm.active")
      : all.find((e) => e.kind === "alarm.active" && e.ts === activeAt);
  if (!first) return null;
  // This activation's rows: from it up to the next activation.
  const next = all.find((e) => e.kind === "alarm.active" && e.ts > first.ts);
  const lifecycle = activeAt === undefined ? all : all.filter((e) => e.ts >= first.ts && (!next || e.ts < next.ts));
  const twin = text(first.data["twin"]);
  const from = first.ts - 5 * 60_000;
  const lastClear = lifecycle.filter((e) => e.kind === "alarm.cleared").at(-1);
  const to = Math.min(now, (lastClear?.ts ?? now) + 60_000);
  // Signals: every point of the alarmed asset, and those the rule read on related assets.
  const keys = new Set<string>();
  const tw = rt.twin.twinIndex(twin);
  if (tw !== undefined) for (const i of rt.twin.twins[tw]!.points) keys.add(rt.twin.points[i]!.key);
  const values = (first.data["values"] ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(values)) keys.add(k.includes("/") ? k : `${twin}/${k}`);
  const signals = [...keys].flatMap((key) => {
    const [t, p] = key.split("/");
    const i = t && p ? rt.twin.indexOf(t, p) : undefined;
    if (i === undefined) return [];
    const def = rt.twin.points[i]!.def;
    const r = rt.twin.rangeOf(i, from, to, 600);
    return [{ key, name: `${t} ${def.displayName}`, unit: def.symbol, decimals: def.decimals, ts: r.ts, v: r.v }];
  });
  const collaboration = rt.store
    .query({ plant, since: from, until: to, kinds: COLLABORATION, limit: 2000 })
    .filter(
      (e) =>
        e.kind === "alarm.ack" ||
        e.kind === "join" ||
        e.kind === "leave" ||
        e.kind === "handoff" ||
        e.kind === "video.stroke" ||
        e.kind === "video.strokeFrame" ||
        e.data["twin"] === twin ||
        e.subject === alarmId,
    );
  return {
    plant,
    whatIfs: savedWhatIfs(rt, from, to, now),
    alarm: {
      id: alarmId,
      rule: text(first.data["rule"]),
      twin,
      twinName: rt.plant.model.twins.find((x) => x.id === twin)?.name ?? "",
      message: text(first.data["message"]),
      activeAt: first.ts,
      state: text(lifecycle.at(-1)?.data["state"]),
    },
    from,
    to,
    signals,
    lifecycle,
    collaboration,
    generatedAt: now,
  };
}

/**
 * The what-ifs forked inside the report's window, each laid over what the plant did after its fork, up to now. The
 * fork instant is plant time, the clock of the alarm and the signals; the row's own time is the server's, and a
 * what-if asked at a playback instant is saved after the time it forks at (never before), hence `since` only.
 */
function savedWhatIfs(rt: PlantRuntime, from: number, to: number, now: number): IncidentWhatIf[] {
  const point = (key: string): ReportPoint | undefined => {
    const [t, p] = key.split("/");
    const i = t && p ? rt.twin.indexOf(t, p) : undefined;
    if (i === undefined) return undefined;
    const def = rt.twin.points[i]!.def;
    // As many samples as the desktop chart asks for (client/ui/Inspector.ts), so both compare the same instant.
    return { name: `${t} ${def.displayName}`, def, samples: (a, b) => rt.twin.rangeOf(i, a, b, 120) };
  };
  return rt.store
    .query({ plant: rt.plant.model.id, since: from, kinds: ["whatif"], limit: 1000 })
    .flatMap((e) => whatIfOutcome(e, point, now) ?? [])
    .filter((w) => w.from >= from && w.from <= to);
}
