/**
 * All alarms of one plant: applies condition changes (from rules and from
 * alarm limits on points) and user actions (acknowledge, shelve) through the
 * ISA-18.2 lifecycle, writes each change with its journal entry in one
 * transaction, and tells rooms which alarm changed. Restores itself from the store.
 */
import type { Actor, NewJournalEntry } from "../journal/JournalEntry.ts";
import { PlantJournal, SYSTEM } from "../journal/PlantJournal.ts";
import {
  acknowledge,
  conditionActive,
  conditionCleared,
  expireShelve,
  newAlarm,
  shelve,
  unshelve,
  type ActionResult,
  type AlarmEvent,
  type AlarmRecord,
} from "./AlarmLifecycle.ts";

export interface ConditionChange {
  rule: string;
  twin: string;
  active: boolean;
  at: number;
  severity: number;
  message: string;
  values?: Record<string, number>;
}

/** What the book needs to keep its alarms durable: each change and its journal entry in one transaction. */
export interface AlarmStore {
  loadAlarms(plant: string): AlarmRecord[];
  recordAlarm(plant: string, alarm: AlarmRecord, entry: NewJournalEntry): number;
  append(entry: NewJournalEntry): number;
}

/** An alarm action's outcome: done and journaled (with the journal row's id), or refused with a sentence. */
export type JournaledAction = (ActionResult & { ok: true; journalId: number }) | { ok: false; message: string };

export type AlarmListener = (alarm: AlarmRecord) => void;

export class AlarmBook {
  readonly alarms = new Map<string, AlarmRecord>();
  private readonly listeners = new Set<AlarmListener>();

  constructor(
    readonly plant: string,
    private readonly store: AlarmStore,
    private readonly now: () => number,
  ) {
    for (const a of store.loadAlarms(plant)) this.alarms.set(a.id, a);
    this.journal = new PlantJournal(plant, now);
  }
  private readonly journal: PlantJournal;

  subscribe(l: AlarmListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private commit(a: AlarmRecord, ev: AlarmEvent, actor: Actor | null, extra: Record<string, unknown> = {}): number {
    const data = { rule: a.rule, twin: a.twin, state: a.state, severity: a.severity, message: a.message, ...extra };
    const entry: NewJournalEntry = actor
      ? this.journal.acted(ev.kind, actor, a.id, data, ev.at)
      : this.journal.entry(ev.kind, "actor" in ev ? { name: ev.actor, device: "" } : SYSTEM, a.id, data, ev.at);
    const id = this.store.recordAlarm(this.plant, a, entry);
    for (const l of this.listeners) l(a);
    return id;
  }

  /** An alarm's new state written by another process of the cluster (server/store/SharedJournal.ts). */
  adopt(record: AlarmRecord): void {
    const a = this.alarms.get(record.id);
    if (a) Object.assign(a, record);
    else this.alarms.set(record.id, record);
    for (const l of this.listeners) l(this.alarms.get(record.id)!);
  }

  applyConditions(changes: readonly ConditionChange[]): void {
    for (const c of changes) {
      const id = `${c.rule}:${c.twin}`;
      let a = this.alarms.get(id);
      if (!a) {
        if (!c.active) continue;
        a = newAlarm(c.rule, c.twin, c.severity);
        this.alarms.set(id, a);
      }
      a.severity = c.severity;
      const ev = c.active ? conditionActive(a, c.at, c.message) : conditionCleared(a, c.at);
      if (ev) this.commit(a, ev, null, c.values ? { values: c.values } : {});
    }
  }

  private act(
    id: string,
    fn: (a: AlarmRecord) => ActionResult,
    actor: Actor,
    extra: Record<string, unknown> = {},
  ): JournaledAction {
    const a = this.alarms.get(id);
    if (!a) return { ok: false, message: `There is no alarm "${id}".` };
    const before = JSON.stringify(a);
    const r = fn(a);
    if (!r.ok) return r;
    try {
      return { ...r, journalId: this.commit(a, r.event, actor, extra) };
    } catch (e) {
      // Not stored means not done: roll the in-memory record back so memory never claims more than disk.
      Object.assign(a, JSON.parse(before) as AlarmRecord);
      return { ok: false, message: `Could not store the change: ${(e as Error).message}` };
    }
  }

  ack(id: string, actor: Actor): JournaledAction {
    return this.act(id, (a) => acknowledge(a, actor.name, this.now()), actor);
  }

  shelve(id: string, actor: Actor, durationMs: number, reason: string): JournaledAction {
    return this.act(id, (a) => shelve(a, actor.name, this.now(), durationMs, reason), actor, { reason, durationMs });
  }

  unshelve(id: string, actor: Actor): JournaledAction {
    return this.act(id, (a) => unshelve(a, actor.name, this.now()), actor);
  }

  /** End shelving that has run out. */
  tick(now: number): void {
    for (const a of this.alarms.values()) {
      const ev = expireShelve(a, now);
      if (ev) this.commit(a, ev, null);
    }
  }

  /** Journal an action that was refused (e.g. a viewer tried to acknowledge). */
  recordDenied(subject: string, actor: Actor, action: string, reason: string): void {
    this.store.append(this.journal.acted("denied", actor, subject, { action, reason }));
  }
}
