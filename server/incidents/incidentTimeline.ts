/**
 * The incident as a person reads it: one time-ordered list of what happened and who did what, each line with the
 * alarmed signals' values at that moment. Journal entries are machine records (kind, subject, a data bag); the
 * report used to print them as truncated JSON, which cut off the reason someone gave for shelving. Pure function.
 */
import { alarmStateWords } from "../../shared/alarmWords.ts";
import type { JournalEntry } from "../journal/JournalEntry.ts";

export interface TimelineSignal {
  name: string;
  unit: string;
  decimals?: number;
  ts: number[];
  v: number[];
}

export interface IncidentLine {
  ts: number;
  /** What happened, in words ("Ada acknowledged the alarm"). */
  what: string;
  /** Who and on which device, or "" for the plant itself. */
  who: string;
  /** "Suction pressure 0.42 bar" for each signal with a sample at or before this moment. */
  values: string[];
}

const str = (v: unknown) => (typeof v === "string" ? v : "");
const quoted = (s: string) => (s ? ` “${s}”` : "");

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 60 && m % 60 === 0 ? `${m / 60} h` : `${m} min`;
}

/** One journal entry in words. `twinName` names the alarmed asset ("T201 Feed tank"). */
export function describeEntry(e: JournalEntry, twinName: (id: string) => string): string {
  const d = e.data;
  const who = e.actor || "Someone";
  const twin = str(d["twin"]);
  const on = twin ? ` ${twinName(twin)}` : "";
  switch (e.kind) {
    case "alarm.active":
      return `Alarm raised: ${str(d["message"]) || "condition active"}`;
    case "alarm.cleared":
      return `Condition cleared; alarm is now ${alarmStateWords(str(d["state"])).toLowerCase()}`;
    case "alarm.ack":
      return `${who} acknowledged the alarm`;
    case "alarm.shelve": {
      const span = typeof d["durationMs"] === "number" ? ` for ${minutes(d["durationMs"])}` : "";
      return `${who} shelved the alarm${span}, reason:${quoted(str(d["reason"])) || " none given"}`;
    }
    case "alarm.unshelve":
      return `${who} unshelved the alarm`;
    case "denied":
      return `${who} was not allowed to ${str(d["action"]) || "do that"}${d["reason"] ? ` (${str(d["reason"])})` : ""}`;
    case "ping":
      return `${who} pointed at${on || " a spot"}`;
    case "annotation.create":
      return `${who} pinned a note${on ? ` on${on}` : ""}:${quoted(str(d["text"]))}`;
    case "annotation.resolve":
      return `${who} resolved a note${on ? ` on${on}` : ""}`;
    case "summon":
      return `${who} called everyone to${on}`;
    case "share":
      return `${who} shared the view of${on}`;
    case "handoff":
      return `${who} moved from ${str(d["from"]) || "one device"} to ${str(d["to"]) || "another"}`;
    case "video.stroke": {
      const camera = str(d["cameraName"]) ? `${str(d["cameraName"])}'s camera` : "a camera";
      return `${who} drew on ${camera}${str(d["still"]) ? ", on a frozen still (see Drawn on the camera)" : ", on the live picture"}`;
    }
    case "join":
      return `${who} joined`;
    case "leave":
      return `${who} left`;
    default:
      return `${who}: ${e.kind}`;
  }
}

/** The last sample at or before `t` (binary search over ascending times), or undefined. */
export function valueAt(s: TimelineSignal, t: number): number | undefined {
  let lo = 0;
  let hi = s.ts.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s.ts[mid]! <= t) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at < 0 ? undefined : s.v[at];
}

export function formatSignal(s: TimelineSignal, v: number): string {
  const n = s.decimals !== undefined ? v.toFixed(s.decimals) : String(Number(v.toPrecision(4)));
  return `${s.name} ${n}${s.unit ? " " + s.unit : ""}`;
}

export function incidentTimeline(
  entries: readonly JournalEntry[],
  signals: readonly TimelineSignal[],
  twinName: (id: string) => string,
): IncidentLine[] {
  const seen = new Set<string>();
  return [...entries]
    .filter((e) => {
      // A live stroke's frame is the stroke's picture (Drawn on the camera), not something someone did.
      if (e.kind === "video.strokeFrame") return false;
      // An entry can be both lifecycle and collaboration (an acknowledgement): list it once.
      const k = `${e.ts}|${e.kind}|${e.actor}|${e.subject}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.ts - b.ts)
    .map((e) => ({
      ts: e.ts,
      what: describeEntry(e, twinName),
      who: e.actor && e.actor !== "system" ? `${e.actor}${e.device ? ` · ${e.device}` : ""}` : "",
      values: signals.flatMap((s) => {
        const v = valueAt(s, e.ts);
        return v === undefined ? [] : [formatSignal(s, v)];
      }),
    }));
}
