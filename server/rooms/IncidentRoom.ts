/**
 * A room's incidents (docs/TRAINING.md, "Work-order hand-off"): the plant's recent alarm activations in the room
 * state, open or closed, and closing one. Closing writes an `incident.close` journal row and, when WORK_ORDER_URL is
 * set, queues a work order with the incident report, the procedure records and the anchored notes; the order's
 * delivery (pending, delivered, failing with the last error) follows in the state as the outbox reports it.
 */
import { IncidentState, incidentKey } from "../../shared/incidentState.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import type { AlarmRecord } from "../alarms/AlarmLifecycle.ts";
import type { Actor, JournalEntry } from "../journal/JournalEntry.ts";
import type { PlantJournal } from "../journal/PlantJournal.ts";
import { assembleIncident } from "../runtime/incidentBundle.ts";
import type { PlantRuntime } from "../runtime/PlantHub.ts";
import type { WorkOrder } from "../workorders/WorkOrder.ts";
import type { WorkOrderOutbox } from "../workorders/WorkOrderOutbox.ts";
import { workOrderPayload } from "../workorders/workOrderPayload.ts";

/** Incidents the room lists: the newest this many activations of the last day. */
const KEEP = 30;
const DAY_MS = 24 * 3600_000;
const PROCEDURE_KINDS = ["procedure.start", "procedure.step", "procedure.stop"];

const str = (v: unknown) => (typeof v === "string" ? v : "");

