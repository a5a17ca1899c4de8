/**
 * The journal as the domain sees it: who did something (Actor) and the entry
 * every book writes for it (DESIGN-NOTES: everything a user does is an event).
 * Types only, so alarms, collab and incidents share them without importing one
 * another or the SQLite store; each book declares the small store port it needs
 * next to itself, and server/store/JournalStore satisfies those ports.
 */

/** A person acting through a seat on a device, with the role they acted in. */
export interface Actor {
  name: string;
  seat: string;
  device: string;
  role: string;
}

export interface JournalEntry {
  id: number;
  ts: number;
  plant: string;
  kind: string;
  actor: string;
  device: string;
  subject: string;
  data: Record<string, unknown>;
}

export type NewJournalEntry = Omit<JournalEntry, "id">;
