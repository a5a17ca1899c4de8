/**
 * Co-location reference points of one plant: two spots in plant coordinates that
 * every headset in the plant's room aligns to by touching the same two physical
 * spots. Who may set them: operators and above (shared/permissions.ts); anyone
 * may align their own headset to them. Persisted with a journal entry, so they
 * survive a restart and the audit trail says who moved the room's reference.
 *
 * The one fate of bad input (a NaN, a point off the site, two points on top of
 * each other, a viewer trying): a typed refusal, a counter, nothing stored.
 */
import { ClientMessage } from "../../shared/protocol.ts";
import { aRole, can } from "../../shared/permissions.ts";
import { firstIssue } from "../../shared/zodIssue.ts";
import type { Actor, NewJournalEntry } from "../journal/JournalEntry.ts";
import { PlantJournal } from "../journal/PlantJournal.ts";

export type Vec3 = [number, number, number];

export interface CalibrationRecord {
  a: Vec3;
  b: Vec3;
  setBy: string;
  setAt: number;
}

export type CalibrationResult =
  | { ok: true; journalId: number; record: CalibrationRecord }
  | { ok: false; code: "forbidden" | "invalid"; message: string };

export interface CalibrationCounters {
  accepted: number;
  invalid: number;
  forbidden: number;
}

export type CalibrationListener = (record: CalibrationRecord) => void;

/** What the book needs to keep the reference points durable, with the journal entry that says who moved them. */
export interface CalibrationStore {
  loadCalibration(plant: string): unknown;
  recordCalibration(plant: string, record: object, entry: NewJournalEntry): number;
  append(entry: NewJournalEntry): number;
  /** Changes another process of the cluster stored (server/store/SharedJournal.ts); a no-op for one process. */
  onReplicated(listener: (plant: string, change: { t: string; record?: unknown }) => void): () => void;
}

/** Re-validate what is stored: a row from an older or hand-edited database must not reach the headsets. */
function validStored(raw: unknown): CalibrationRecord | null {
  const stored = raw as Partial<CalibrationRecord> | null;
  const p = ClientMessage.calibrate.safeParse(stored ? { a: stored.a, b: stored.b } : null);
  if (!stored || !p.success) return null;
  return {
    a: p.data.a,
    b: p.data.b,
    setBy: typeof stored.setBy === "string" ? stored.setBy : "",
    setAt: typeof stored.setAt === "number" ? stored.setAt : 0,
  };
}

export class CalibrationBook {
  private record: CalibrationRecord | null = null;
  private readonly listeners = new Set<CalibrationListener>();
  readonly counters: CalibrationCounters = { accepted: 0, invalid: 0, forbidden: 0 };
  private readonly journal: PlantJournal;

  constructor(
    readonly plant: string,
    private readonly store: CalibrationStore,
    private readonly now: () => number,
  ) {
    this.journal = new PlantJournal(plant, now);
    this.record = validStored(store.loadCalibration(plant));
    // In a cluster, points set through another process reach this process's rooms (server/store/SharedJournal.ts).
    store.onReplicated((p, change) => {
      if (p !== plant || change.t !== "calibration") return;
      const record = validStored(change.record);
      if (!record) return;
      this.record = record;
      for (const l of this.listeners) l(record);
    });
  }

  get current(): CalibrationRecord | null {
    return this.record;
  }

  subscribe(l: CalibrationListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Validate and store a `calibrate` request from `actor`. */
  set(actor: Actor, raw: unknown): CalibrationResult {
    const p = ClientMessage.calibrate.safeParse(raw);
    if (!p.success) {
      this.counters.invalid++;
      return { ok: false, code: "invalid", message: firstIssue(p.error) };
    }
    if (!can(actor.role, "calibrate")) {
      this.counters.forbidden++;
      this.store.append(this.journal.entry("denied", actor, actor.seat, { action: "calibrate", role: actor.role }));
      return {
        ok: false,
        code: "forbidden",
        message: `${aRole(actor.role)} cannot set the room's calibration points; align your headset to the existing ones, or ask an operator.`,
      };
    }
    const record: CalibrationRecord = { a: p.data.a, b: p.data.b, setBy: actor.name, setAt: this.now() };
    const journalId = this.store.recordCalibration(
      this.plant,
      record,
      this.journal.acted("calibration.set", actor, this.plant, { a: record.a, b: record.b }, record.setAt),
    );
    this.record = record;
    this.counters.accepted++;
    for (const l of this.listeners) l(record);
    return { ok: true, journalId, record };
  }
}

/**
 * One book per plant per journal: every room on the plant shares it (the room is re-created after a restart,
 * the book reloads from disk). Kept here rather than in PlantHub so co-location stays one self-contained piece.
 */
const books = new WeakMap<CalibrationStore, Map<string, CalibrationBook>>();

export function calibrationBookFor(store: CalibrationStore, plant: string, now: () => number): CalibrationBook {
  let m = books.get(store);
  if (!m) books.set(store, (m = new Map<string, CalibrationBook>()));
  let b = m.get(plant);
  if (!b) m.set(plant, (b = new CalibrationBook(plant, store, now)));
  return b;
}
