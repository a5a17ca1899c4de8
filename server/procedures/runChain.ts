/**
 * The hash chain over a procedure run's journal rows (procedure.start, one procedure.step per step done,
 * procedure.complete or procedure.stop). Each row's data carries `prev` (the previous row's hash, "" for the start)
 * and `hash`: SHA-256 (hex) of the row's canonical JSON without `hash` — when, plant, kind, who, device, subject and
 * every detail, the asset's values and the note included. Change any row, drop one or reorder them and the chain
 * no longer verifies. Pure; docs/TRAINING.md shows how to check an exported run by hand.
 */
import { createHash } from "node:crypto";

/** The fields of a journal row the hash covers (a stored row has an id too; the id is the store's, not the run's). */
export interface ChainedRow {
  ts: number;
  plant: string;
  kind: string;
  actor: string;
  device: string;
  subject: string;
  data: Record<string, unknown>;
}

/** JSON with object keys sorted at every level, so the same row always hashes the same. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

export function rowHash(row: ChainedRow): string {
  const { hash: _omit, ...data } = row.data;
  const body = canonicalJson({
    ts: row.ts,
    plant: row.plant,
    kind: row.kind,
    actor: row.actor,
    device: row.device,
    subject: row.subject,
    data,
  });
  return createHash("sha256").update(body).digest("hex");
}

/** The row with `prev` and its `hash` set. */
export function chain<R extends ChainedRow>(row: R, prev: string): R {
  const linked = { ...row, data: { ...row.data, prev } };
  return { ...linked, data: { ...linked.data, hash: rowHash(linked) } };
}

export type ChainVerdict = { ok: true; rows: number; last: string } | { ok: false; row: number; reason: string };

/** Check a run's rows in order: each hash matches its row and each `prev` is the hash before it. */
export function verifyChain(rows: readonly ChainedRow[]): ChainVerdict {
  if (rows.length === 0) return { ok: false, row: 0, reason: "no rows." };
  let prev = "";
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.data["prev"] !== prev) {
      return {
        ok: false,
        row: i,
        reason: `row ${i + 1} (${r.kind}) does not follow the row before it: a row is missing, added or out of order.`,
      };
    }
    const h = rowHash(r);
    if (r.data["hash"] !== h)
      return {
        ok: false,
        row: i,
        reason: `row ${i + 1} (${r.kind}) was changed after it was written: its hash does not match.`,
      };
    prev = h;
  }
  return { ok: true, rows: rows.length, last: prev };
}
