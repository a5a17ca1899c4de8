/**
 * The shared journal and the plant lease against the real PostgreSQL and Redis,
 * in one test process: rows and the states they carry reach the other process's
 * mirror with the same ids; writes PostgreSQL cannot take are kept, retried and
 * reported as degraded health; a lease holder whose connection dies steps down
 * and another takes over. Each run uses its own schema, dropped after.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { SharedJournal } from "../../server/store/SharedJournal.ts";
import { PlantLease } from "../../server/runtime/PlantLease.ts";
import type { StateChange } from "../../server/store/JournalStore.ts";
import type { AlarmRecord } from "../../server/alarms/AlarmLifecycle.ts";
import { newAlarm } from "../../server/alarms/AlarmLifecycle.ts";
import { createSharedSchema } from "../../server/store/sharedSchema.ts";
import { REDIS, eventually } from "./harness.ts";

const DATABASE = process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA = `gemba_it_${randomUUID().replace(/-/g, "").slice(0, 10)}`;
const logs: string[] = [];
const opts = { databaseUrl: DATABASE, schema: SCHEMA, redisUrl: REDIS, log: (m: string) => logs.push(m) };

const entry = (kind: string, subject: string) => ({
  ts: Date.now(),
  plant: "demo",
  kind,
  actor: "Ada",
  device: "desktop",
  subject,
  data: { n: 1 },
});

describe("shared journal", () => {
  let db: pg.Pool;
  let a: SharedJournal;
  let b: SharedJournal;

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: DATABASE, max: 2 });
    [a, b] = await Promise.all([SharedJournal.open(opts), SharedJournal.open(opts)]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([a?.closeAsync(), b?.closeAsync()]);
    await db.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await db.end();
  }, 30_000);

  it("an alarm change stored by one process reaches the other's mirror and listeners, with the same journal id", async () => {
    const seen: StateChange[] = [];
    const stop = b.onReplicated((plant, change) => plant === "demo" && seen.push(change));
    const alarm: AlarmRecord = { ...newAlarm("limit.level", "T101", 3), state: "unack-active" };
    const id = a.recordAlarm("demo", alarm, entry("alarm.active", alarm.id));
    await a.flushed();
    await eventually(() => Promise.resolve(seen.length > 0), "the change on the other process", 5000);
    stop();
    expect(seen[0]).toMatchObject({ t: "alarm", id: alarm.id, record: { state: "unack-active" } });
    expect(b.loadAlarms("demo").map((x) => x.state)).toEqual(["unack-active"]);
    expect(b.query({ plant: "demo", subject: alarm.id }).map((e) => e.id)).toEqual([id]);
    expect(a.query({ plant: "demo", subject: alarm.id }).map((e) => e.id)).toEqual([id]);
  });

  it("a process started later loads the alarms, notes and journal already stored", async () => {
    a.recordAnnotation("demo", "n1", { id: "n1", text: "check the seal" }, entry("annotation.create", "n1"));
    await a.flushed();
    const c = await SharedJournal.open(opts);
    try {
      expect(c.loadAnnotations<{ text: string }>("demo").map((n) => n.text)).toEqual(["check the seal"]);
      expect(c.loadAlarms("demo")).toHaveLength(1);
      expect(c.query({ plant: "demo" }).map((e) => e.kind)).toEqual(["alarm.active", "annotation.create"]);
    } finally {
      await c.closeAsync();
    }
  });

  it("writes PostgreSQL cannot take are kept and retried, health says so in a sentence, and they are stored once it can", async () => {
    expect(a.health()).toEqual({ backend: "postgresql", ok: true, problem: null, pendingWrites: 0 });
    await db.query(`ALTER TABLE "${SCHEMA}".journal RENAME TO journal_away`);
    const errors = a.counters.writeErrors;
    a.append(entry("bookmark", "during the outage"));
    await eventually(() => Promise.resolve(a.counters.writeErrors > errors), "a failed write", 10_000);
    const h = a.health(Date.now() + 6000);
    expect(h.ok).toBe(false);
    expect(h.pendingWrites).toBe(1);
    expect(h.problem).toMatch(/^PostgreSQL has not stored 1 write\(s\) for \d+ s \(.*journal.*\); they are kept/);
    await db.query(`ALTER TABLE "${SCHEMA}".journal_away RENAME TO journal`);
    await eventually(() => Promise.resolve(a.health().pendingWrites === 0), "the retried write", 10_000);
    const rows = await db.query(`SELECT count(*) AS n FROM "${SCHEMA}".journal WHERE subject = 'during the outage'`);
    expect(Number((rows.rows[0] as { n: string }).n)).toBe(1);
  }, 30_000);

  it("an alarm write made under a lease that a successor has since taken (an older fencing token) is refused", async () => {
    await db.query(`INSERT INTO "${SCHEMA}".leases (plant, epoch, holder) VALUES ('fenced', 5, 'successor')`);
    const stale: AlarmRecord = { ...newAlarm("limit.temperature", "T101", 3), state: "unack-active" };
    a.fenced("fenced", 4, () =>
      a.recordAlarm("fenced", stale, { ...entry("alarm.active", stale.id), plant: "fenced" }),
    );
    await a.flushed();
    const current: AlarmRecord = { ...newAlarm("limit.level", "T102", 3), state: "unack-active" };
    a.fenced("fenced", 5, () =>
      a.recordAlarm("fenced", current, { ...entry("alarm.active", current.id), plant: "fenced" }),
    );
    await a.flushed();
    const r = await db.query<{ subject: string }>(`SELECT subject FROM "${SCHEMA}".journal WHERE plant = 'fenced'`);
    expect(r.rows.map((x) => x.subject)).toEqual([current.id]);
    const alarms = await db.query<{ id: string }>(`SELECT id FROM "${SCHEMA}".alarms WHERE plant = 'fenced'`);
    expect(alarms.rows.map((x) => x.id)).toEqual([current.id]);
    expect(a.counters.fenced).toBe(1);
  });

  it("the journal in PostgreSQL refuses edits and deletions", async () => {
    await expect(db.query(`UPDATE "${SCHEMA}".journal SET actor = 'Mallory'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM "${SCHEMA}".journal`)).rejects.toThrow(/append-only/);
  });
});

describe("plant lease", () => {
  const schema = `${SCHEMA}_lease`;
  it("one holder at a time; when its connection dies it steps down and the other takes over", async () => {
    const events: string[] = [];
    const lease = (name: string) => {
      const l = new PlantLease({ databaseUrl: DATABASE, schema, log: () => {}, intervalMs: 200 });
      l.onChange((plant, owned, epoch) =>
        events.push(`${name} ${owned ? `took ${plant} (token ${epoch})` : `lost ${plant}`}`),
      );
      l.start();
      return l;
    };
    // A timeout says what the leases did so far (seen once under parallel load, not reproduced since).
    const until = (cond: () => boolean, what: string, ms: number) =>
      eventually(() => Promise.resolve(cond()), what, ms).catch((e: Error) => {
        throw new Error(`${e.message}; lease events so far: ${events.join(", ") || "none"}`);
      });
    const a = lease("a");
    const b = lease("b");
    const db = new pg.Client({ connectionString: DATABASE });
    await db.connect();
    const pool = new pg.Pool({ connectionString: DATABASE, max: 1 });
    await createSharedSchema(pool, schema);
    await pool.end();
    try {
      a.hold("demo");
      await until(() => a.owns("demo"), "a takes demo", 10_000);
      b.hold("demo");
      b.hold("other");
      await until(() => b.owns("other"), "b takes the free plant", 10_000);
      expect(b.owns("demo")).toBe(false);
      // a's session dies as if its process had been killed: PostgreSQL frees its locks with it.
      const t0 = Date.now();
      await db.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid() AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = (hashtext('demo')::bigint & 4294967295)::oid)",
        [`gemba-lease:${schema}`.slice(0, 63)],
      );
      await until(() => b.owns("demo"), "b takes demo over", 10_000);
      await until(() => !a.owns("demo"), "a steps down", 10_000);
      console.log(`lease takeover after the holder's session died: ${Date.now() - t0} ms (200 ms rounds)`);
      expect(events).toContain("a lost demo");
      // Each new owner gets a higher fencing token.
      expect(events.filter((e) => e.includes("took demo"))).toEqual(["a took demo (token 1)", "b took demo (token 2)"]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.end();
    }
  }, 60_000);
});
