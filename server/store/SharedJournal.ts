/**
 * The journal of a cluster: PostgreSQL holds the journal, alarm states, notes
 * and calibrations of every process (DATABASE_URL); Redis tells the other
 * processes that something was written. Each process keeps a local SQLite
 * mirror (in memory) so the rest of the server keeps JournalStore's synchronous
 * calls: a write goes to the mirror at once and to PostgreSQL in the next batch;
 * `flushed()` resolves when PostgreSQL has committed it, and requests answer
 * only then, so an acknowledged write survives kill -9 of this process.
 *
 * Ids: each process takes blocks of 1000 ids from one PostgreSQL sequence, so a
 * row has the same id in every mirror. Replication: rows carry the state they
 * change; a reader applies rows it does not have yet, in commit-sequence order.
 * A Redis message triggers the read; a poll every second (re-reading a window,
 * since sequence numbers are taken before commit) covers a lost message.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { Redis } from "ioredis";
import {
  JournalStore,
  type JournalEntry,
  type JournalHealth,
  type NewJournalEntry,
  type ReplicationListener,
  type StateChange,
} from "./JournalStore.ts";
import type { AlarmRecord } from "../alarms/AlarmLifecycle.ts";
import { createSharedSchema, qualified } from "./sharedSchema.ts";

export interface SharedJournalOptions {
  databaseUrl: string;
  /** PostgreSQL schema holding Gemba's tables (several clusters, or test runs, can share one database). */
  schema: string;
  redisUrl: string;
  log: (msg: string) => void;
}

interface Op {
  queuedAt: number;
  /** Written as the plant's lease owner: refused if the plant's fencing token has moved on. */
  fence: { plant: string; epoch: number } | null;
  row: JournalEntry;
  state: StateChange | null;
  done: Promise<void>;
  resolve: () => void;
}

const ID_BLOCK = 1000;
/** How long a request waits for PostgreSQL before it is answered with an error (the write stays queued). */
const FLUSH_TIMEOUT_MS = 5000;
const POLL_MS = 1000;
/**
 * Sequence numbers re-read: a row whose number was taken before a neighbour's may commit after it, so reading
 * "after the highest seen" alone could skip it. Each notification re-reads a short window, each poll a long one.
 */
const NOTIFY_WINDOW = 100;
const POLL_WINDOW = 1000;

export class SharedJournal extends JournalStore {
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly origin = randomUUID();
  private readonly listeners = new Set<ReplicationListener>();
  private readonly queue: Op[] = [];
  private last: Op | null = null;
  private writing = false;
  private closed = false;
  private nextId = 0;
  private endId = 0;
  private spare: [number, number] | null = null;
  private refilling: Promise<void> | null = null;
  private lastSeq = 0;
  private lastError = "";
  private fence: Op["fence"] = null;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private poll: NodeJS.Timeout | null = null;
  readonly counters = { written: 0, replicated: 0, writeErrors: 0, fenced: 0 };

  private constructor(
    private readonly opts: SharedJournalOptions,
    pool: pg.Pool,
  ) {
    super(":memory:");
    this.pool = pool;
    this.schema = opts.schema;
    // Connected (and past ioredis' ready check and SELECT) before the first SUBSCRIBE: a command queued while the
    // subscriber connects was seen to collide with subscriber mode and lose the subscription.
    this.pub = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.sub = new Redis(opts.redisUrl, { lazyConnect: true });
    for (const r of [this.pub, this.sub]) r.on("error", (e: Error) => opts.log(`shared journal: Redis: ${e.message}`));
    this.channel = `gemba:${opts.schema}:journal`;
  }

