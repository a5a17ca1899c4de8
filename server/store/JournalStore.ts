/**
 * The journal: one append-only log of everything that happens in a plant
 * (alarm lifecycle, acknowledgements, joins, later handoffs and annotations),
 * plus the current alarm records, in SQLite on disk.
 *
 * Durability: WAL with synchronous=FULL, and each action is one transaction, so
 * whatever `append` returned survives kill -9 and power loss. Triggers refuse
 * UPDATE and DELETE on the journal: an audit trail is not edited.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { privateFile } from "../auth/privateFiles.ts";
import type { AlarmRecord } from "../alarms/AlarmLifecycle.ts";
import { inspectJournalFile, JournalDamagedError, restoreAdvice } from "./journalIntegrity.ts";

// The entry types are the journal's own (server/journal/), re-exported for the store's callers.
import type { JournalEntry, NewJournalEntry } from "../journal/JournalEntry.ts";
export type { JournalEntry, NewJournalEntry } from "../journal/JournalEntry.ts";

export interface JournalQuery {
  plant: string;
  since?: number;
  until?: number;
  kinds?: string[];
  subject?: string;
  limit?: number;
}

/** The state a journal row changes beside itself (replicated with the row in a cluster: server/store/SharedJournal.ts). */
export type StateChange =
  | { t: "alarm"; id: string; record: AlarmRecord }
  | { t: "annotation"; id: string; record: object | null }
  | { t: "calibration"; record: object };

export interface JournalHealth {
  backend: "sqlite" | "postgresql";
  ok: boolean;
  problem: string | null;
  pendingWrites: number;
}

export type ReplicationListener = (plant: string, change: StateChange) => void;

const SCHEMA_VERSION = 1;

