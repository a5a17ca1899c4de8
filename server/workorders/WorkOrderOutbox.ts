/**
 * The work-order outbox: an order is stored first, then sent, and sent again with a doubling delay until the
 * receiver accepts it (any 2xx). Stored orders that were not accepted are resumed when the server starts again.
 * Delivery runs on the injected clock's tick; the send itself is given (postWorkOrder.ts in the server, a recorder
 * in unit tests). Listeners hear every change of an order's state (the rooms show it in the incident).
 */
import type { Clock } from "../twin/Clock.ts";
import type { SendResult, WorkOrder, WorkOrderStoreLike } from "./WorkOrder.ts";

export interface OutboxOptions {
  store: WorkOrderStoreLike;
  send: (o: WorkOrder) => Promise<SendResult>;
  clock: Clock;
  retryBaseMs: number;
  retryMaxMs: number;
  log: (m: string) => void;
  /** Where the orders go, for log lines (never the token). */
  target: string;
}

/** How often due orders are looked for; a due retry waits at most this long beyond its delay. */
const TICK_MS = 250;

export type OrderListener = (o: WorkOrder) => void;

export class WorkOrderOutbox {
  /** Orders not delivered yet, by id. */
  private readonly open = new Map<string, WorkOrder>();
  private readonly inFlight = new Set<string>();
  private readonly listeners = new Set<OrderListener>();
  private readonly timer: unknown;
  private stopped = false;

  constructor(private readonly opts: OutboxOptions) {
    for (const o of opts.store.undelivered()) this.open.set(o.id, o);
    if (this.open.size) opts.log(`work orders: ${this.open.size} not delivered yet; retrying to ${opts.target}`);
    this.timer = opts.clock.setInterval(() => this.tick(), TICK_MS);
  }

  /** Store a new order (pending) and try it now; returns once it is stored. */
  enqueue(o: Omit<WorkOrder, "status" | "attempts" | "lastError" | "nextAt" | "deliveredAt" | "createdAt">): WorkOrder {
    const now = this.opts.clock.now();
    const order: WorkOrder = {
      ...o,
      createdAt: now,
      status: "pending",
      attempts: 0,
      lastError: "",
      nextAt: now,
      deliveredAt: 0,
    };
    this.opts.store.add(order);
    this.open.set(order.id, order);
    this.emit(order);
    this.tick();
    return order;
  }

  subscribe(l: OrderListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** The plant's newest orders (delivered or not), newest first. */
  recent(plant: string, limit = 50): WorkOrder[] {
    return this.opts.store.recent(plant, limit).map((o) => this.open.get(o.id) ?? o);
  }

  /** Delay before attempt n+1 after n failed attempts: base, 2×base, 4×base, ... capped. */
  delayAfter(failures: number): number {
    return Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** Math.max(0, failures - 1));
  }

  private tick(): void {
    const now = this.opts.clock.now();
    for (const o of this.open.values()) {
      if (o.nextAt <= now && !this.inFlight.has(o.id)) void this.attempt(o);
    }
  }

  private async attempt(o: WorkOrder): Promise<void> {
    this.inFlight.add(o.id);
    let r: SendResult;
    try {
      r = await this.opts.send(o);
    } catch (e) {
      r = { ok: false, error: (e as Error).message };
    }
    this.inFlight.delete(o.id);
    if (this.stopped) return;
    const now = this.opts.clock.now();
    o.attempts += 1;
    if (r.ok) {
      o.status = "delivered";
      o.deliveredAt = now;
      o.nextAt = 0;
      this.open.delete(o.id);
      this.opts.log(
        `work orders: ${o.id} (${o.alarm}) delivered to ${this.opts.target} after ${o.attempts} attempt(s)`,
      );
    } else {
      o.status = "failing";
      o.lastError = r.error;
      o.nextAt = now + this.delayAfter(o.attempts);
      this.opts.log(
        `work orders: ${o.id} (${o.alarm}) not accepted by ${this.opts.target} (attempt ${o.attempts}): ${r.error}; next try in ${Math.round((o.nextAt - now) / 1000)} s`,
      );
    }
    try {
      this.opts.store.save(o);
    } catch (e) {
      // The receiver has it (or not) either way; a lost save means a retry after restart, which the key makes harmless.
      this.opts.log(`work orders: could not store the state of ${o.id}: ${(e as Error).message}`);
    }
    this.emit(o);
  }

  private emit(o: WorkOrder): void {
    for (const l of this.listeners) l(o);
  }

  /** Stop delivering and close the store; an attempt under way is dropped and retried at the next start. */
  stop(): void {
    this.stopped = true;
    this.opts.clock.clearInterval(this.timer);
    this.opts.store.close();
  }
}
