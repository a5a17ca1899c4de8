/**
 * Is the journal file whole? Checked before SQLite opens it, because SQLite
 * itself is quiet about two kinds of damage: a WAL whose tail was cut off
 * (the frames after the cut, committed rows among them, are ignored without a
 * word) and a main file shorter than its header says (reads fail later, one
 * join at a time). The file layout is SQLite's own (https://www.sqlite.org/fileformat2.html,
 * sections 1.3 "The Database Header" and 4 "The Write-Ahead Log").
 * Pure reads of the bytes on disk; the caller decides what to do with a problem.
 */
import fs from "node:fs";

export type JournalProblem =
  | { kind: "not-sqlite"; file: string; sentence: string }
  | { kind: "truncated"; file: string; sentence: string }
  | { kind: "wal-truncated"; file: string; sentence: string }
  | { kind: "wal-damaged"; file: string; sentence: string }
  | { kind: "check-failed"; file: string; sentence: string };

export class JournalDamagedError extends Error {
  override name = "JournalDamagedError";
  constructor(readonly problem: JournalProblem) {
    super(problem.sentence);
  }
}

const MAGIC = Buffer.from("SQLite format 3\0", "latin1");
const WAL_MAGIC_LE = 0x377f0682;
const WAL_MAGIC_BE = 0x377f0683;

/** The one way out we tell people about, at the end of every sentence. */
export const restoreAdvice = (file: string) =>
  `Stop Gemba and restore ${file} from your latest backup (npm run backup makes one; see README, Backup and restore).`;

/** Page size from the header: stored as 1 for 65536. */
function pageSizeOf(header: Buffer): number {
  const raw = header.readUInt16BE(16);
  return raw === 1 ? 65536 : raw;
}

/** Checks the main file and its -wal beside it; null when both are whole (or absent: a new journal). */
export function inspectJournalFile(file: string): JournalProblem | null {
  if (file === ":memory:" || !fs.existsSync(file)) return null;
  const size = fs.statSync(file).size;
  if (size > 0) {
    const fd = fs.openSync(file, "r");
    const header = Buffer.alloc(100);
    let read: number;
    try {
      read = fs.readSync(fd, header, 0, 100, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (read < 100 || !header.subarray(0, 16).equals(MAGIC)) {
      return {
        kind: "not-sqlite",
        file,
        sentence: `The journal ${file} is not a SQLite database (its first bytes are not the SQLite header): it was overwritten or is another file. ${restoreAdvice(file)}`,
      };
    }
    const pageSize = pageSizeOf(header);
    const pages = header.readUInt32BE(28);
    // The in-header size is valid when its "version-valid-for" number matches the change counter (offset 92 vs 24).
    const sizeValid = header.readUInt32BE(92) === header.readUInt32BE(24) && pages > 0;
    if (size % pageSize !== 0 || (sizeValid && size < pages * pageSize)) {
      const expected = sizeValid
        ? `${pages * pageSize} bytes (${pages} pages)`
        : `a whole number of ${pageSize}-byte pages`;
      return {
        kind: "truncated",
        file,
        sentence: `The journal ${file} is truncated: it has ${size} bytes where its header says ${expected}, so rows at its end are gone. ${restoreAdvice(file)}`,
      };
    }
  }
  return inspectWal(`${file}-wal`, file);
}

/** WAL checksum (fileformat2 §4.1): pairs of 32-bit words, in the byte order the magic number names. */
function walChecksum(buf: Buffer, s0: number, s1: number, bigEndian: boolean): [number, number] {
  for (let i = 0; i + 8 <= buf.length; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

function inspectWal(wal: string, main: string): JournalProblem | null {
  if (!fs.existsSync(wal)) return null;
  const bytes = fs.readFileSync(wal);
  if (bytes.length === 0) return null;
  const cut = (what: string): JournalProblem => ({
    kind: "wal-truncated",
    file: wal,
    sentence: `The journal's write-ahead log ${wal} is truncated (${what}): rows committed after that point would be lost without a word. ${restoreAdvice(main)} To start with only the rows already in ${main}, move ${wal} aside.`,
  });
  if (bytes.length < 32) return cut(`${bytes.length} bytes, shorter than its 32-byte header`);
  const magic = bytes.readUInt32BE(0);
  if (magic !== WAL_MAGIC_LE && magic !== WAL_MAGIC_BE) {
    return {
      kind: "wal-damaged",
      file: wal,
      sentence: `The journal's write-ahead log ${wal} does not start with the WAL header: it was overwritten. ${restoreAdvice(main)}`,
    };
  }
  const bigEndian = magic === WAL_MAGIC_BE;
  const pageSize = bytes.readUInt32BE(8);
  const salt1 = bytes.readUInt32BE(16);
  const salt2 = bytes.readUInt32BE(20);
  let [s0, s1] = walChecksum(bytes.subarray(0, 24), 0, 0, bigEndian);
  if (s0 !== bytes.readUInt32BE(24) || s1 !== bytes.readUInt32BE(28)) {
    return {
      kind: "wal-damaged",
      file: wal,
      sentence: `The journal's write-ahead log ${wal} has a damaged header (checksum mismatch). ${restoreAdvice(main)}`,
    };
  }
  const frame = 24 + pageSize;
  const frames = Math.floor((bytes.length - 32) / frame);
  for (let i = 0; i < frames; i++) {
    const at = 32 + i * frame;
    // Frames with other salts are left over from before the last checkpoint: the valid log ends here, as SQLite reads it.
    if (bytes.readUInt32BE(at + 8) !== salt1 || bytes.readUInt32BE(at + 12) !== salt2) return null;
    [s0, s1] = walChecksum(bytes.subarray(at, at + 8), s0, s1, bigEndian);
    [s0, s1] = walChecksum(bytes.subarray(at + 24, at + frame), s0, s1, bigEndian);
    if (s0 !== bytes.readUInt32BE(at + 16) || s1 !== bytes.readUInt32BE(at + 20)) {
      return {
        kind: "wal-damaged",
        file: wal,
        sentence: `The journal's write-ahead log ${wal} is damaged at frame ${i + 1} of ${frames} (checksum mismatch): SQLite would silently drop that frame and every one after it. ${restoreAdvice(main)}`,
      };
    }
  }
  const rest = (bytes.length - 32) % frame;
  if (rest !== 0) return cut(`it ends ${rest} bytes into frame ${frames + 1}, frames being ${frame} bytes`);
  return null;
}