export class JournalStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertWithId: Database.Statement;
  private readonly upsertAlarm: Database.Statement;

  constructor(file: string) {
    if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
    // 0600 before SQLite opens it: its -wal and -shm take the database's mode (hardening, docs/SECURITY.md).
    if (file !== ":memory:") privateFile(file, ["-wal", "-shm"]);
    // SQLite is quiet about a cut-off WAL or main file: look at the bytes first, and refuse with a sentence.
    const problem = inspectJournalFile(file);
    if (problem) throw new JournalDamagedError(problem);
    this.db = new Database(file);
    try {
      const check = this.db.pragma("quick_check", { simple: false }) as { quick_check: string }[];
      if (check.length !== 1 || check[0]!.quick_check !== "ok") {
        const first = check
          .map((r) => r.quick_check)
          .slice(0, 2)
          .join("; ");
        throw new JournalDamagedError({
          kind: "check-failed",
          file,
          sentence: `The journal ${file} is damaged (SQLite's quick_check: ${first}). ${restoreAdvice(file)}`,
        });
      }
    } catch (e) {
      this.db.close();
      if (e instanceof JournalDamagedError) throw e;
      throw new JournalDamagedError({
        kind: "check-failed",
        file,
        sentence: `The journal ${file} cannot be read (${(e as Error).message}). ${restoreAdvice(file)}`,
      });
    }
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts REAL NOT NULL, plant TEXT NOT NULL, kind TEXT NOT NULL,
        actor TEXT NOT NULL DEFAULT '', device TEXT NOT NULL DEFAULT '', subject TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX IF NOT EXISTS journal_plant_ts ON journal (plant, ts);
      CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
      CREATE TABLE IF NOT EXISTS alarms (plant TEXT NOT NULL, id TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (plant, id));
      CREATE TABLE IF NOT EXISTS annotations (plant TEXT NOT NULL, id TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (plant, id));
      CREATE TABLE IF NOT EXISTS calibrations (plant TEXT PRIMARY KEY, record TEXT NOT NULL);
    `);
    const v = this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
    if (!v) this.db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
    else if (Number(v.value) > SCHEMA_VERSION) {
      throw new Error(
        `${file} was written by a newer Gemba (schema ${v.value}); this one reads schema ${SCHEMA_VERSION}.`,
      );
    }
    this.insert = this.db.prepare(
      "INSERT INTO journal (ts, plant, kind, actor, device, subject, data) VALUES (@ts, @plant, @kind, @actor, @device, @subject, @data)",
    );
    this.insertWithId = this.db.prepare(
      "INSERT OR IGNORE INTO journal (id, ts, plant, kind, actor, device, subject, data) VALUES (@id, @ts, @plant, @kind, @actor, @device, @subject, @data)",
    );
    this.upsertAlarm = this.db.prepare(
      "INSERT INTO alarms (plant, id, record) VALUES (?, ?, ?) ON CONFLICT (plant, id) DO UPDATE SET record = excluded.record",
    );
  }

  /** Append one entry; when this returns, it is on disk. */
  append(e: NewJournalEntry): number {
    return Number(this.insert.run({ ...e, data: JSON.stringify(e.data) }).lastInsertRowid);
  }

  /** Store an alarm's new state and the journal entry that explains it, atomically. */
  recordAlarm(plant: string, alarm: AlarmRecord, entry: NewJournalEntry): number {
    return this.db.transaction(() => {
      this.upsertAlarm.run(plant, alarm.id, JSON.stringify(alarm));
      return this.append(entry);
    })();
  }

  /** Store an annotation (or remove it when `record` is null) with its journal entry, atomically. */
  recordAnnotation(plant: string, id: string, record: object | null, entry: NewJournalEntry): number {
    return this.db.transaction(() => {
      if (record) {
        this.db
          .prepare(
            "INSERT INTO annotations (plant, id, record) VALUES (?, ?, ?) ON CONFLICT (plant, id) DO UPDATE SET record = excluded.record",
          )
          .run(plant, id, JSON.stringify(record));
      } else {
        this.db.prepare("DELETE FROM annotations WHERE plant = ? AND id = ?").run(plant, id);
      }
      return this.append(entry);
    })();
  }

  /** Store a plant's co-location reference points (replacing the previous ones) with their journal entry, atomically. */
  recordCalibration(plant: string, record: object, entry: NewJournalEntry): number {
    return this.db.transaction(() => {
      this.db
        .prepare(
          "INSERT INTO calibrations (plant, record) VALUES (?, ?) ON CONFLICT (plant) DO UPDATE SET record = excluded.record",
        )
        .run(plant, JSON.stringify(record));
      return this.append(entry);
    })();
  }

  /** The plant's stored calibration record, or null (none yet, or unreadable: the journal keeps its history). */
  loadCalibration(plant: string): unknown {
    const row = this.db.prepare("SELECT record FROM calibrations WHERE plant = ?").get(plant) as
      { record: string } | undefined;
    try {
      return row ? (JSON.parse(row.record) as unknown) : null;
    } catch {
      return null;
    }
  }

  loadAnnotations<T>(plant: string): T[] {
    const rows = this.db.prepare("SELECT record FROM annotations WHERE plant = ? ORDER BY rowid").all(plant) as {
      record: string;
    }[];
    const out: T[] = [];
    for (const r of rows) {
      try {
        out.push(JSON.parse(r.record) as T);
      } catch {
        // unreadable rows are skipped; the journal keeps their history
      }
    }
    return out;
  }

  loadAlarms(plant: string): AlarmRecord[] {
    const rows = this.db.prepare("SELECT record FROM alarms WHERE plant = ?").all(plant) as { record: string }[];
    const out: AlarmRecord[] = [];
    for (const r of rows) {
      try {
        out.push(JSON.parse(r.record) as AlarmRecord);
      } catch {
        // A row we cannot read is skipped, never allowed to stop start-up; the journal still has its history.
      }
    }
    return out;
  }

  query(q: JournalQuery): JournalEntry[] {
    const where = ["plant = @plant"];
    if (q.since !== undefined) where.push("ts >= @since");
    if (q.until !== undefined) where.push("ts <= @until");
    if (q.subject !== undefined) where.push("subject = @subject");
    const kinds = q.kinds ?? [];
    if (kinds.length) where.push(`kind IN (${kinds.map((_, i) => `@k${i}`).join(", ")})`);
    const params: Record<string, unknown> = {
      plant: q.plant,
      since: q.since,
      until: q.until,
      subject: q.subject,
      limit: Math.min(q.limit ?? 1000, 10_000),
    };
    kinds.forEach((k, i) => (params[`k${i}`] = k));
    const rows = this.db
      .prepare(`SELECT * FROM journal WHERE ${where.join(" AND ")} ORDER BY ts, id LIMIT @limit`)
      .all(params) as (Omit<JournalEntry, "data"> & { data: string })[];
    return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  /**
   * Store a row written elsewhere (its id given) with the state it changes, atomically; false when the row is here
   * already. Used by the shared journal, whose local SQLite is a mirror of PostgreSQL.
   */
  protected applyRow(row: JournalEntry, state: StateChange | null): boolean {
    return this.db.transaction(() => {
      const r = this.insertWithId.run({ ...row, data: JSON.stringify(row.data) });
      if (r.changes === 0) return false;
      if (state) this.applyState(row.plant, state);
      return true;
    })();
  }

  /** Store a current state (alarm, annotation, calibration) without a journal row (a mirror's initial load). */
  protected applyState(plant: string, state: StateChange): void {
    if (state.t === "alarm") this.upsertAlarm.run(plant, state.id, JSON.stringify(state.record));
    else if (state.t === "calibration") {
      this.db
        .prepare(
          "INSERT INTO calibrations (plant, record) VALUES (?, ?) ON CONFLICT (plant) DO UPDATE SET record = excluded.record",
        )
        .run(plant, JSON.stringify(state.record));
    } else if (state.record) {
      this.db
        .prepare(
          "INSERT INTO annotations (plant, id, record) VALUES (?, ?, ?) ON CONFLICT (plant, id) DO UPDATE SET record = excluded.record",
        )
        .run(plant, state.id, JSON.stringify(state.record));
    } else this.db.prepare("DELETE FROM annotations WHERE plant = ? AND id = ?").run(plant, state.id);
  }

  /**
   * Null when every write so far is durable (SQLite: always, a write is on disk when it returns); otherwise a promise
   * that resolves once it is (the shared journal: committed in PostgreSQL). Requests answer after it.
   */
  flushed(): Promise<void> | null {
    return null;
  }

  /** Resolves once this process has read the writes other processes made (nothing to read for SQLite alone). */
  catchUp(): Promise<void> {
    return Promise.resolve();
  }

  /** Called with each state change another process made (never for SQLite alone); returns the unsubscribe. */
  onReplicated(_listener: ReplicationListener): () => void {
    return () => {};
  }

  /**
   * Run `fn`, whose writes are made as the plant's lease owner with fencing token `epoch` (0: no lease, a single
   * process). Only the shared journal checks it; SQLite alone has one writer by construction.
   */
  fenced<T>(_plant: string, _epoch: number, fn: () => T): T {
    return fn();
  }

  /** For /healthz: SQLite writes are on disk when they return, so nothing is ever pending. */
  health(): JournalHealth {
    return { backend: "sqlite", ok: true, problem: null, pendingWrites: 0 };
  }

  /** An online copy (SQLite's backup API: consistent while the server keeps writing). */
  async backup(dest: string): Promise<void> {
    await this.db.backup(dest);
  }

  close(): void {
    this.db.close();
  }
}
