/**
 * `npm run backup [-- <file>]`: an online copy of the journal while Gemba runs.
 * SQLite (the default): SQLite's backup API through better-sqlite3, a consistent
 * copy even while the server keeps writing, to <file> or
 * DATA_DIR/backups/gemba-<UTC time>.db. PostgreSQL (DATABASE_URL set): prints
 * the pg_dump command to run, since the database lives on its own server.
 * Restore: README, Backup and restore.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { inspectJournalFile } from "../server/store/journalIntegrity.ts";

function fail(sentence: string): never {
  console.error(`Gemba backup: ${sentence}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const env = process.env;
  const databaseUrl = env["DATABASE_URL"]?.trim();
  if (databaseUrl) {
    const safe = databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
    console.log(
      `Gemba keeps its journal in PostgreSQL (${safe}). Back it up with pg_dump, online, from any machine that reaches it:\n` +
        `  pg_dump --format=custom --file=gemba-$(date -u +%Y%m%dT%H%M%SZ).dump "${safe}"\n` +
        `Restore into an empty database with:\n  pg_restore --clean --if-exists --dbname="<DATABASE_URL>" gemba-<time>.dump`,
    );
    return;
  }
  const dataDir = path.resolve(env["DATA_DIR"] || "data");
  const source = path.join(dataDir, "gemba.db");
  if (!fs.existsSync(source)) fail(`there is no journal at ${source} (set DATA_DIR to the folder Gemba uses).`);
  const problem = inspectJournalFile(source);
  if (problem) fail(`not copying a damaged journal: ${problem.sentence}`);
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const dest = path.resolve(process.argv[2] ?? path.join(dataDir, "backups", `gemba-${stamp}.db`));
  if (fs.existsSync(dest)) fail(`${dest} exists already; name another file.`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(dest);
  } catch (e) {
    fail(`copying ${source} to ${dest} failed: ${(e as Error).message}`);
  } finally {
    db.close();
  }
  const check = new Database(dest, { readonly: true });
  const rows = (check.prepare("SELECT count(*) AS n FROM journal").get() as { n: number }).n;
  const ok = check.pragma("quick_check", { simple: true }) === "ok";
  check.close();
  if (!ok) fail(`the copy ${dest} does not pass SQLite's quick_check; keep the old backup and try again.`);
  console.log(`Gemba backup: ${source} -> ${dest} (${rows} journal rows, quick_check ok).`);
}

void main();
