/**
 * Decoder for `format: "opcua-json"`: OPC UA PubSub JSON (OPC 10000-14 7.2.5, 1.04 and 1.05)
 * and what Microsoft OPC Publisher sends over MQTT (docs/opc-publisher/messageformats.md in
 * Azure/Industrial-IoT): a NetworkMessage {MessageType:"ua-data", PublisherId, Messages:[...]},
 * a batch (JSON array) of NetworkMessages, bare DataSetMessages, `ua-metadata` messages, and
 * the legacy "Samples" format ({NodeId, DisplayName, Value:{Value, SourceTimestamp, StatusCode}},
 * alone or batched in an array).
 *
 * A DataSetMessage is taken when every selector the binding gives matches (PublisherId,
 * DataSetWriterId compared as text because 1.04 and OPC Publisher's compatibility mode send
 * it as a string, DataSetWriterName). Keep-alives, metadata and events are noted, not errors.
 */
import type { OpcUaBinding } from "../plant/instance.ts";
import { newSampleOut, readSample } from "./jsonSample.ts";
import type { Decoder, SampleSink, SlotTarget } from "./sink.ts";

interface Entry {
  slot: number;
  field: string;
  scale: number;
  offset: number;
  label: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Equal as text without building strings for the common number case. */
function sameId(actual: unknown, wanted: string, wantedNum: number): boolean {
  if (typeof actual === "string") return actual === wanted;
  if (typeof actual === "number") return actual === wantedNum;
  return false;
}

/** A batch larger than this is refused whole: no writer group batches this many messages. */
const MAX_BATCH = 100_000;

export class OpcUaJsonDecoder implements Decoder {
  readonly slots: SlotTarget[] = [];
  private readonly entries: Entry[] = [];
  private readonly byField = new Map<string, Entry[]>();
  private readonly publisher: string | undefined;
  private readonly publisherNum: number;
  private readonly writerId: string | undefined;
  private readonly writerIdNum: number;
  private readonly writerName: string | undefined;
  private readonly out = newSampleOut();
  private readonly unselected: string;
  private readonly absent: string;
  /** Per message: did any selected DataSetMessage carry a bound field? */
  private found = false;

  constructor(b: OpcUaBinding) {
    this.publisher = b.publisher;
    this.publisherNum = b.publisher !== undefined && /^\d+$/.test(b.publisher) ? Number(b.publisher) : Number.NaN;
    this.writerId = b.writerId === undefined ? undefined : String(b.writerId);
    this.writerIdNum = this.writerId !== undefined && /^\d+$/.test(this.writerId) ? Number(this.writerId) : Number.NaN;
    this.writerName = b.writerName;
    b.points.forEach((p, i) => {
      this.slots.push({ twin: p.twin ?? b.twin, point: p.point });
      const e: Entry = {
        slot: i,
        field: p.field,
        scale: p.scale ?? 1,
        offset: p.offset ?? 0,
        label: `field ${JSON.stringify(p.field)}`,
      };
      this.entries.push(e);
      const list = this.byField.get(p.field) ?? [];
      list.push(e);
      this.byField.set(p.field, list);
    });
    const sel = [
      b.publisher !== undefined ? `publisher ${JSON.stringify(b.publisher)}` : "",
      b.writerId !== undefined ? `writer id ${JSON.stringify(b.writerId)}` : "",
      b.writerName !== undefined ? `writer name ${JSON.stringify(b.writerName)}` : "",
    ].filter(Boolean);
    this.unselected = `no DataSetMessage from ${sel.join(", ") || "any writer"} in this message`;
    this.absent = `none of the bound fields (${b.points.map((p) => JSON.stringify(p.field)).join(", ")}) is in the message`;
  }

  decode(doc: unknown, sink: SampleSink): void {
    this.found = false;
    let selected = false;
    if (Array.isArray(doc)) {
      if (doc.length > MAX_BATCH)
        return sink.reject("malformed", `a batch of ${doc.length} messages is over ${MAX_BATCH}`);
      for (let i = 0; i < doc.length; i++) if (this.one(doc[i], sink)) selected = true;
    } else selected = this.one(doc, sink);
    if (this.found) return;
    if (selected) sink.note("unbound", this.absent);
  }

