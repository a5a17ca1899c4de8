/**
 * Bench publisher (a child process, so it never shares the measured event
 * loop): publishes demo-plant samples `{"v": number, "ts": ms}` at QoS 0 to
 * the real broker, either as fast as it can (a fixed count) or paced at a
 * rate. Each payload carries its publish time in `ts` for latency benches.
 */
import type { Socket } from "node:net";
import mqtt, { type MqttClient } from "mqtt";
import type { PointSpec } from "./common.ts";
import { networkMessage, type PubSubGroup } from "./pubsubLayout.ts";
import { mqttPublishBytes, nowMs, onParentMessage, round, toParent } from "./childSide.ts";

export type PublisherMsg =
  /** Topics are `<prefix>gemba/<plant>/<point key>`; `plant` defaults to "demo". */
  | { type: "config"; url: string; prefix: string; points: PointSpec[]; tsFormat: "float" | "int"; plant?: string }
  | { type: "burst"; count: number }
  /** Switch to OPC UA PubSub JSON NetworkMessages (bench/pubsubLayout.ts): one per writer group topic, in turn. */
  | { type: "pubsub"; groups: PubSubGroup[] }
  | { type: "paced"; rate: number; warmupMs: number; durationMs: number };

export interface PublishReport {
  type: "done";
  /** All messages published, warm-up included. */
  sent: number;
  elapsedMs: number;
  /** Messages (and their sizes) whose `ts` falls inside the measured window. */
  window: {
    from: number;
    to: number;
    sent: number;
    topicBytes: number;
    payloadBytes: number;
    mqttBytes: number;
    /** PUBLISH packet bytes had the topics no bench prefix (as a plant would publish them). */
    mqttBytesUnprefixed: number;
  };
}

let client: MqttClient | null = null;
let topics: string[] = [];
let points: PointSpec[] = [];
let intTs = false;
let seq = 0;
let prefixBytes = 0;
let groups: PubSubGroup[] | null = null;
let pubsubT0 = 0;
const noDelay = process.env["BENCH_PUB_NAGLE"] !== "on";

function payload(i: number, ts: number): string {
  const p = points[i]!;
  const f = 10 ** p.decimals;
  const v = Math.round((p.base + p.amplitude * Math.sin(seq * 0.001 + i)) * f) / f;
  return `{"v":${v},"ts":${intTs ? Math.round(ts) : round(ts, 3)}}`;
}

/** QoS 0 publish; the callback fires once the packet is handed to the socket, which paces a burst. */
function publishOne(cb?: () => void): { topic: string; body: string; ts: number } {
  const ts = nowMs();
  if (groups) {
    const g = groups[seq % groups.length]!;
    // Source times one millisecond apart per message, ending about now: every field's time moves on with each of its
    // messages (ISO 8601 carries milliseconds), so each sample is a new current value, none late or future-stamped.
    const body = networkMessage(g, seq, points, pubsubT0 + seq);
    seq++;
    client!.publish(g.topic, body, { qos: 0 }, cb);
    return { topic: g.topic, body, ts };
  }
  const i = seq % topics.length;
  const body = payload(i, ts);
  const topic = topics[i]!;
  seq++;
  client!.publish(topic, body, { qos: 0 }, cb);
  return { topic, body, ts };
}

async function burst(count: number): Promise<PublishReport> {
  pubsubT0 = Date.now() - count - seq;
  const t0 = nowMs();
  const window = {
    from: t0,
    to: Infinity,
    sent: 0,
    topicBytes: 0,
    payloadBytes: 0,
    mqttBytes: 0,
    mqttBytesUnprefixed: 0,
  };
  const batch = 1000;
  for (let sent = 0; sent < count;) {
    const n = Math.min(batch, count - sent);
    await new Promise<void>((resolve) => {
      for (let k = 0; k < n; k++) publishOne(k === n - 1 ? resolve : undefined);
    });
    sent += n;
  }
  window.sent = count;
  return { type: "done", sent: count, elapsedMs: round(nowMs() - t0, 1), window };
}

async function paced(rate: number, warmupMs: number, durationMs: number): Promise<PublishReport> {
  const t0 = nowMs();
  toParent({ type: "started", t0 });
  const from = t0 + warmupMs;
  const to = from + durationMs;
  const window = { from, to, sent: 0, topicBytes: 0, payloadBytes: 0, mqttBytes: 0, mqttBytesUnprefixed: 0 };
  let sent = 0;
  for (;;) {
    const now = nowMs();
    if (now >= to) break;
    const due = Math.floor(((now - t0) * rate) / 1000);
    for (; sent < due; sent++) {
      const m = publishOne();
      if (m.ts >= from && m.ts < to) {
        const tb = Buffer.byteLength(m.topic);
        const pb = Buffer.byteLength(m.body);
        window.sent++;
        window.topicBytes += tb;
        window.payloadBytes += pb;
        window.mqttBytes += mqttPublishBytes(tb, pb);
        window.mqttBytesUnprefixed += mqttPublishBytes(tb - prefixBytes, pb);
      }
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  // Let the socket drain before reporting.
  await new Promise<void>((resolve) => client!.publish(topics[0]!, payload(0, nowMs()), { qos: 0 }, () => resolve()));
  return { type: "done", sent: sent + 1, elapsedMs: round(nowMs() - t0, 1), window };
}

onParentMessage(async (raw) => {
  const m = raw as unknown as PublisherMsg;
  if (m.type === "config") {
    points = m.points;
    groups = null;
    topics = m.points.map((p) => `${m.prefix}gemba/${m.plant ?? "demo"}/${p.key}`);
    intTs = m.tsFormat === "int";
    seq = 0;
    prefixBytes = Buffer.byteLength(m.prefix);
    await client?.endAsync(true);
    client = await mqtt.connectAsync(m.url, {
      clientId: `gemba-bench-pub-${process.pid}`,
      reconnectPeriod: 0,
    });
    // Without this, Nagle's algorithm and the broker's delayed ACK hold small publishes up to ~40 ms
    // at 10k msgs/s: a publisher artefact that would hide what the receivers add.
    if (noDelay) (client.stream as unknown as Socket).setNoDelay(true);
    toParent({ type: "ready" });
  } else if (m.type === "pubsub") {
    groups = m.groups;
    seq = 0;
    toParent({ type: "ready" });
  } else if (m.type === "burst") {
    toParent(await burst(m.count));
  } else if (m.type === "paced") {
    toParent(await paced(m.rate, m.warmupMs, m.durationMs));
  }
});
