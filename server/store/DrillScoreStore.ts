/**
 * Drill scores kept over time, per person (docs/TRAINING.md), in SQLite beside the journal (DATA_DIR/drill-scores.db).
 * One row per trainee per drill, written once when the trainee's drill is scored.
 */
import type Database from "better-sqlite3";
import { openPrivateSqlite } from "./privateSqlite.ts";
import type { DrillScoreRecord } from "../../shared/drillState.ts";

interface Row {
  drill: string;
  plant: string;
  scenario: string;
  title: string;
  user: string;
  name: string;
  started_at: number;
  scored_at: number;
  detect_ms: number | null;
  correct_ms: number | null;
  wrong: string;
  handling: string;
  points: number;
}

const toRecord = (r: Row): DrillScoreRecord => ({
  drill: r.drill,
  plant: r.plant,
  scenario: r.scenario,
  title: r.title,
  user: r.user,
  name: r.name,
  startedAt: r.started_at,
  scoredAt: r.scored_at,
  detectMs: r.detect_ms,
  correctMs: r.correct_ms,
  wrong: JSON.parse(r.wrong) as string[],
  handling: JSON.parse(r.handling) as string[],
  points: r.points,
});

export class DrillScoreStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openPrivateSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS drill_scores (
        drill TEXT NOT NULL, plant TEXT NOT NULL, scenario TEXT NOT NULL, title TEXT NOT NULL, user TEXT NOT NULL,
        name TEXT NOT NULL, started_at REAL NOT NULL, scored_at REAL NOT NULL, detect_ms REAL, correct_ms REAL,
        wrong TEXT NOT NULL, handling TEXT NOT NULL, points INTEGER NOT NULL, PRIMARY KEY (drill, user)
      );
      CREATE INDEX IF NOT EXISTS drill_scores_plant ON drill_scores (plant, scored_at);
    `);
  }

  /** A trainee's score for a drill; a second one for the same drill and person is ignored (scored once). */
  add(r: DrillScoreRecord): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO drill_scores (drill, plant, scenario, title, user, name, started_at, scored_at, detect_ms,
         correct_ms, wrong, handling, points) VALUES (@drill, @plant, @scenario, @title, @user, @name, @startedAt,
         @scoredAt, @detectMs, @correctMs, @wrong, @handling, @points)`,
      )
      .run({ ...r, wrong: JSON.stringify(r.wrong), handling: JSON.stringify(r.handling) });
  }

  /** The plant's scores, newest first. */
  recent(plant: string, limit = 200): DrillScoreRecord[] {
    return (
      this.db
        .prepare("SELECT * FROM drill_scores WHERE plant = ? ORDER BY scored_at DESC LIMIT ?")
        .all(plant, limit) as Row[]
    ).map(toRecord);
  }

  /** One person's scores on the plant, newest first. */
  recentOf(plant: string, user: string, limit = 200): DrillScoreRecord[] {
    return (
      this.db
        .prepare("SELECT * FROM drill_scores WHERE plant = ? AND user = ? ORDER BY scored_at DESC LIMIT ?")
        .all(plant, user, limit) as Row[]
    ).map(toRecord);
  }

  close(): void {
    this.db.close();
  }
}
