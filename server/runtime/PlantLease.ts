/**
 * One owner per plant in a cluster: the process holding a plant's lease is the
 * only one that evaluates its rules and alarm lifecycle; the others apply its
 * results from the shared journal. The lease is a PostgreSQL session advisory
 * lock on a dedicated connection: it lasts exactly as long as that connection,
 * so when the owner dies (kill -9 closes its socket) PostgreSQL frees it at once
 * and the next process to ask (every second) takes over. The owner pings its
 * connection every second and steps down the moment the ping fails. Each
 * ownership has a fencing token (the plant's row in `leases`, one higher per new
 * owner): the owner's alarm writes carry it and PostgreSQL refuses them once a
 * successor holds a newer one, so a cut-off owner cannot write in that second.
 */
import os from "node:os";
import pg from "pg";

/** `epoch` is the fencing token of this ownership (0 when not owned): it grows with every change of owner. */
export type LeaseListener = (plant: string, owned: boolean, epoch: number) => void;

export interface PlantLeaseOptions {
  databaseUrl: string;
  schema: string;
  log: (msg: string) => void;
  /** How often a process asks for the plants it wants and pings its connection (ms). */
  intervalMs?: number;
}

export class PlantLease {
  private client: pg.Client | null = null;
  private readonly wanted = new Set<string>();
  /** Plant -> the fencing token this process got when it took the lease. */
  private readonly owned = new Map<string, number>();
  private readonly listeners = new Set<LeaseListener>();
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly opts: PlantLeaseOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.round(), this.opts.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** This process hosts the plant and will evaluate it when nobody else does. */
  hold(plant: string): void {
    this.wanted.add(plant);
    void this.round();
  }

  /** This process no longer hosts the plant: give the lease back for another process to take. */
  release(plant: string): void {
    this.wanted.delete(plant);
    if (!this.owned.delete(plant)) return;
    this.emit(plant, false, 0);
    const c = this.client;
    void c?.query("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", [this.opts.schema, plant]).catch(() => {});
  }

  owns(plant: string): boolean {
    return this.owned.has(plant);
  }

  ownedPlants(): string[] {
    return [...this.owned.keys()].sort();
  }

  /** The fencing token of a plant this process owns, else 0. */
  epoch(plant: string): number {
    return this.owned.get(plant) ?? 0;
  }

  onChange(l: LeaseListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(plant: string, owned: boolean, epoch: number): void {
    this.opts.log(
      owned
        ? `plant "${plant}": this process now evaluates its rules and alarms (lease taken)`
        : `plant "${plant}": this process no longer evaluates its rules and alarms (lease released)`,
    );
    for (const l of this.listeners) l(plant, owned, epoch);
  }

  private round(): Promise<void> {
    this.busy ??= this.roundOnce().finally(() => (this.busy = null));
    return this.busy;
  }

  private async roundOnce(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.client) await this.connect();
      const c = this.client!;
      if (this.owned.size) await c.query("SELECT 1");
      for (const plant of this.wanted) {
        if (this.owned.has(plant)) continue;
        const r = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok", [
          this.opts.schema,
          plant,
        ]);
        if (r.rows[0]!.ok && this.wanted.has(plant) && !this.stopped) {
          // The fencing token: writes made as owner carry it and are refused once a successor has a newer one.
          const e = await c.query<{ epoch: string }>(
            `INSERT INTO "${this.opts.schema}".leases (plant, epoch, holder) VALUES ($1, 1, $2)
             ON CONFLICT (plant) DO UPDATE SET epoch = leases.epoch + 1, holder = excluded.holder RETURNING epoch`,
            [plant, `${os.hostname()}:${process.pid}`],
          );
          const epoch = Number(e.rows[0]!.epoch);
          this.owned.set(plant, epoch);
          this.emit(plant, true, epoch);
        } else if (r.rows[0]!.ok) {
          await c.query("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", [this.opts.schema, plant]);
        }
      }
    } catch (e) {
      this.lost(`the lease connection to PostgreSQL failed (${(e as Error).message})`);
    }
  }

  private async connect(): Promise<void> {
    // Named, so a database administrator sees which sessions hold plant leases (pg_stat_activity).
    const c = new pg.Client({
      connectionString: this.opts.databaseUrl,
      keepAlive: true,
      application_name: `gemba-lease:${this.opts.schema}`.slice(0, 63),
    });
    c.on("error", (e) => this.lost(`the lease connection to PostgreSQL failed (${e.message})`));
    await c.connect();
    this.client = c;
  }

  /** The connection is gone, and with it every lock it held: step down from all plants now. */
  private lost(why: string): void {
    const c = this.client;
    this.client = null;
    void c?.end().catch(() => {});
    if (this.owned.size) this.opts.log(`lease: ${why}; stepping down`);
    for (const plant of [...this.owned.keys()]) {
      this.owned.delete(plant);
      this.emit(plant, false, 0);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
    const c = this.client;
    this.client = null;
    this.owned.clear();
    // Closing the session frees its locks for the other processes at once.
    await c?.end().catch(() => {});
  }
}
