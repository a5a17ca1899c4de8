/**
 * Work orders waiting for (or past) delivery, in SQLite beside the journal (DATA_DIR/work-orders.db), so a restart
 * keeps retrying what was not accepted yet. WAL with synchronous=FULL like the journal: an order the person was told
 * is queued survives kill -9. One process owns its file; in a cluster each process delivers the orders closed on it.
 */
import type Database from "better-sqlite3";
import { openPrivateSqlite } from "./privateSqlite.ts";
import type { WorkOrder, WorkOrderStatus, WorkOrderStoreLike } from "../workorders/WorkOrder.ts";

interface Row {
  id: string;
  plant: string;
  alarm: string;
  active_at: number;
  created_at: number;
  payload: string;
  status: string;
  attempts: number;
  last_error: string;
  next_at: number;
  delivered_at: number;
}

const toOrder = (r: Row): WorkOrder => ({
  id: r.id,
  plant: r.plant,
  alarm: r.alarm,
  activeAt: r.active_at,
  createdAt: r.created_at,
  payload: r.payload,
  status: r.status as WorkOrderStatus,
  attempts: r.attempts,
  lastError: r.last_error,
  nextAt: r.next_at,
  deliveredAt: r.delivered_at,
});

export class WorkOrderStore implements WorkOrderStoreLike {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openPrivateSqlite(file);
    this.db.pragma("synchronous = FULL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS work_orders (
        id TEXT PRIMARY KEY, plant TEXT NOT NULL, alarm TEXT NOT NULL, active_at REAL NOT NULL,
        created_at REAL NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
        last_error TEXT NOT NULL, next_at REAL NOT NULL, delivered_at REAL NOT NULL
      );
      CREATE INDEX IF NOT EXISTS work_orders_plant ON work_orders (plant, created_at);
    `);
  }

  add(o: WorkOrder): void {
    this.db
      .prepare(
        `INSERT INTO work_orders (id, plant, alarm, active_at, created_at, payload, status, attempts, last_error, next_at, delivered_at)
         VALUES (@id, @plant, @alarm, @activeAt, @createdAt, @payload, @status, @attempts, @lastError, @nextAt, @deliveredAt)`,
      )
      .run(o);
  }

  save(o: WorkOrder): void {
    this.db
      .prepare(
        `UPDATE work_orders SET status = @status, attempts = @attempts, last_error = @lastError, next_at = @nextAt,
         delivered_at = @deliveredAt WHERE id = @id`,
      )
      .run(o);
  }

  undelivered(): WorkOrder[] {
    return (
      this.db.prepare("SELECT * FROM work_orders WHERE status != 'delivered' ORDER BY created_at").all() as Row[]
    ).map(toOrder);
  }

  recent(plant: string, limit: number): WorkOrder[] {
    return (
      this.db
        .prepare("SELECT * FROM work_orders WHERE plant = ? ORDER BY created_at DESC LIMIT ?")
        .all(plant, limit) as Row[]
    ).map(toOrder);
  }

  close(): void {
    this.db.close();
  }
}
