/**
 * The body of a work order (docs/TRAINING.md lists its fields): the incident report, the procedure records run
 * during the incident (each with its hash chain verified) and the notes anchored on the alarmed asset. Pure: the
 * caller gathers the parts from the journal and the books.
 */
import type { Incident } from "../incidents/IncidentReport.ts";
import type { JournalEntry } from "../journal/JournalEntry.ts";
import { verifyChain } from "../procedures/runChain.ts";

export const WORK_ORDER_VERSION = 1;

const str = (v: unknown) => (typeof v === "string" ? v : "");

export interface AnchoredNote {
  id: string;
  twin: string;
  kind: string;
  text: string;
  author: string;
  createdAt: number;
  status: string;
}

export interface WorkOrderInput {
  id: string;
  closedBy: { name: string; device: string; role: string };
  closedAt: number;
  summary: string;
  incident: Incident;
  /** procedure.start / .step / .stop rows of the runs in the incident's window, in journal order. */
  procedureRows: readonly JournalEntry[];
  notes: readonly AnchoredNote[];
}

export interface ProcedureRecord {
  run: string;
  procedure: string;
  title: string;
  /** "completed", "stopped", or "unfinished" (still running when the incident was closed). */
  outcome: string;
  /** Whether the rows' hash chain checks out (server/procedures/runChain.ts), and its last hash. */
  chain: { ok: boolean; lastHash: string; problem: string };
  rows: JournalEntry[];
}

function procedureRecords(rows: readonly JournalEntry[]): ProcedureRecord[] {
  const byRun = new Map<string, JournalEntry[]>();
  for (const r of rows) byRun.set(r.subject, [...(byRun.get(r.subject) ?? []), r]);
  return [...byRun.entries()]
    .filter(([, rs]) => rs[0]?.kind === "procedure.start")
    .map(([run, rs]) => {
      const start = rs[0]!;
      const last = rs.at(-1)!;
      const v = verifyChain(rs);
      return {
        run,
        procedure: str(start.data["procedure"]),
        title: str(start.data["title"]),
        outcome:
          last.kind === "procedure.stop" ? "stopped" : last.data["completed"] === true ? "completed" : "unfinished",
        chain: v.ok
          ? { ok: true, lastHash: v.last, problem: "" }
          : { ok: false, lastHash: "", problem: `row ${v.row}: ${v.reason}` },
        rows: [...rs],
      };
    });
}

export function workOrderPayload(i: WorkOrderInput): Record<string, unknown> {
  const a = i.incident.alarm;
  return {
    type: "gemba.work-order",
    version: WORK_ORDER_VERSION,
    id: i.id,
    plant: i.incident.plant,
    asset: { id: a.twin, name: a.twinName ?? "" },
    title: `${a.twin}${a.twinName ? ` ${a.twinName}` : ""}: ${i.summary}`,
    summary: i.summary,
    alarm: { id: a.id, rule: a.rule, message: a.message, raisedAt: new Date(a.activeAt).toISOString() },
    closedBy: i.closedBy,
    closedAt: new Date(i.closedAt).toISOString(),
    incident: i.incident,
    procedures: procedureRecords(i.procedureRows),
    notes: i.notes,
  };
}