  /** One NetworkMessage, DataSetMessage or Sample. Returns whether a selected data message was seen. */
  private one(m: unknown, sink: SampleSink): boolean {
    if (!isObject(m)) {
      sink.reject(
        "malformed",
        "an element is not a JSON object (expected an OPC UA NetworkMessage, DataSetMessage or sample)",
      );
      return false;
    }
    const type = m["MessageType"];
    if (type === "ua-metadata") {
      sink.note("metadata", "ua-metadata (DataSet description; no values)");
      return false;
    }
    const msgs = m["Messages"];
    if (msgs !== undefined) {
      if (type !== undefined && type !== "ua-data") {
        sink.reject(
          "malformed",
          `NetworkMessage type ${JSON.stringify(type)?.slice(0, 40)} is not ua-data or ua-metadata`,
        );
        return false;
      }
      if (!Array.isArray(msgs)) {
        sink.reject("malformed", "NetworkMessage Messages is not an array");
        return false;
      }
      if (msgs.length === 0) {
        sink.note("keep-alive", "a NetworkMessage with no DataSetMessages");
        return false;
      }
      let selected = false;
      if (msgs.length > MAX_BATCH) {
        sink.reject("malformed", `a NetworkMessage with ${msgs.length} DataSetMessages is over ${MAX_BATCH}`);
        return false;
      }
      for (let i = 0; i < msgs.length; i++) {
        if (this.dataSet(msgs[i], m["PublisherId"], sink)) selected = true;
      }
      return selected;
    }
    if (type === "ua-data") {
      sink.reject("malformed", "a ua-data NetworkMessage without Messages");
      return false;
    }
    if (Object.hasOwn(m, "NodeId")) return this.sample(m, sink);
    if (Object.hasOwn(m, "Payload") || Object.hasOwn(m, "DataSetWriterId") || typeof type === "string")
      return this.dataSet(m, m["PublisherId"], sink);
    sink.reject("malformed", "not an OPC UA NetworkMessage, DataSetMessage or OPC Publisher sample");
    return false;
  }

  private dataSet(d: unknown, publisherId: unknown, sink: SampleSink): boolean {
    if (!isObject(d)) {
      sink.reject("malformed", "a DataSetMessage is not a JSON object");
      return false;
    }
    const type = d["MessageType"];
    const payload = d["Payload"];
    // Part 14: a keep-alive is a DataSetMessage without Payload.
    if (
      type === "ua-keepalive" ||
      (payload === undefined && (type === undefined || type === "ua-keyframe" || type === "ua-deltaframe"))
    ) {
      sink.note("keep-alive", "ua-keepalive (the writer is alive; no values)");
      return false;
    }
    if (type === "ua-event" || type === "ua-condition") {
      sink.note("event", `${type} (events and conditions are not process values)`);
      return false;
    }
    if (type !== undefined && type !== "ua-keyframe" && type !== "ua-deltaframe") {
      sink.reject("malformed", `DataSetMessage type ${JSON.stringify(type)?.slice(0, 40)} is not one OPC UA defines`);
      return false;
    }
    if (!this.selects(publisherId ?? d["PublisherId"], d["DataSetWriterId"], d["DataSetWriterName"])) {
      sink.note("unbound", this.unselected);
      return false;
    }
    if (!isObject(payload)) {
      sink.reject("malformed", "DataSetMessage Payload is not a JSON object");
      return true;
    }
    const status = d["Status"];
    const time = d["Timestamp"];
    for (const e of this.entries) {
      if (!Object.hasOwn(payload, e.field)) continue; // a delta frame carries only what changed
      this.found = true;
      this.emit(e, payload[e.field], status, time, sink);
    }
    return true;
  }

  private sample(m: Record<string, unknown>, sink: SampleSink): boolean {
    const ext = isObject(m["ExtensionFields"]) ? m["ExtensionFields"] : undefined;
    if (!this.selects(ext?.["PublisherId"], ext?.["DataSetWriterId"], ext?.["DataSetWriterName"])) {
      sink.note("unbound", this.unselected);
      return false;
    }
    const id = m["NodeId"];
    const name = m["DisplayName"];
    const list =
      (typeof id === "string" ? this.byField.get(id) : undefined) ??
      (typeof name === "string" ? this.byField.get(name) : undefined);
    if (list) {
      this.found = true;
      for (const e of list) this.emit(e, m["Value"], undefined, m["Timestamp"], sink);
    }
    return true;
  }

  private selects(publisher: unknown, writerId: unknown, writerName: unknown): boolean {
    if (this.publisher !== undefined && !sameId(publisher, this.publisher, this.publisherNum)) return false;
    if (this.writerId !== undefined && !sameId(writerId, this.writerId, this.writerIdNum)) return false;
    if (this.writerName !== undefined && writerName !== this.writerName) return false;
    return true;
  }

  private emit(e: Entry, node: unknown, status: unknown, time: unknown, sink: SampleSink): void {
    const out = this.out;
    if (!readSample(node, e.label, "opcua", status, time, out)) return sink.reject(out.reason, out.detail);
    if (!out.hasValue) return sink.status(e.slot, out.q, out.ts, out.code);
    const v = out.value * e.scale + e.offset;
    if (!Number.isFinite(v)) return sink.reject("bad-value", `${e.label}: scaled value is not finite`);
    sink.value(e.slot, v, out.ts, out.q, out.code);
  }
}