  static async open(opts: SharedJournalOptions): Promise<SharedJournal> {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 4, keepAlive: true });
    pool.on("error", (e) => opts.log(`shared journal: PostgreSQL: ${e.message}`));
    try {
      await createSharedSchema(pool, opts.schema);
    } catch (e) {
      await pool.end();
      throw new Error(`cannot reach PostgreSQL at DATABASE_URL: ${(e as Error).message}`);
    }
    const j = new SharedJournal(opts, pool);
    try {
      await j.refill();
      await j.loadAll();
      await Promise.all([j.pub.connect(), j.sub.connect()]);
      await j.sub.subscribe(j.channel);
    } catch (e) {
      await j.closeAsync();
      throw e;
    }
    j.sub.on("message", (_ch: string, msg: string) => {
      if (msg !== j.origin) void j.catchUp(NOTIFY_WINDOW);
    });
    j.poll = setInterval(() => void j.catchUp(POLL_WINDOW), POLL_MS);
    j.poll.unref();
    return j;
  }

  private t(name: string): string {
    return qualified(this.schema, name);
  }

  // ---- writes: mirror now, PostgreSQL in the next batch ----

  private takeId(): number {
    if (this.nextId >= this.endId) {
      if (!this.spare) throw new Error("PostgreSQL has not handed this process journal ids yet; try again shortly.");
      [this.nextId, this.endId] = this.spare;
      this.spare = null;
    }
    if (!this.spare) void this.refill().catch((e: Error) => this.opts.log(`shared journal: ids: ${e.message}`));
    return this.nextId++;
  }

  private refill(): Promise<void> {
    this.refilling ??= this.pool
      .query<{ v: string }>(`SELECT nextval('${this.t("journal_ids")}') AS v`)
      .then((r) => {
        const v = Number(r.rows[0]!.v);
        if (this.nextId >= this.endId) [this.nextId, this.endId] = [v, v + ID_BLOCK];
        else this.spare = [v, v + ID_BLOCK];
      })
      .finally(() => (this.refilling = null));
    return this.refilling;
  }

  private write(entry: NewJournalEntry, state: StateChange | null): number {
    const row: JournalEntry = { ...entry, id: this.takeId() };
    this.applyRow(row, state);
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const op: Op = { queuedAt: Date.now(), fence: this.fence, row, state, done, resolve };
    this.queue.push(op);
    this.last = op;
    void this.drain();
    return row.id;
  }

  override append(e: NewJournalEntry): number {
    return this.write(e, null);
  }

  override recordAlarm(plant: string, alarm: AlarmRecord, entry: NewJournalEntry): number {
    return this.write({ ...entry, plant }, { t: "alarm", id: alarm.id, record: alarm });
  }

  override recordAnnotation(plant: string, id: string, record: object | null, entry: NewJournalEntry): number {
    return this.write({ ...entry, plant }, { t: "annotation", id, record });
  }

  override recordCalibration(plant: string, record: object, entry: NewJournalEntry): number {
    return this.write({ ...entry, plant }, { t: "calibration", record });
  }

  /** Not ok once a write has waited longer than a request does: people are being told "not stored". */
  override health(now = Date.now()): JournalHealth {
    const oldest = this.queue[0];
    const waited = oldest ? now - oldest.queuedAt : 0;
    const ok = waited <= FLUSH_TIMEOUT_MS;
    return {
      backend: "postgresql",
      ok,
      problem: ok
        ? null
        : `PostgreSQL has not stored ${this.queue.length} write(s) for ${Math.round(waited / 1000)} s` +
          (this.lastError ? ` (${this.lastError})` : "") +
          "; they are kept in this process's memory and retried every second. Check DATABASE_URL and the database server.",
      pendingWrites: this.queue.length,
    };
  }

  override fenced<T>(plant: string, epoch: number, fn: () => T): T {
    if (epoch <= 0) return fn();
    const outer = this.fence;
    this.fence = { plant, epoch };
    try {
      return fn();
    } finally {
      this.fence = outer;
    }
  }

  override flushed(): Promise<void> | null {
    const op = this.last;
    if (!op || !this.queue.includes(op)) return null;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `PostgreSQL has not confirmed the write within ${FLUSH_TIMEOUT_MS / 1000} s; it stays queued and is retried.`,
            ),
          ),
        FLUSH_TIMEOUT_MS,
      );
      void op.done.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length && !this.closed) {
        const batch = this.queue.slice(0, 500);
        try {
          await this.writeBatch(batch);
        } catch (e) {
          // Kept in order and retried: a write the mirror already shows must reach PostgreSQL.
          this.counters.writeErrors++;
          this.lastError = (e as Error).message;
          this.opts.log(
            `shared journal: writing ${batch.length} row(s) failed (${(e as Error).message}); retrying in 1 s`,
          );
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        this.queue.splice(0, batch.length);
        this.counters.written += batch.length;
        for (const op of batch) op.resolve();
        await this.pub.publish(this.channel, this.origin).catch(() => 0);
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: Op[]): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      for (const { row, state, fence } of batch) {
        if (fence && !(await this.stillOwner(c, fence))) {
          // A former owner's write after a successor took over: refused, so no alarm transition is written twice.
          this.counters.fenced++;
          this.opts.log(
            `shared journal: refused a ${row.kind} on "${row.plant}" from this process's former lease (token ${fence.epoch}); the new owner writes it`,
          );
          continue;
        }
        await c.query(
          `INSERT INTO ${this.t("journal")} (id, ts, plant, kind, actor, device, subject, data, state)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
          [
            row.id,
            row.ts,
            row.plant,
            row.kind,
            row.actor,
            row.device,
            row.subject,
            JSON.stringify(row.data),
            state ? JSON.stringify(state) : null,
          ],
        );
        if (state) await this.storeState(c, row.plant, state);
      }
      await c.query("COMMIT");
    } catch (e) {
      await c.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  /** FOR SHARE: a successor's token bump waits for this transaction, so the check holds until it commits. */
  private async stillOwner(c: pg.PoolClient, fence: { plant: string; epoch: number }): Promise<boolean> {
    const r = await c.query<{ epoch: string }>(`SELECT epoch FROM ${this.t("leases")} WHERE plant = $1 FOR SHARE`, [
      fence.plant,
    ]);
    return r.rows.length === 1 && Number(r.rows[0]!.epoch) === fence.epoch;
  }

  private async storeState(c: pg.PoolClient, plant: string, s: StateChange): Promise<void> {
    if (s.t === "alarm") {
      await c.query(
        `INSERT INTO ${this.t("alarms")} (plant, id, record) VALUES ($1, $2, $3) ON CONFLICT (plant, id) DO UPDATE SET record = excluded.record`,
        [plant, s.id, JSON.stringify(s.record)],
      );
    } else if (s.t === "calibration") {
      await c.query(
        `INSERT INTO ${this.t("calibrations")} (plant, record) VALUES ($1, $2) ON CONFLICT (plant) DO UPDATE SET record = excluded.record`,
        [plant, JSON.stringify(s.record)],
      );
    } else if (s.record) {
      await c.query(
        `INSERT INTO ${this.t("annotations")} (plant, id, record) VALUES ($1, $2, $3) ON CONFLICT (plant, id) DO UPDATE SET record = excluded.record`,
        [plant, s.id, JSON.stringify(s.record)],
      );
    } else {
      await c.query(`DELETE FROM ${this.t("annotations")} WHERE plant = $1 AND id = $2`, [plant, s.id]);
    }
  }

  // ---- reads: the mirror, kept up to date from PostgreSQL ----

  private async loadAll(): Promise<void> {
    const seq = await this.pool.query<{ s: string | null }>(`SELECT max(seq) AS s FROM ${this.t("journal")}`);
    const upTo = Number(seq.rows[0]!.s ?? 0);
    const alarms = await this.pool.query<{ plant: string; id: string; record: string }>(
      `SELECT plant, id, record FROM ${this.t("alarms")}`,
    );
    for (const r of alarms.rows)
      this.applyState(r.plant, { t: "alarm", id: r.id, record: JSON.parse(r.record) as AlarmRecord });
    const notes = await this.pool.query<{ plant: string; id: string; record: string }>(
      `SELECT plant, id, record FROM ${this.t("annotations")} ORDER BY pos`,
    );
    for (const r of notes.rows)
      this.applyState(r.plant, { t: "annotation", id: r.id, record: JSON.parse(r.record) as object });
    const cal = await this.pool.query<{ plant: string; record: string }>(
      `SELECT plant, record FROM ${this.t("calibrations")}`,
    );
    for (const r of cal.rows) this.applyState(r.plant, { t: "calibration", record: JSON.parse(r.record) as object });
    // The journal rows themselves, without re-applying their states (the tables above are newer).
    const rows = await this.pool.query<PgRow>(
      `SELECT seq, id, ts, plant, kind, actor, device, subject, data FROM ${this.t("journal")} WHERE seq <= $1 ORDER BY seq`,
      [upTo],
    );
    for (const r of rows.rows) this.applyRow(toEntry(r), null);
    this.lastSeq = upTo;
  }

  /** Read rows other processes committed; `window` re-reads that many sequence numbers back (the poll). */
  override catchUp(window = NOTIFY_WINDOW): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        await this.readOnce(window);
      } while (this.readAgain && !this.closed);
    })()
      .catch((e: Error) => this.opts.log(`shared journal: reading other processes' writes failed: ${e.message}`))
      .finally(() => (this.reading = null));
    return this.reading;
  }

  private async readOnce(window: number): Promise<void> {
    if (this.closed) return;
    const r = await this.pool.query<PgRow & { state: string | null }>(
      `SELECT seq, id, ts, plant, kind, actor, device, subject, data, state FROM ${this.t("journal")} WHERE seq > $1 ORDER BY seq LIMIT 5000`,
      [Math.max(0, this.lastSeq - window)],
    );
    for (const pr of r.rows) {
      const state = pr.state ? (JSON.parse(pr.state) as StateChange) : null;
      const row = toEntry(pr);
      this.lastSeq = Math.max(this.lastSeq, Number(pr.seq));
      if (!this.applyRow(row, state)) continue;
      this.counters.replicated++;
      if (state) for (const l of this.listeners) l(row.plant, state);
    }
    if (r.rows.length === 5000) this.readAgain = true;
  }

  override onReplicated(listener: ReplicationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  override backup(): Promise<void> {
    return Promise.reject(
      new Error("the journal is in PostgreSQL: back it up with pg_dump (npm run backup prints the command)."),
    );
  }

  override close(): void {
    void this.closeAsync();
  }

  /** Waits (up to 5 s) for queued writes, then closes the connections and the mirror. */
  async closeAsync(): Promise<void> {
    if (this.closed) return;
    const pending = this.flushed();
    if (pending) await pending.catch((e: Error) => this.opts.log(`shared journal: at shutdown: ${e.message}`));
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    this.pub.disconnect();
    this.sub.disconnect();
    await this.pool.end().catch(() => {});
    super.close();
  }
}

interface PgRow {
  seq: string;
  id: string;
  ts: number;
  plant: string;
  kind: string;
  actor: string;
  device: string;
  subject: string;
  data: string;
}

function toEntry(r: PgRow): JournalEntry {
  return {
    id: Number(r.id),
    ts: Number(r.ts),
    plant: r.plant,
    kind: r.kind,
    actor: r.actor,
    device: r.device,
    subject: r.subject,
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}
