/**
 * Decode one JSON payload for one point (a single-value mapping): parse, then read the
 * value, time and quality the way every JSON binding does (jsonSample.ts). Pure: returns a
 * sample or a typed rejection; never throws on bad input. PlantIngest parses once per message
 * and runs the bindings' decoders instead; this is the same reading for tools and tests.
 */
import type { Quality } from "../../shared/status.ts";
import { compilePath, readPath, type FieldPathSpec } from "../formats/fieldPath.ts";
import { newSampleOut, readSample, type Rejection } from "./jsonSample.ts";
import type { QualityCodes } from "../formats/quality.ts";

export type { Rejection } from "./jsonSample.ts";

export interface JsonMapping {
  value: FieldPathSpec;
  timestamp?: FieldPathSpec | undefined;
  quality?: FieldPathSpec | undefined;
  qualityCodes?: QualityCodes | undefined;
  scale?: number | undefined;
  offset?: number | undefined;
}

export type Decoded =
  | { ok: true; value: number | null; ts: number | null; q: Quality; code: string }
  | { ok: false; reason: Rejection; detail: string };

export function decodeJson(payload: Uint8Array, map: JsonMapping, maxBytes: number): Decoded {
  if (payload.byteLength > maxBytes) {
    return { ok: false, reason: "oversized", detail: `payload of ${payload.byteLength} bytes exceeds ${maxBytes}` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed", detail: "payload is not valid JSON" };
  }
  const value = compilePath(map.value);
  const out = newSampleOut();
  const ok = readSample(
    readPath(doc, value),
    typeof map.value === "string" ? `field "${map.value}"` : "field",
    map.qualityCodes ?? "gemba",
    map.quality !== undefined ? readPath(doc, compilePath(map.quality)) : undefined,
    map.timestamp !== undefined ? readPath(doc, compilePath(map.timestamp)) : undefined,
    out,
  );
  if (!ok) return { ok: false, reason: out.reason, detail: out.detail };
  const ts = Number.isNaN(out.ts) ? null : out.ts;
  if (!out.hasValue) return { ok: true, value: null, ts, q: out.q, code: out.code };
  const v = out.value * (map.scale ?? 1) + (map.offset ?? 0);
  if (!Number.isFinite(v)) return { ok: false, reason: "bad-value", detail: "scaled value is not finite" };
  return { ok: true, value: v, ts, q: out.q, code: out.code };
}
