/**
 * A work order on its way to the plant's maintenance system (docs/TRAINING.md, "Work-order hand-off"): the JSON
 * body frozen when the incident was closed, and where its delivery stands. Types only.
 */

/** "pending": not tried yet or its first try is under way; "failing": tried and refused, retried later; "delivered". */
export type WorkOrderStatus = "pending" | "delivered" | "failing";

export interface WorkOrder {
  /** Also the Idempotency-Key header: a receiver that saw it already can tell a retry from a new order. */
  id: string;
  plant: string;
  /** The alarm and the activation the incident is about. */
  alarm: string;
  activeAt: number;
  createdAt: number;
  /** The JSON body, exactly as first built; every retry sends the same bytes. */
  payload: string;
  status: WorkOrderStatus;
  attempts: number;
  /** Why the last attempt failed, in words ("the receiver answered HTTP 503 Service Unavailable"); "" if none failed. */
  lastError: string;
  /** When the next attempt is due (server time, ms); 0 once delivered. */
  nextAt: number;
  deliveredAt: number;
}

export type SendResult = { ok: true; status: number } | { ok: false; error: string };

/** Where work orders are kept (server/store/WorkOrderStore.ts). */
export interface WorkOrderStoreLike {
  add(o: WorkOrder): void;
  save(o: WorkOrder): void;
  /** Orders not delivered yet, oldest first (a restart resumes them). */
  undelivered(): WorkOrder[];
  /** The plant's newest orders, newest first. */
  recent(plant: string, limit: number): WorkOrder[];
  close(): void;
}
