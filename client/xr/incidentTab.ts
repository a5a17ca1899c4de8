/**
 * Incident reports on the wrist, as plain data: the alarms to pick from, and one alarm's report as a readable
 * timeline (what happened, who did what, with the shelve reason and note texts in words), four lines a page.
 * The report is the one the desktop downloads (GET /api/plants/<plant>/incidents/<alarm>, JSON); anyone who
 * may be in the room may read it (`report` in shared/permissions.ts).
 */
import { alarmStateWords } from "../../shared/alarmWords.ts";
import type { AlarmLike, TabModel } from "./panelModels.ts";
import { VISIBLE_ROWS } from "./panelModels.ts";

export interface EntryLike {
  id?: number;
  ts: number;
  kind: string;
  actor: string;
  subject: string;
  data: Record<string, unknown>;
}

/** The fields of an incident report the headset reads. */
export interface IncidentLike {
  alarm: { id: string; twin: string; message: string; activeAt: number; state: string };
  lifecycle: EntryLike[];
  collaboration: EntryLike[];
  /** What-ifs forked during the incident and how far each was off (server/incidents/whatIfOutcome.ts); older servers send none. */
  whatIfs?: { ts: number; by: string; change: string; misses: { name: string; text: string }[] }[];
}

export interface ReportLine {
  ts: number;
  text: string;
  sub: string;
  /** A sentence on two lines (how far a what-if was off), no sub. */
  wrap?: boolean;
}

const LINE_COLOR = "#b8c7d1";
const ALARM_COLOR = "#ff9f43";

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function hhmmss(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour12: false });
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** One journal entry in words; null for entries the report does not need to show. */
function describe(e: EntryLike, alarm: string): Omit<ReportLine, "ts"> | null {
  const who = e.actor;
  switch (e.kind) {
    case "alarm.active":
      return { text: "Alarm came in", sub: str(e.data["message"]) };
    case "alarm.cleared":
      // As the desktop report says it (server/incidents/incidentTimeline.ts): the state the alarm went to, in words.
      return {
        text: "Condition cleared",
        sub: str(e.data["state"]) ? `now ${alarmStateWords(str(e.data["state"])).toLowerCase()}` : "",
      };
    case "alarm.ack":
      return e.subject === alarm
        ? { text: `Acknowledged by ${who}`, sub: "" }
        : { text: `${who} acknowledged`, sub: `another alarm: ${str(e.data["message"]) || e.subject}` };
    case "alarm.shelve":
      return { text: `Shelved by ${who}`, sub: str(e.data["reason"]) };
    case "alarm.unshelve":
      return who === "system" ? { text: "Shelving ran out", sub: "" } : { text: `Unshelved by ${who}`, sub: "" };
    case "denied":
      return { text: `${who} was refused`, sub: str(e.data["action"]) };
    case "annotation.create":
      return { text: `${who} pinned a note`, sub: str(e.data["text"]) };
    case "annotation.resolve":
      return { text: `${who} resolved a note`, sub: "" };
    case "ping":
      return { text: `${who} pointed here`, sub: "" };
    case "summon":
      return { text: `${who} called everyone here`, sub: "" };
    case "share":
      return { text: `${who} shared the inspector`, sub: e.subject };
    case "handoff":
      return { text: `${who} changed device`, sub: "" };
    case "join":
      return { text: `${who} joined`, sub: "" };
    case "leave":
      return { text: `${who} left`, sub: "" };
    default:
      // A kind this headset does not know yet (a newer server): its name in words, never the raw code.
      return { text: `${who}: ${e.kind.replace(/[._-]+/g, " ")}`, sub: "" };
  }
}

/** The report's entries in time order, in words; an acknowledgement that is in both lists shows once. */
export function reportLines(inc: IncidentLike): ReportLine[] {
  const seen = new Set<string>();
  const out: ReportLine[] = [];
  for (const e of [...inc.lifecycle, ...inc.collaboration].sort((a, b) => a.ts - b.ts)) {
    const key = e.id !== undefined ? String(e.id) : `${e.ts}|${e.kind}|${e.subject}|${e.actor}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const d = describe(e, inc.alarm.id);
    if (d) out.push({ ts: e.ts, ...d });
  }
  // Each what-if, then how good its prediction was, in the desktop's sentence ("L401 Flow: At +45 s: predicted …").
  for (const w of inc.whatIfs ?? []) {
    out.push({ ts: w.ts, text: `${w.by} asked what if`, sub: w.change });
    for (const m of w.misses) out.push({ ts: w.ts, text: `${m.name}: ${m.text}`, sub: "", wrap: true });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** Pick an alarm to read its report (the alarms the Alarms tab shows, newest first). */
export function reportsTab(alarms: Iterable<AlarmLike>): TabModel {
  const list = [...alarms].sort((a, b) => b.activeAt - a.activeAt);
  const m: TabModel = {
    header: list.length ? "Incident reports: pick an alarm" : "No alarms to report on",
    actions: [{ label: "Back", action: { kind: "report-back" } }, null, null],
    rows: [],
    more: 0,
  };
  for (const a of list.slice(0, VISIBLE_ROWS)) {
    m.rows.push({
      text: clip(`${a.twin} · ${a.message}`, 24),
      sub: `came in ${hhmmss(a.activeAt)}`,
      color: ALARM_COLOR,
      buttons: [null, { label: "Report", action: { kind: "report", alarm: a.id } }],
    });
  }
  m.more = list.length - m.rows.length;
  return m;
}

export function reportPages(inc: IncidentLike): number {
  return Math.max(1, Math.ceil(reportLines(inc).length / VISIBLE_ROWS));
}

/** One page (four lines) of an alarm's report, with Back and paging. */
export function incidentTab(inc: IncidentLike, page: number): TabModel {
  const lines = reportLines(inc);
  const pages = Math.max(1, Math.ceil(lines.length / VISIBLE_ROWS));
  const p = Math.max(0, Math.min(pages - 1, page));
  const m: TabModel = {
    header: `${clip(`${inc.alarm.twin} · ${inc.alarm.message}`, 34)} (${p + 1}/${pages})`,
    actions: [
      { label: "Back", action: { kind: "report-back" } },
      p > 0 ? { label: "◀ Earlier", action: { kind: "report-page", dir: -1 } } : null,
      p < pages - 1 ? { label: "Later ▶", action: { kind: "report-page", dir: 1 } } : null,
    ],
    rows: [],
    more: 0,
  };
  for (const l of lines.slice(p * VISIBLE_ROWS, (p + 1) * VISIBLE_ROWS)) {
    if (l.wrap) {
      m.rows.push({ text: l.text, sub: "", color: LINE_COLOR, buttons: [null, null], wrap: true });
      continue;
    }
    m.rows.push({
      text: clip(l.text, 26),
      sub: clip(`${hhmmss(l.ts)}${l.sub ? ` · ${l.sub}` : ""}`, 40),
      color: l.text.startsWith("Alarm") ? ALARM_COLOR : LINE_COLOR,
      buttons: [null, null],
    });
  }
  if (!lines.length) m.rows.push({ text: "Nothing recorded yet", sub: "", color: LINE_COLOR, buttons: [null, null] });
  return m;
}
