/**
 * Bench receivers (a child process, apart from the server's event loop):
 * N @colyseus/sdk clients in one plant room, and/or a bare mqtt.js subscriber, and/or N plain WebSocket clients of
 * another server that forwards MQTT messages as JSON text (Node-RED's websocket out with the whole message).
 * For every point sample they decode they record `receive time − ts` (the
 * publisher's send time); they also count the bytes read from each socket.
 * Only samples whose `ts` falls inside the parent's window are counted.
 */
import type { Socket } from "node:net";
import mqtt, { type MqttClient } from "mqtt";
import WebSocket from "ws";
import { Callbacks, type Room } from "@colyseus/sdk";
import { devClient } from "../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../shared/protocol.ts";
import { PlantRoomState } from "../shared/state.ts";
import { loadMeter, nowMs, onParentMessage, percentile, round, toParent, type Load } from "./childSide.ts";

export type ClientsMsg =
  /**
   * `presenceHz` > 0: each client also sends a moving head pose at that rate (as a headset would).
   * `decode: false`: a light client (bench/load.ts): it joins with the SDK, sends its presence, then only counts
   * the bytes and messages it receives and hands nothing to the SDK's decoder, so many of them cost little CPU.
   */
  | {
      type: "sdk";
      endpoint: string;
      clients: number;
      presenceHz?: number;
      namePrefix?: string;
      plant?: string;
      decode?: boolean;
    }
  | { type: "mqtt"; url: string; filter: string }
  /** Plain WebSocket receivers of `{"topic": …, "payload": {"v": …, "ts": …}}` text messages (Node-RED's flow). */
  | { type: "ws"; url: string; clients: number }
  | { type: "window"; from: number; to: number }
  | { type: "report" };

export interface LatencyStats {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export interface ReceiverReport {
  /** Samples decoded with `ts` inside the window, summed over receivers. */
  samples: number;
  /** Latency in this process's clock minus the publisher's (the parent corrects the offset). */
  latency: LatencyStats;
  /** Bytes read from each receiver's TCP socket during the window (WebSocket or MQTT framing included). */
  socketBytes: number[];
  /** WebSocket message payload bytes per receiver during the window (SDK only). */
  messageBytes: number[];
  messages: number[];
}

export interface ClientsReport {
  type: "report";
  sdk: ReceiverReport | null;
  mqtt: ReceiverReport | null;
  ws: ReceiverReport | null;
  /** This process over the window: all receivers share one event loop. */
  load: Load | null;
  /** The room each decoding SDK client sat in (which rooms the freshness sample covers). */
  sdkRooms: string[];
  /** Light SDK clients (decode: false): bytes and messages only. */
  light: ReceiverReport | null;
}

/** A growable list of latencies without per-sample allocation. */
class Samples {
  private buf = new Float64Array(1 << 16);
  length = 0;
  push(x: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = x;
  }
  stats(): LatencyStats {
    const s = this.buf.subarray(0, this.length).sort();
    let sum = 0;
    for (let i = 0; i < s.length; i++) sum += s[i]!;
    return {
      count: s.length,
      meanMs: round(sum / Math.max(1, s.length), 3),
      p50Ms: round(percentile(s, 50), 3),
      p95Ms: round(percentile(s, 95), 3),
      p99Ms: round(percentile(s, 99), 3),
      p999Ms: round(percentile(s, 99.9), 3),
      maxMs: round(s.length ? s[s.length - 1]! : Number.NaN, 3),
    };
  }
}

interface Receiver {
  samples: Samples;
  inWindow: number;
  socket: () => Socket | undefined;
  socketAtFrom: number;
  socketAtTo: number;
  messageBytes: number;
  messages: number;
  messageBytesAtFrom: number;
  messagesAtFrom: number;
  messageBytesAtTo: number;
  messagesAtTo: number;
}

let windowFrom = Infinity;
let windowTo = -Infinity;
const sdkReceivers: Receiver[] = [];
const mqttReceivers: Receiver[] = [];
const sdkSamples = new Samples();
const mqttSamples = new Samples();
const wsReceivers: Receiver[] = [];
const lightReceivers: Receiver[] = [];
const sdkRooms: string[] = [];
const wsSamples = new Samples();
const sockets: WebSocket[] = [];
const rooms: Room<unknown, PlantRoomState>[] = [];
let mqttClient: MqttClient | null = null;
let meter: (() => Load) | null = null;
let load: Load | null = null;

function receiver(samples: Samples, socket: () => Socket | undefined): Receiver {
  return {
    samples,
    inWindow: 0,
    socket,
    socketAtFrom: 0,
    socketAtTo: 0,
    messageBytes: 0,
    messages: 0,
    messageBytesAtFrom: 0,
    messagesAtFrom: 0,
    messageBytesAtTo: 0,
    messagesAtTo: 0,
  };
}

function record(r: Receiver, ts: number, now: number): void {
  if (ts < windowFrom || ts >= windowTo) return;
  r.inWindow++;
  r.samples.push(now - ts);
}

const presenceTimers: ReturnType<typeof setInterval>[] = [];

/** A slow walk around a circle, so every pose differs (the room forwards only changes). */
function sendPresence(room: Room<unknown, PlantRoomState>, hz: number, k: number): void {
  let step = 0;
  presenceTimers.push(
    setInterval(
      () => {
        const a = (step++ * 0.05 + k) % (2 * Math.PI);
        room.send("pose", { h: [Math.cos(a) * 5, 1.7, Math.sin(a) * 5, 0, Math.sin(a / 2), 0, Math.cos(a / 2)] });
      },
      Math.round(1000 / hz),
    ),
  );
}

async function joinSdk(
  endpoint: string,
  n: number,
  presenceHz = 0,
  namePrefix = "bench-",
  plant = "demo",
  decode = true,
): Promise<void> {
  for (let k = 0; k < n; k++) {
    const client = await devClient(endpoint, `${namePrefix}${k}`);
    const room = await client.joinOrCreate<PlantRoomState>(
      PLANT_ROOM,
      { protocol: PROTOCOL_VERSION, plant, name: `${namePrefix}${k}`, device: "desktop" },
      PlantRoomState,
    );
    room.onMessage("welcome", () => {});
    room.onMessage("error", () => {});
    // The SDK's Node transport keeps the `ws` socket on `transport.ws`; its `_socket` is the TCP socket.
    const transport = room.connection.transport as unknown as { ws?: { _socket?: Socket } };
    const r = receiver(sdkSamples, () => transport.ws?._socket);
    const events = room.connection.events;
    if (!decode) {
      // Joined (the handshake is done): from here on, count what arrives and decode nothing.
      events.onmessage = (ev: { data: ArrayBuffer }) => {
        r.messages++;
        r.messageBytes += ev.data.byteLength;
      };
      rooms.push(room);
      if (presenceHz > 0) sendPresence(room, presenceHz, k);
      lightReceivers.push(r);
      continue;
    }
    sdkRooms.push(room.roomId);
    const onmessage = events.onmessage;
    events.onmessage = (ev: { data: ArrayBuffer }) => {
      r.messages++;
      r.messageBytes += ev.data.byteLength;
      return onmessage?.(ev) as unknown;
    };
    const cb = Callbacks.get(room);
    cb.onAdd("twins", (twin) => {
      cb.onAdd(twin, "points", (point) => {
        cb.listen(point, "ts", (ts: number) => record(r, ts, nowMs()), false);
      });
    });
    rooms.push(room);
    if (presenceHz > 0) sendPresence(room, presenceHz, k);
    sdkReceivers.push(r);
  }
}

async function subscribeMqtt(url: string, filter: string): Promise<void> {
  mqttClient = await mqtt.connectAsync(url, { clientId: `gemba-bench-sub-${process.pid}`, reconnectPeriod: 0 });
  const c = mqttClient;
  const r = receiver(mqttSamples, () => c.stream as unknown as Socket);
  c.on("message", (_topic, payload) => {
    const now = nowMs();
    r.messages++;
    const doc = JSON.parse(payload.toString("utf8")) as { ts: number };
    record(r, doc.ts, now);
  });
  await c.subscribeAsync(filter, { qos: 0 });
  mqttReceivers.push(r);
}

async function joinWs(url: string, n: number): Promise<void> {
  for (let k = 0; k < n; k++) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    // `ws` keeps the TCP socket on `_socket` (as the SDK's transport does).
    const r = receiver(wsSamples, () => (ws as unknown as { _socket?: Socket })._socket);
    ws.on("message", (data: Buffer) => {
      const now = nowMs();
      r.messages++;
      r.messageBytes += data.length;
      const doc = JSON.parse(data.toString("utf8")) as { payload: { ts: number } };
      record(r, doc.payload.ts, now);
    });
    sockets.push(ws);
    wsReceivers.push(r);
  }
}