export class IncidentRoom {
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly runtime: PlantRuntime,
    private readonly state: PlantRoomState,
    private readonly journal: PlantJournal,
    private readonly outbox: WorkOrderOutbox | null,
    private readonly now: () => number,
    private readonly newId: () => string,
    private readonly log: (m: string) => void,
  ) {
    const plant = runtime.plant.model.id;
    const rows = runtime.store.query({
      plant,
      since: now() - DAY_MS,
      kinds: ["alarm.active", "incident.close"],
      limit: 5000,
    });
    for (const r of rows.filter((e) => e.kind === "alarm.active")) this.opened(r.subject, r.data, r.ts);
    for (const r of rows.filter((e) => e.kind === "incident.close")) this.closed(r);
    for (const a of runtime.alarms.alarms.values()) this.fromAlarm(a);
    if (outbox) for (const o of outbox.recent(plant).reverse()) this.delivery(o);
    this.unsubscribe.push(runtime.alarms.subscribe((a) => this.fromAlarm(a)));
    if (outbox) this.unsubscribe.push(outbox.subscribe((o) => o.plant === plant && this.delivery(o)));
  }

  /**
   * Close the incident of `alarm`'s activation at `activeAt`; a string says why not. The journal row is written
   * first, the order queued after: a closed incident whose order could not be stored says so, in the log too.
   */
  close(
    actor: Actor,
    alarm: string,
    activeAt: number,
    summary: string,
  ): { journalId: number; workOrder: string | null } | string {
    const rt = this.runtime;
    const plant = rt.plant.model.id;
    const key = incidentKey(alarm, activeAt);
    const incident = assembleIncident(rt, alarm, this.now(), activeAt);
    if (!incident) return `There is no alarm "${alarm}" raised at that time in this plant's journal.`;
    const s = this.state.incidents.get(key);
    // The room lists the last day; an older incident's close is found in the journal.
    const earlier = s?.closedBy ? undefined : this.closeRow(alarm, activeAt);
    const already = s?.closedBy
      ? { by: s.closedBy, at: s.closedAt }
      : earlier
        ? { by: earlier.actor, at: earlier.ts }
        : null;
    if (already) {
      return `This incident was closed by ${already.by} at ${new Date(already.at).toISOString().slice(11, 19)} UTC.`;
    }
    const live = rt.alarms.alarms.get(alarm);
    if (live && live.activeAt === activeAt && (live.state === "unack-active" || live.state === "rtn-unack")) {
      return "Acknowledge the alarm before closing its incident.";
    }
    const workOrder = this.outbox ? `wo-${this.newId()}` : null;
    const row = this.journal.acted("incident.close", actor, alarm, {
      activeAt,
      twin: incident.alarm.twin,
      message: incident.alarm.message,
      summary,
      workOrder,
    });
    const journalId = rt.store.append(row);
    this.closed({ ...row, id: journalId });
    if (this.outbox && workOrder) {
      const closedAt = row.ts;
      const payload = workOrderPayload({
        id: workOrder,
        closedBy: { name: actor.name, device: actor.device, role: actor.role },
        closedAt,
        summary,
        incident,
        procedureRows: rt.store.query({ plant, since: incident.from, until: closedAt, kinds: PROCEDURE_KINDS }),
        notes: [...rt.annotations.items.values()]
          .filter((n) => n.twin === incident.alarm.twin || n.alarm === alarm)
          .map((n) => ({
            id: n.id,
            twin: n.twin,
            kind: n.kind,
            text: n.text,
            author: n.author,
            createdAt: n.createdAt,
            status: n.status,
          })),
      });
      try {
        this.outbox.enqueue({ id: workOrder, plant, alarm, activeAt, payload: JSON.stringify(payload) });
      } catch (e) {
        // The incident is closed (its row is stored); the order is not: say so where people look, and in the log.
        this.log(`work order for ${alarm} (closed by ${actor.name}) could not be stored: ${(e as Error).message}`);
        const st = this.state.incidents.get(key);
        if (st) {
          st.workOrder = "failing";
          st.lastError = `the work order could not be stored on this server (${(e as Error).message}); send it by hand`;
        }
        return { journalId, workOrder: null };
      }
    }
    return { journalId, workOrder };
  }

  private closeRow(alarm: string, activeAt: number): JournalEntry | undefined {
    return this.runtime.store
      .query({ plant: this.runtime.plant.model.id, subject: alarm, kinds: ["incident.close"], limit: 100 })
      .find((e) => e.data["activeAt"] === activeAt);
  }

  private fromAlarm(a: AlarmRecord): void {
    if (a.activeAt > 0) this.opened(a.id, { twin: a.twin, message: a.message }, a.activeAt);
  }

  private opened(alarm: string, data: Record<string, unknown>, activeAt: number): IncidentState {
    const key = incidentKey(alarm, activeAt);
    let s = this.state.incidents.get(key);
    if (s) return s;
    s = new IncidentState();
    s.alarm = alarm;
    s.twin = str(data["twin"]);
    s.message = str(data["message"]);
    s.activeAt = activeAt;
    this.state.incidents.set(key, s);
    this.trim();
    return s;
  }

  private closed(r: JournalEntry): void {
    const activeAt = typeof r.data["activeAt"] === "number" ? r.data["activeAt"] : 0;
    const s = this.opened(r.subject, r.data, activeAt);
    s.closedBy = r.actor;
    s.closedAt = r.ts;
    s.summary = str(r.data["summary"]);
    const wo = str(r.data["workOrder"]);
    if (wo && !s.workOrderId) {
      s.workOrderId = wo;
      // Until the outbox says more: queued, not yet tried.
      s.workOrder = "pending";
    }
  }

  private delivery(o: WorkOrder): void {
    const s = this.state.incidents.get(incidentKey(o.alarm, o.activeAt));
    if (!s) return;
    s.workOrderId = o.id;
    s.workOrder = o.status;
    s.attempts = o.attempts;
    s.lastError = o.lastError;
    s.deliveredAt = o.deliveredAt;
    s.nextAttemptAt = o.nextAt;
  }

  /** Keep the newest KEEP activations. */
  private trim(): void {
    if (this.state.incidents.size <= KEEP) return;
    const oldest = [...this.state.incidents.entries()].sort((a, b) => a[1].activeAt - b[1].activeAt);
    for (const [k] of oldest.slice(0, this.state.incidents.size - KEEP)) this.state.incidents.delete(k);
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
  }
}
