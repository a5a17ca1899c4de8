/**
 * The server's data is for the server's user only: folders 0700, files 0600
 * (the journal and its -wal/-shm, the development signing key, the TLS keys).
 * Another account on a shared plant PC must not read the audit trail or forge
 * sign-ins. A no-op on Windows, where modes do not apply.
 */
import fs from "node:fs";

const POSIX = process.platform !== "win32";

/** Create `dir` if needed and make it 0700. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX) fs.chmodSync(dir, 0o700);
}

/**
 * Make `file` 0600, creating it empty if absent. SQLite creates a database's -wal and -shm with the database
 * file's own mode, so calling this on the database before opening it covers them; existing ones are fixed too.
 */
export function privateFile(file: string, siblings: readonly string[] = []): void {
  fs.closeSync(fs.openSync(file, "a", 0o600));
  if (!POSIX) return;
  fs.chmodSync(file, 0o600);
  for (const s of siblings) if (fs.existsSync(file + s)) fs.chmodSync(file + s, 0o600);
}