function snapshot(edge: "from" | "to"): void {
  for (const r of [...sdkReceivers, ...mqttReceivers, ...wsReceivers, ...lightReceivers]) {
    const bytes = r.socket()?.bytesRead ?? 0;
    if (edge === "from") {
      r.socketAtFrom = bytes;
      r.messageBytesAtFrom = r.messageBytes;
      r.messagesAtFrom = r.messages;
    } else {
      r.socketAtTo = bytes;
      r.messageBytesAtTo = r.messageBytes;
      r.messagesAtTo = r.messages;
    }
  }
}

function report(list: Receiver[], samples: Samples, withMessages: boolean): ReceiverReport | null {
  if (list.length === 0) return null;
  return {
    samples: list.reduce((n, r) => n + r.inWindow, 0),
    latency: samples.stats(),
    socketBytes: list.map((r) => r.socketAtTo - r.socketAtFrom),
    messageBytes: withMessages ? list.map((r) => r.messageBytesAtTo - r.messageBytesAtFrom) : [],
    messages: list.map((r) => r.messagesAtTo - r.messagesAtFrom),
  };
}

onParentMessage(async (raw) => {
  const m = raw as unknown as ClientsMsg;
  if (m.type === "sdk") {
    await joinSdk(m.endpoint, m.clients, m.presenceHz, m.namePrefix, m.plant, m.decode ?? true);
    toParent({ type: "ready" });
  } else if (m.type === "mqtt") {
    await subscribeMqtt(m.url, m.filter);
    toParent({ type: "ready" });
  } else if (m.type === "ws") {
    await joinWs(m.url, m.clients);
    toParent({ type: "ready" });
  } else if (m.type === "window") {
    windowFrom = m.from;
    windowTo = m.to;
    setTimeout(
      () => {
        snapshot("from");
        meter = loadMeter();
      },
      Math.max(0, m.from - nowMs()),
    );
    setTimeout(
      () => {
        snapshot("to");
        load = meter?.() ?? null;
      },
      Math.max(0, m.to - nowMs()),
    );
  } else if (m.type === "report") {
    const out: ClientsReport = {
      type: "report",
      sdk: report(sdkReceivers, sdkSamples, true),
      mqtt: report(mqttReceivers, mqttSamples, false),
      ws: report(wsReceivers, wsSamples, true),
      load,
      sdkRooms,
      light: report(lightReceivers, new Samples(), true),
    };
    for (const t of presenceTimers.splice(0)) clearInterval(t);
    for (const room of rooms) await room.leave().catch(() => {});
    await mqttClient?.endAsync(true);
    for (const ws of sockets) ws.close();
    toParent(out);
  }
});
