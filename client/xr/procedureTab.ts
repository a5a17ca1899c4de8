/**
 * The room's procedure run on the wrist (the Steps tab), as plain data: the current step's text in large type, its
 * asset, the gate with the live values the server evaluated it on, and a big "Done" — greyed, with the reason, while
 * the gate does not hold or the step needs a note, so a trigger pull on it says why instead of acting. The server
 * decides (docs/TRAINING.md); this only shows its verdict from the room state `procedure`.
 */
import { can } from "../../shared/permissions.ts";
import { VISIBLE_ROWS, type Me, type PanelRow, type TabModel } from "./panelModels.ts";

/** The fields of the room's `procedure` the tab reads (structural, so tests pass plain objects). */
export interface ProcedureLike {
  run: string;
  title: string;
  status: string;
  step: number;
  steps: ArrayLike<{ text: string; asset: string; gate: string; evidence: string; doneBy: string }>;
  gateHolds: boolean;
  gateNow: string;
  hash: string;
}

/** Characters per line across the whole panel: a row's large text (42 px) and its smaller second line (32 px). */
const TEXT_LINE = 38;
const SUB_LINE = 54;

/** Words into lines, the i-th at most `widths[i]` characters (the last width repeats); a longer word is cut. */
export function wrap(text: string, widths: readonly number[]): string[] {
  const lines: string[] = [];
  const width = () => widths[Math.min(lines.length, widths.length - 1)]!;
  let cur = "";
  for (const w of text.split(/\s+/).filter(Boolean)) {
    const word = w.length > width() ? `${w.slice(0, width() - 1)}…` : w;
    if (!cur) cur = word;
    else if (cur.length + 1 + word.length <= width()) cur += ` ${word}`;
    else {
      lines.push(cur);
      cur = word;
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const row = (text: string, sub = "", color = "#e8eef2"): PanelRow => ({ text, sub, color, buttons: [null, null] });

/** Why Done cannot be pressed now, or "" when it can. */
export function doneBlocked(p: ProcedureLike, role: string): string {
  const s = p.steps[p.step];
  if (!s) return "";
  if (!can(role, "runProcedure")) return "Only operators mark steps done";
  if (!p.gateHolds) return `Waiting for the gate on ${s.asset}`;
  if (s.evidence === "note") return "Needs a note: finish it on a laptop";
  return "";
}

export function procedureTab(p: ProcedureLike, me: Me): TabModel {
  const m: TabModel = { header: "", actions: [null, null, null], rows: [], more: 0 };
  if (!p.run) {
    m.header = "No procedure running";
    m.rows.push(row("Start one from a laptop:", "Procedures, then Start"));
    return m;
  }
  const n = p.steps.length;
  if (p.status !== "running") {
    m.header = `${p.status === "completed" ? "Completed" : "Stopped"}: ${p.title}`.slice(0, 44);
    m.rows.push(row(`${n} step${n === 1 ? "" : "s"}`, p.hash ? `record ${p.hash.slice(0, 12)}…` : ""));
    return m;
  }
  const s = p.steps[p.step]!;
  m.header = `Step ${p.step + 1} of ${n} · ${s.asset}`;
  const blocked = doneBlocked(p, me.role);
  m.actions = [
    can(me.role, "runProcedure")
      ? {
          label: "Done",
          action: { kind: "proc-done", run: p.run, step: p.step },
          ...(blocked ? { disabled: blocked } : {}),
        }
      : null,
    { label: "Show", action: { kind: "proc-show", twin: s.asset } },
    null,
  ];
  // The step's text across the rows (a large line and a smaller one each); the gate and Done's state below it.
  const textRows = VISIBLE_ROWS - (s.gate ? 2 : 1);
  const widths = Array.from({ length: textRows * 2 }, (_, i) => (i % 2 ? SUB_LINE : TEXT_LINE));
  const lines = wrap(s.text, widths);
  for (let i = 0; i < textRows && i * 2 < lines.length; i++) {
    const cut = i === textRows - 1 && lines.length > (i + 1) * 2;
    m.rows.push(row(lines[i * 2]!, `${lines[i * 2 + 1] ?? ""}${cut ? " …" : ""}`));
  }
  if (s.gate) m.rows.push(row(p.gateHolds ? "Gate holds" : "Gate not met yet", clip(s.gate, SUB_LINE)));
  const now = p.gateNow ? clip(`now: ${p.gateNow}`, SUB_LINE) : "";
  m.rows.push(blocked ? row(blocked, now, "#ffb454") : row("Done is ready", now, "#7fd491"));
  return m;
}
