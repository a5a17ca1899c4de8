/**
 * Decoder for `format: "json"` bindings: one point per message, many points of one
 * message (UNS objects, gateway records), or a batched array keyed by name (`items` + `key`).
 * Compiled once per binding; decoding allocates nothing beyond rejection sentences.
 */
import type { JsonBinding } from "../plant/instance.ts";
import { compilePath, formatPath, readPath, type PathStep } from "../formats/fieldPath.ts";
import { explainValue, newSampleOut, readSample, readNonNumeric, type SampleOut } from "./jsonSample.ts";
import type { QualityCodes } from "../formats/quality.ts";
import type { Decoder, SampleSink, SlotTarget } from "./sink.ts";

interface Entry {
  slot: number;
  value: PathStep[];
  timestamp: PathStep[] | undefined;
  quality: PathStep[] | undefined;
  scale: number;
  offset: number;
  /** Prebuilt for messages, so a rejection names the field without building it per sample. */
  label: string;
  match: string | undefined;
}

/** Emit one entry's sample read from `root` (the message, or the item with `items`). */
function emit(e: Entry, node: unknown, root: unknown, codes: QualityCodes, out: SampleOut, sink: SampleSink): void {
  const q = e.quality ? readPath(root, e.quality) : undefined;
  const t = e.timestamp ? readPath(root, e.timestamp) : undefined;
  const other = readNonNumeric(node, e.label, codes, q, t, out);
  if (other) {
    if (!other.ok) return sink.reject(out.reason, out.detail);
    return sink.nonNumeric(e.slot, other.raw, out.ts, out.q, out.code, explainValue(other.raw, e.label));
  }
  if (!readSample(node, e.label, codes, q, t, out)) return sink.reject(out.reason, out.detail);
  if (!out.hasValue) return sink.status(e.slot, out.q, out.ts, out.code);
  const v = out.value * e.scale + e.offset;
  if (!Number.isFinite(v)) return sink.reject("bad-value", `${e.label}: scaled value is not finite`);
  sink.value(e.slot, v, out.ts, out.q, out.code);
}

export class JsonDecoder implements Decoder {
  readonly slots: SlotTarget[] = [];
  private readonly entries: Entry[] = [];
  private readonly single: boolean;
  private readonly items: PathStep[] | undefined;
  private readonly key: PathStep[] = [];
  private readonly byKey = new Map<string, Entry[]>();
  private readonly codes: QualityCodes;
  private readonly out = newSampleOut();
  private readonly absent: string;

  constructor(b: JsonBinding) {
    this.codes = b.qualityCodes ?? "gemba";
    const entry = (
      slot: number,
      value: PathStep[],
      p: { timestamp?: JsonBinding["timestamp"]; quality?: JsonBinding["quality"]; scale?: number; offset?: number },
      match?: string,
    ): Entry => ({
      slot,
      value,
      timestamp:
        p.timestamp !== undefined
          ? compilePath(p.timestamp)
          : b.timestamp !== undefined
            ? compilePath(b.timestamp)
            : undefined,
      quality:
        p.quality !== undefined ? compilePath(p.quality) : b.quality !== undefined ? compilePath(b.quality) : undefined,
      scale: p.scale ?? b.scale ?? 1,
      offset: p.offset ?? b.offset ?? 0,
      label: match !== undefined ? `item ${JSON.stringify(match)}` : `field "${formatPath(value)}"`,
      match,
    });
    if (b.points === undefined) {
      if (b.value === undefined) throw new Error('a json binding needs "value" (one point) or "points" (many)');
      this.single = true;
      this.slots.push({ twin: b.twin, point: b.point });
      this.entries.push(entry(0, compilePath(b.value), {}));
    } else {
      this.single = false;
      b.points.forEach((p, i) => {
        this.slots.push({ twin: p.twin ?? b.twin, point: p.point });
        this.entries.push(entry(i, compilePath(p.value ?? (b.items !== undefined ? "$" : [p.point])), p, p.match));
      });
    }
    this.items = b.items !== undefined ? compilePath(b.items) : undefined;
    if (this.items) {
      if (b.key === undefined) throw new Error('"items" needs "key" (the field that names each item)');
      this.key = compilePath(b.key);
      for (const e of this.entries) {
        if (e.match === undefined) throw new Error('with "items", every point needs "match"');
        const list = this.byKey.get(e.match) ?? [];
        list.push(e);
        this.byKey.set(e.match, list);
      }
    }
    this.absent = this.items
      ? `no item of "${formatPath(this.items)}" is one the binding matches`
      : `none of the bound fields (${this.entries.map((e) => formatPath(e.value)).join(", ")}) is in the message`;
  }

  decode(doc: unknown, sink: SampleSink): void {
    if (this.single) {
      const e = this.entries[0]!;
      return emit(e, readPath(doc, e.value), doc, this.codes, this.out, sink);
    }
    let found = false;
    if (this.items) {
      const arr = readPath(doc, this.items);
      if (!Array.isArray(arr)) return sink.reject("malformed", `"${formatPath(this.items)}" is not an array of items`);
      for (let i = 0; i < arr.length; i++) {
        const item: unknown = arr[i];
        const k = readPath(item, this.key);
        const list =
          typeof k === "string" ? this.byKey.get(k) : typeof k === "number" ? this.byKey.get(String(k)) : undefined;
        if (!list) continue;
        for (const e of list) {
          const node = readPath(item, e.value);
          if (node === undefined) continue;
          found = true;
          emit(e, node, item, this.codes, this.out, sink);
        }
      }
    } else {
      for (const e of this.entries) {
        const node = readPath(doc, e.value);
        // A missing field is normal in a UNS object or a delta (only what changed is sent).
        if (node === undefined) continue;
        found = true;
        emit(e, node, doc, this.codes, this.out, sink);
      }
    }
    if (!found) sink.note("unbound", this.absent);
  }
}
