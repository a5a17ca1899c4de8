/**
 * A damaged journal is refused at start with one sentence naming the file, the
 * damage and the way back (restore from a backup); a whole one, including a WAL
 * left behind by kill -9, opens. Damaged files are made here by hand in a temp dir.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { JournalStore } from "../../server/store/JournalStore.ts";
import { JournalDamagedError, inspectJournalFile } from "../../server/store/journalIntegrity.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-integrity-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const entry = (i: number) => ({
  ts: 1_700_000_000_000 + i,
  plant: "demo",
  kind: "bookmark",
  actor: "Ada",
  device: "desktop",
  subject: `mark ${i}`,
  data: { note: "x".repeat(200) },
});

/** A journal with `rows` rows, closed cleanly (checkpointed: no WAL left). */
function writeJournal(file: string, rows: number): void {
  const s = new JournalStore(file);
  for (let i = 0; i < rows; i++) s.append(entry(i));
  s.close();
}

/**
 * The main file and WAL as a kill -9 leaves them: rows committed into the WAL, not checkpointed.
 * The files are copied while the writer still has them open, which is what the disk holds after the kill.
 */
function crashCopy(dir: string, rows: number): string {
  const live = path.join(dir, "live.db");
  writeJournal(live, 10);
  const db = new Database(live);
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  const ins = db.prepare("INSERT INTO journal (ts, plant, kind, data) VALUES (?, 'demo', 'bookmark', ?)");
  for (let i = 0; i < rows; i++) ins.run(i, JSON.stringify({ note: "y".repeat(300) }));
  const copy = path.join(dir, "gemba.db");
  fs.copyFileSync(live, copy);
  fs.copyFileSync(`${live}-wal`, `${copy}-wal`);
  db.close();
  return copy;
}

function refusal(file: string): JournalDamagedError {
  try {
    new JournalStore(file).close();
  } catch (e) {
    if (e instanceof JournalDamagedError) return e;
    throw e;
  }
  throw new Error(`${file} opened although it is damaged`);
}

describe("a damaged journal is refused with one sentence: which file, what is wrong, how to restore", () => {
  it("a file that is not SQLite (garbage header)", () => {
    const file = path.join(tempDir(), "gemba.db");
    fs.writeFileSync(file, Buffer.from("this is not a database, it is a shopping list\n".repeat(100)));
    const e = refusal(file);
    expect(e.problem.kind).toBe("not-sqlite");
    expect(e.message).toContain(`The journal ${file} is not a SQLite database`);
    expect(e.message).toContain(`restore ${file} from your latest backup (npm run backup`);
  });

  it("a main file cut short at a page boundary (its header says more pages)", () => {
    const file = path.join(tempDir(), "gemba.db");
    writeJournal(file, 400);
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size / 2 - ((size / 2) % 4096));
    const e = refusal(file);
    expect(e.problem.kind).toBe("truncated");
    expect(e.message).toMatch(
      new RegExp(`The journal ${file} is truncated: it has \\d+ bytes where its header says \\d+ bytes`),
    );
  });

  it("a main file cut in the middle of a page", () => {
    const file = path.join(tempDir(), "gemba.db");
    writeJournal(file, 400);
    fs.truncateSync(file, fs.statSync(file).size - 1000);
    expect(refusal(file).problem.kind).toBe("truncated");
  });

  it("a WAL cut in the middle of a frame, which SQLite alone would read without a word and lose committed rows", () => {
    const dir = tempDir();
    const file = crashCopy(dir, 200);
    const wal = `${file}-wal`;
    fs.truncateSync(wal, fs.statSync(wal).size - 3000);
    // The hazard is real: a copy opened by SQLite directly loses committed rows and says nothing.
    const bare = path.join(dir, "bare.db");
    fs.copyFileSync(file, bare);
    fs.copyFileSync(wal, `${bare}-wal`);
    const db = new Database(bare);
    const seen = (db.prepare("SELECT count(*) AS n FROM journal").get() as { n: number }).n;
    db.close();
    expect(seen).toBeLessThan(210);

    const e = refusal(file);
    expect(e.problem.kind).toBe("wal-truncated");
    expect(e.message).toContain(`The journal's write-ahead log ${wal} is truncated`);
    expect(e.message).toContain(`restore ${file} from your latest backup`);
    expect(e.message).toContain(`move ${wal} aside`);
  });

  it("a WAL with a damaged frame in the middle", () => {
    const file = crashCopy(tempDir(), 200);
    const wal = `${file}-wal`;
    const bytes = fs.readFileSync(wal);
    bytes[32 + 24 + 100] = bytes[32 + 24 + 100]! ^ 0xff; // a byte of the first frame's page
    fs.writeFileSync(wal, bytes);
    const e = refusal(file);
    expect(e.problem.kind).toBe("wal-damaged");
    expect(e.message).toMatch(/is damaged at frame 1 of \d+ \(checksum mismatch\)/);
  });

  it("a page damaged inside the file fails SQLite's quick_check at start", () => {
    const file = path.join(tempDir(), "gemba.db");
    writeJournal(file, 400);
    const bytes = fs.readFileSync(file);
    // Page 3 onwards holds journal rows; scribble over the middle of one (not its header, which the size check reads).
    bytes.fill(0x5a, 4096 * 3 + 8, 4096 * 3 + 4000);
    fs.writeFileSync(file, bytes);
    const e = refusal(file);
    expect(e.problem.kind).toBe("check-failed");
    expect(e.message).toContain(`The journal ${file}`);
    expect(e.message).toContain("restore");
  });
});

describe("a whole journal opens", () => {
  it("the main file and WAL that kill -9 leaves behind open with every committed row", () => {
    const file = crashCopy(tempDir(), 200);
    expect(inspectJournalFile(file)).toBeNull();
    const s = new JournalStore(file);
    expect(s.query({ plant: "demo", limit: 10_000 })).toHaveLength(210);
    s.close();
  });

  it("a new journal (no file yet) opens", () => {
    const s = new JournalStore(path.join(tempDir(), "sub", "gemba.db"));
    expect(s.append(entry(1))).toBe(1);
    s.close();
  });
});

describe("npm run backup", () => {
  it("copies the journal online while the server has it open, and the copy has every row", () => {
    const dir = tempDir();
    const live = new JournalStore(path.join(dir, "gemba.db"));
    for (let i = 0; i < 50; i++) live.append(entry(i));
    const dest = path.join(dir, "copy.db");
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/backup.ts", dest], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    live.close();
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`-> ${dest} (50 journal rows, quick_check ok)`);
    const copy = new JournalStore(dest);
    expect(copy.query({ plant: "demo" })).toHaveLength(50);
    copy.close();
  });

  it("with DATABASE_URL, tells how to use pg_dump instead", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/backup.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "postgres://gemba:secret@db.plant.lan/gemba" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'pg_dump --format=custom --file=gemba-$(date -u +%Y%m%dT%H%M%SZ).dump "postgres://gemba:***@db.plant.lan/gemba"',
    );
    expect(r.stdout).not.toContain("secret");
  });
});
