/**
 * The one place a journal entry is built (DESIGN-NOTES: everything a user does is an event). Every writer — the
 * alarm, annotation and calibration books, the room's seat and collaboration handlers, the audit routes — asks a
 * PlantJournal for its entry, so each row carries the same fields filled the same way: when, which plant, what
 * kind, who (name and device; "system" for the plant itself), about what, and the details. Pure: it builds, the
 * store (server/store/JournalStore.ts) writes.
 */
import type { Actor, NewJournalEntry } from "./JournalEntry.ts";

/** Who an entry names: a person on a device (a seat, an actor, a signed-in user on no device). */
export interface JournalWho {
  name: string;
  device: string;
}

/** The plant itself acting (a rule raising an alarm, shelving running out). */
export const SYSTEM: JournalWho = { name: "system", device: "" };

export class PlantJournal {
  constructor(
    readonly plant: string,
    private readonly now: () => number,
  ) {}

  /** `who` did `kind` to `subject`; stamped now unless the entry belongs at another instant (a bookmark, an alarm event). */
  entry(
    kind: string,
    who: JournalWho,
    subject: string,
    data: Record<string, unknown> = {},
    ts = this.now(),
  ): NewJournalEntry {
    return { ts, plant: this.plant, kind, actor: who.name, device: who.device, subject, data };
  }

  /** A person acting through a seat: the details also name the seat and the role they acted in. */
  acted(
    kind: string,
    actor: Actor,
    subject: string,
    data: Record<string, unknown> = {},
    ts = this.now(),
  ): NewJournalEntry {
    return this.entry(kind, actor, subject, { ...data, seat: actor.seat, role: actor.role }, ts);
  }

  /** What a seat did in a room (joined, left, pinged, summoned, handed off): the seat is the subject. */
  bySeat(kind: string, seat: JournalWho & { id: string }, data: Record<string, unknown> = {}): NewJournalEntry {
    return this.entry(kind, seat, seat.id, data);
  }
}
