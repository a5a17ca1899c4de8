/**
 * `npx tsx scripts/procedure-verify.ts <file.json>`: check the hash chain of a procedure run exported from the
 * audit journal (GET /api/plants/<plant>/journal?subject=<run id>, admins; the JSON answer saved to a file, or
 * "-" for standard input). Prints the verdict; exit 0 when the chain verifies, 1 when not, 2 on bad usage.
 */
import fs from "node:fs";
import { verifyChain, type ChainedRow } from "../server/procedures/runChain.ts";

const file = process.argv[2];
if (!file || file === "--help" || file === "-h") {
  console.error("usage: npx tsx scripts/procedure-verify.ts <journal export .json | ->");
  process.exit(2);
}
let rows: ChainedRow[];
try {
  const doc = JSON.parse(fs.readFileSync(file === "-" ? 0 : file, "utf8")) as { entries?: ChainedRow[] };
  rows = (doc.entries ?? []).filter((r) => typeof r.kind === "string" && r.kind.startsWith("procedure."));
} catch (e) {
  console.error(`${file}: not a journal export (${(e as Error).message}).`);
  process.exit(2);
}
const v = verifyChain(rows);
if (v.ok) {
  console.log(`OK: ${v.rows} rows chain; last hash ${v.last}`);
} else {
  console.error(`NOT VERIFIED: ${v.reason}`);
  process.exit(1);
}
