/**
 * A SQLite file in DATA_DIR readable by the server's user only (its rows name people, like the journal), in WAL
 * mode. ":memory:" for tests opens no file.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { privateFile } from "../auth/privateFiles.ts";

export function openPrivateSqlite(file: string): Database.Database {
  if (file !== ":memory:") {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    privateFile(file, ["-wal", "-shm"]);
  }
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  return db;
}
