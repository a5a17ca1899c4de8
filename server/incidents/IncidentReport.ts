/**
 * Incident replay bundle for one alarm: the signals around it (from working
 * memory), its lifecycle, and who pointed at, annotated or acknowledged what
 * (from the journal), on one timeline. Exported as JSON (for machines), CSV (the
 * signals) and a self-contained one-page HTML report with inline SVG plots that
 * opens offline (no scripts, no external resources). Pure functions over inputs.
 */
import type { JournalEntry } from "../journal/JournalEntry.ts";
import { alarmStateWords } from "../../shared/alarmWords.ts";
import { drawingsHtml } from "./incidentDrawings.ts";
import { incidentTimeline } from "./incidentTimeline.ts";
import type { IncidentWhatIf } from "./whatIfOutcome.ts";

export interface IncidentSignal {
  key: string;
  name: string;
  unit: string;
  /** Decimals the plant definition shows this point with. */
  decimals?: number;
  ts: number[];
  v: number[];
}

export interface Incident {
  plant: string;
  alarm: {
    id: string;
    rule: string;
    twin: string;
    /** The asset's name from the plant definition ("Feed tank"), "" if the plant no longer has it. */
    twinName?: string;
    message: string;
    activeAt: number;
    state: string;
  };
  from: number;
  to: number;
  signals: IncidentSignal[];
  lifecycle: JournalEntry[];
  collaboration: JournalEntry[];
  /** What-ifs saved in the report's window, each with how far its prediction was from what happened. */
  whatIfs: IncidentWhatIf[];
  generatedAt: number;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const iso = (t: number) => new Date(t).toISOString();

export function incidentCsv(inc: Incident): string {
  const rows = ["time,signal,value,unit"];
  for (const s of inc.signals) {
    s.ts.forEach((t, i) => rows.push(`${iso(t)},${s.key},${s.v[i]},${s.unit}`));
  }
  return rows.join("\n") + "\n";
}

function plot(s: IncidentSignal, from: number, to: number, marks: number[]): string {
  const W = 640;
  const H = 90;
  if (s.v.length === 0) return `<p class="muted">No samples for ${esc(s.name)} in this window.</p>`;
  let lo = Math.min(...s.v);
  let hi = Math.max(...s.v);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const x = (t: number) => (((t - from) / Math.max(1, to - from)) * (W - 60) + 50).toFixed(1);
  const y = (v: number) => (H - 12 - ((v - lo) / (hi - lo)) * (H - 24)).toFixed(1);
  const pts = s.ts.map((t, i) => `${x(t)},${y(s.v[i]!)}`).join(" ");
  const lines = marks.map((t) => `<line x1="${x(t)}" x2="${x(t)}" y1="4" y2="${H - 8}" class="mark"/>`).join("");
  return `<figure><figcaption>${esc(s.name)} ${s.unit ? `<span class="muted">(${esc(s.unit)})</span>` : ""}</figcaption>
<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(s.name)}">
<text x="2" y="14" class="axis">${hi.toFixed(2)}</text><text x="2" y="${H - 10}" class="axis">${lo.toFixed(2)}</text>
${lines}<polyline points="${pts}" class="line"/></svg></figure>`;
}

/**
 * The signals a row's "values at that moment" names: those the alarm's condition read (its `values` when it became
 * active), else every signal. Ten numbers per row for a one-point limit alarm buried the one that mattered.
 */
function keySignals(inc: Incident): IncidentSignal[] {
  const values = inc.lifecycle.find((e) => e.kind === "alarm.active")?.data["values"];
  const read = new Set(
    Object.keys(values && typeof values === "object" ? values : {}).map((k) =>
      k.includes("/") ? k : `${inc.alarm.twin}/${k}`,
    ),
  );
  const picked = inc.signals.filter((s) => read.has(s.key));
  return picked.length ? picked : inc.signals;
}

/** Local-looking time of day for the report's rows; the full ISO time stays in the row's title and the JSON. */
const clock = (t: number) => iso(t).slice(11, 19);

export function incidentHtml(inc: Incident): string {
  const marks = [inc.alarm.activeAt, ...inc.lifecycle.map((e) => e.ts)];
  const asset = (id: string) => (id === inc.alarm.twin && inc.alarm.twinName ? `${id} ${inc.alarm.twinName}` : id);
  const lines = incidentTimeline([...inc.lifecycle, ...inc.collaboration], keySignals(inc), asset);
  const row = (l: (typeof lines)[number]) =>
    `<tr><td title="${esc(iso(l.ts))}">${esc(clock(l.ts))}</td><td>${esc(l.what)}</td><td>${esc(l.who)}</td><td class="values">${l.values.map(esc).join("<br>")}</td></tr>`;
  const title = `${asset(inc.alarm.twin)}: ${inc.alarm.message || "alarm"}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Incident: ${esc(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}table{border-collapse:collapse;width:100%;font-size:13px}
td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}.muted{color:#666}figure{margin:8px 0}
.values{color:#333;font-size:12px}
.line{fill:none;stroke:#1f5f9c;stroke-width:1.5}.mark{stroke:#c0392b;stroke-dasharray:3 3}.axis{font-size:10px;fill:#666}
</style></head><body>
<h1>Incident: ${esc(title)}</h1>
<p>Now: <strong>${esc(alarmStateWords(inc.alarm.state))}</strong>. Raised ${esc(iso(inc.alarm.activeAt).replace("T", " ").slice(0, 19))} UTC.</p>
<p class="muted">Plant ${esc(inc.plant)} · times in UTC · report window ${esc(clock(inc.from))} to ${esc(clock(inc.to))} · generated ${esc(iso(inc.generatedAt))}</p>
<h2>What happened</h2><table><tr><th>Time</th><th>What happened</th><th>Who</th><th>Values at that moment</th></tr>${lines.map(row).join("")}</table>
${whatIfSection(inc)}
<h2>Signals</h2>${inc.signals.map((s) => plot(s, inc.from, inc.to, marks)).join("\n")}
${drawingsHtml(inc.collaboration)}
</body></html>
`;
}

/** "What-ifs during the incident": who asked what, and for each point it moved how far off the prediction was. */
function whatIfSection(inc: Incident): string {
  if (inc.whatIfs.length === 0) return "";
  const row = (w: IncidentWhatIf) => {
    const how = w.misses.length
      ? w.misses.map((m) => `${m.name}: ${m.text}`)
      : ["Nothing to compare yet: no value came in after the fork"];
    return `<tr><td title="${esc(iso(w.ts))}">${esc(clock(w.ts))}</td><td>${esc(w.change)}</td><td>${esc(w.by)}</td><td class="values">${how.map(esc).join("<br>")}</td></tr>`;
  };
  return `<h2>What-ifs during the incident</h2><table><tr><th>Saved</th><th>What if</th><th>Who</th><th>Predicted against what happened</th></tr>${inc.whatIfs.map(row).join("")}</table>`;
}
