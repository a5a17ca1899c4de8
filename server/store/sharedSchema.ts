/**
 * Gemba's tables in PostgreSQL, in one schema (DATABASE_SCHEMA, default
 * `gemba`): the journal (append-only, as in SQLite), the current alarm,
 * annotation and calibration records, and handoff tickets. Created on first
 * start; processes starting together serialise on an advisory lock, because
 * concurrent CREATE ... IF NOT EXISTS can still collide in PostgreSQL.
 */
import type pg from "pg";

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string | null {
  return NAME.test(schema)
    ? null
    : `DATABASE_SCHEMA must be lowercase letters, digits and _ (at most 63), got "${schema}".`;
}

/** `"schema"."name"`; the schema name is checked when the config is read. */
export function qualified(schema: string, name: string): string {
  return `"${schema}"."${name}"`;
}

export async function createSharedSchema(pool: pg.Pool, schema: string): Promise<void> {
  const bad = checkSchemaName(schema);
  if (bad) throw new Error(bad);
  const t = (n: string) => qualified(schema, n);
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`gemba-schema:${schema}`]);
    await c.query(`
      CREATE SCHEMA IF NOT EXISTS "${schema}";
      CREATE SEQUENCE IF NOT EXISTS ${t("journal_ids")} INCREMENT BY 1000;
      CREATE TABLE IF NOT EXISTS ${t("journal")} (
        seq bigserial NOT NULL, id bigint PRIMARY KEY, ts double precision NOT NULL, plant text NOT NULL,
        kind text NOT NULL, actor text NOT NULL DEFAULT '', device text NOT NULL DEFAULT '',
        subject text NOT NULL DEFAULT '', data text NOT NULL DEFAULT '{}', state text
      );
      CREATE INDEX IF NOT EXISTS journal_seq ON ${t("journal")} (seq);
      CREATE INDEX IF NOT EXISTS journal_plant_ts ON ${t("journal")} (plant, ts);
      CREATE TABLE IF NOT EXISTS ${t("alarms")} (plant text NOT NULL, id text NOT NULL, record text NOT NULL, PRIMARY KEY (plant, id));
      CREATE TABLE IF NOT EXISTS ${t("annotations")} (
        plant text NOT NULL, id text NOT NULL, record text NOT NULL, pos bigserial NOT NULL, PRIMARY KEY (plant, id)
      );
      CREATE TABLE IF NOT EXISTS ${t("calibrations")} (plant text PRIMARY KEY, record text NOT NULL);
      CREATE TABLE IF NOT EXISTS ${t("tickets")} (
        token text PRIMARY KEY, code text NOT NULL UNIQUE, record text NOT NULL,
        expires_at double precision NOT NULL, used boolean NOT NULL DEFAULT false
      );
      CREATE TABLE IF NOT EXISTS ${t("leases")} (plant text PRIMARY KEY, epoch bigint NOT NULL, holder text NOT NULL);
      CREATE OR REPLACE FUNCTION ${t("journal_append_only")}() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'the journal is append-only'; END $$;
      DROP TRIGGER IF EXISTS journal_append_only ON ${t("journal")};
      CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON ${t("journal")}
        FOR EACH ROW EXECUTE FUNCTION ${t("journal_append_only")}();
    `);
    await c.query("COMMIT");
  } catch (e) {
    await c.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}
