/**
 * Incident replay bundle for one alarm: the signals around it (from working
 * memory), its lifecycle, and who pointed at, annotated or acknowledged what
 * (from the journal), on one timeline. Exported as JSON (for machines), CSV (the
 * signals) and a self-contained one-page HTML report with inline SVG plots that
 * opens offline (no scripts, no external resources). Pure functions over inputs.
 */
import type { JournalEntry } from "../journal/JournalEntry.ts";

export interface IncidentSignal {
  key: string;
  name: string;
  unit: string;
  ts: number[];
  v: number[];
}

export interface Incident {
  plant: string;
  alarm: { id: string; rule: string; twin: string; message: string; activeAt: number; state: string };
  from: number;
  to: number;
  signals: IncidentSignal[];
  lifecycle: JournalEntry[];
  collaboration: JournalEntry[];
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
  if (s.v.length === 0) return `<p class="muted">No samples for ${esc(s.key)} in this window.</p>`;
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
  return `<figure><figcaption>${esc(s.name)} <span class="muted">(${esc(s.key)}${s.unit ? ", " + esc(s.unit) : ""})</span></figcaption>
<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(s.name)}">
<text x="2" y="14" class="axis">${hi.toFixed(2)}</text><text x="2" y="${H - 10}" class="axis">${lo.toFixed(2)}</text>
${lines}<polyline points="${pts}" class="line"/></svg></figure>`;
}

export function incidentHtml(inc: Incident): string {
  const marks = [inc.alarm.activeAt, ...inc.lifecycle.map((e) => e.ts)];
  const row = (e: JournalEntry) =>
    `<tr><td>${esc(iso(e.ts))}</td><td>${esc(e.kind)}</td><td>${esc(e.actor)}</td><td>${esc(e.device)}</td><td>${esc(e.subject)}</td><td>${esc(JSON.stringify(e.data).slice(0, 200))}</td></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Incident ${esc(inc.alarm.id)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}table{border-collapse:collapse;width:100%;font-size:12px}
td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left}.muted{color:#666}figure{margin:8px 0}
.line{fill:none;stroke:#1f5f9c;stroke-width:1.5}.mark{stroke:#c0392b;stroke-dasharray:3 3}.axis{font-size:10px;fill:#666}
</style></head><body>
<h1>Incident: ${esc(inc.alarm.rule)} on ${esc(inc.alarm.twin)}</h1>
<p>${esc(inc.alarm.message)}</p>
<p class="muted">Plant ${esc(inc.plant)} · alarm active ${esc(iso(inc.alarm.activeAt))} · window ${esc(iso(inc.from))} to ${esc(iso(inc.to))} · generated ${esc(iso(inc.generatedAt))}</p>
<h2>Signals</h2>${inc.signals.map((s) => plot(s, inc.from, inc.to, marks)).join("\n")}
<h2>Alarm lifecycle</h2><table><tr><th>Time</th><th>Event</th><th>Who</th><th>Device</th><th>Alarm</th><th>Details</th></tr>${inc.lifecycle.map(row).join("")}</table>
<h2>Who pointed, annotated, acknowledged</h2><table><tr><th>Time</th><th>Event</th><th>Who</th><th>Device</th><th>Subject</th><th>Details</th></tr>${inc.collaboration.map(row).join("")}</table>
</body></html>
`;
}
