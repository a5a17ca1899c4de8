/**
 * The drills of this server as records (server/drills/DrillBook.ts `SavedDrill`), in SQLite beside the journal
 * (DATA_DIR/drills.db): what a restart needs to end a drill that was running, score its trainees from the journal
 * and show it as stopped, instead of losing it.
 */
import type Database from "better-sqlite3";
import type { SavedDrill } from "../drills/DrillBook.ts";
import { openPrivateSqlite } from "./privateSqlite.ts";

export class DrillStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openPrivateSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS drills (
        id TEXT PRIMARY KEY, status TEXT NOT NULL, recover INTEGER NOT NULL, record TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS drills_open ON drills (status, recover);
    `);
  }

  save(d: SavedDrill): void {
    this.db
      .prepare(
        `INSERT INTO drills (id, status, recover, record) VALUES (@id, @status, @recover, @record)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, recover = excluded.recover, record = excluded.record`,
      )
      .run({ id: d.id, status: d.status, recover: d.recover ? 1 : 0, record: JSON.stringify(d) });
  }

  /**
   * Drills left running by the previous process, or stopped by its shutdown (to show them stopped). A row that
   * cannot be read is left out and reported to `unreadable` (it stays in the file for someone to look at): it must
   * not stop start-up, and it must not vanish without a word either.
   */
  unfinished(unreadable: (id: string, why: string) => void): SavedDrill[] {
    const rows = this.db
      .prepare("SELECT id, record FROM drills WHERE status = 'running' OR recover = 1 ORDER BY rowid")
      .all() as { id: string; record: string }[];
    const out: SavedDrill[] = [];
    for (const r of rows) {
      try {
        out.push(JSON.parse(r.record) as SavedDrill);
      } catch (e) {
        unreadable(r.id, (e as Error).message);
      }
    }
    return out;
  }

  close(): void {
    this.db.close();
  }
}
