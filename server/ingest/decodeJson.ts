/**
 * Decode one JSON telemetry payload according to its binding's field mapping.
 * Pure: returns a sample or a typed rejection; never throws on bad input.
 */
import { Quality } from "../../shared/status.ts";

export interface JsonMapping {
  value: string;
  timestamp?: string | undefined;
  quality?: string | undefined;
  scale?: number | undefined;
  offset?: number | undefined;
}

export type Rejection = "oversized" | "malformed" | "bad-value" | "bad-timestamp" | "bad-quality";

export type Decoded =
  { ok: true; value: number; ts: number | null; q: Quality } | { ok: false; reason: Rejection; detail: string };

const pathCache = new Map<string, (string | number)[]>();
function parsePath(path: string): (string | number)[] {
  let p = pathCache.get(path);
  if (!p) {
    p = [];
    for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) p.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
    pathCache.set(path, p);
  }
  return p;
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of parsePath(path)) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (typeof k === "number" ? !Array.isArray(cur) : !Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

const QUALITY_WORDS: Record<string, Quality> = { good: Quality.GOOD, uncertain: Quality.UNCERTAIN, bad: Quality.BAD };

/** Sensible bounds for a source timestamp in ms: 2000-01-01 .. 2200-01-01. Seconds are accepted and converted. */
const MIN_TS = 946_684_800_000;
const MAX_TS = 7_258_118_400_000;

export function decodeJson(payload: Uint8Array, map: JsonMapping, maxBytes: number): Decoded {
  if (payload.byteLength > maxBytes) {
    return { ok: false, reason: "oversized", detail: `payload of ${payload.byteLength} bytes exceeds ${maxBytes}` };
  }
  let doc: unknown;
  try {
    const text = Buffer.isBuffer(payload)
      ? payload.toString("utf8")
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8");
    doc = JSON.parse(text);
  } catch {
    return { ok: false, reason: "malformed", detail: "payload is not valid JSON" };
  }
  let raw = map.value === "$" ? doc : getPath(doc, map.value);
  if (typeof raw === "boolean") raw = raw ? 1 : 0;
  if (typeof raw !== "number" || !Number.isFinite(raw)) {
    return { ok: false, reason: "bad-value", detail: `field "${map.value}" is not a finite number` };
  }
  const value = raw * (map.scale ?? 1) + (map.offset ?? 0);
  if (!Number.isFinite(value)) return { ok: false, reason: "bad-value", detail: "scaled value is not finite" };

  let ts: number | null = null;
  if (map.timestamp) {
    const t = getPath(doc, map.timestamp);
    if (t !== undefined) {
      let ms: number;
      if (typeof t === "number") ms = t < 1e11 ? t * 1000 : t;
      else if (typeof t === "string") ms = Date.parse(t);
      else ms = Number.NaN;
      if (!Number.isFinite(ms) || ms < MIN_TS || ms > MAX_TS) {
        return { ok: false, reason: "bad-timestamp", detail: `field "${map.timestamp}" is not a valid time` };
      }
      ts = ms;
    }
  }
  let q: Quality = Quality.GOOD;
  if (map.quality) {
    const qv = getPath(doc, map.quality);
    if (qv !== undefined) {
      if (typeof qv === "string" && qv in QUALITY_WORDS) q = QUALITY_WORDS[qv]!;
      else if (qv === 0 || qv === 1 || qv === 2) q = qv;
      else return { ok: false, reason: "bad-quality", detail: `field "${map.quality}" is not good/uncertain/bad` };
    }
  }
  return { ok: true, value, ts, q };
}
