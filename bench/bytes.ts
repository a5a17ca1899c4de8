/**
 * Bytes bench: what one @colyseus/sdk client receives over its WebSocket per
 * second, against the raw MQTT bytes of the same stream, measured at the same
 * time: one SDK client and one bare mqtt.js subscriber (each in its own child
 * process) on the server's topics, while a publisher child sends realistic samples
 * (`{"v": <value at the point's decimals>, "ts": <integer ms>}`) at a paced rate.
 *
 * Client bytes are read from the TCP socket under the SDK's WebSocket (frames
 * included) and from the SDK's message events (payloads). Raw bytes are the
 * PUBLISH packets the publisher sent in the window (exact sizes), cross-checked
 * with the bytes the bare subscriber's socket read. The goal ratio divides by the
 * packets without the bench's topic prefix, as a plant would publish them.
 */
import {
  BROKER,
  demoPoints,
  mqttPublishBytes,
  round,
  spawnChild,
  startBenchServer,
  type BenchServer,
  type PointSpec,
} from "./common.ts";
import { pacedRun, type ServerSide } from "./latency.ts";

export interface BytesParams {
  rates: number[];
  warmupMs: number;
  durationMs: number;
}

export async function runBytes(p: BytesParams) {
  const points: PointSpec[] = await demoPoints();
  const pub = spawnChild("publisher.ts");
  let srv: BenchServer | null = null;
  const runs = [];
  try {
    srv = await startBenchServer();
    const s = srv;
    for (const rate of p.rates) {
      const r = await pacedRun({
        pub,
        points,
        prefix: s.prefix,
        setups: [
          async (cli) => {
            cli.send({ type: "sdk", endpoint: s.endpoint, clients: 1 });
            await cli.next("ready", 60_000);
          },
          async (cli) => {
            cli.send({ type: "mqtt", url: BROKER, filter: `${s.prefix}gemba/demo/+/+` });
            await cli.next("ready");
          },
        ],
        rate,
        warmupMs: p.warmupMs,
        durationMs: p.durationMs,
        srv: s,
        tsFormat: "int",
      });
      const secs = p.durationMs / 1000;
      const w = r.pubReport.window;
      const sdk = r.receivers[0]!.report.sdk!;
      const mqtt = r.receivers[1]!.report.mqtt!;
      const perS = (x: number) => Math.round(x / secs);
      const client = {
        socketBytesPerS: perS(sdk.socketBytes[0] ?? Number.NaN),
        messageBytesPerS: perS(sdk.messageBytes[0] ?? Number.NaN),
        messagesPerS: round((sdk.messages[0] ?? Number.NaN) / secs, 1),
        samplesSeenOverSent: round(sdk.samples / w.sent, 4),
      };
      const raw = {
        sentPerS: round(w.sent / secs, 1),
        mqttBytesPerS: perS(w.mqttBytes),
        mqttBytesUnprefixedPerS: perS(w.mqttBytesUnprefixed),
        topicPlusPayloadBytesPerS: perS(w.topicBytes + w.payloadBytes),
        meanPayloadBytes: round(w.payloadBytes / w.sent, 1),
        meanTopicBytes: round(w.topicBytes / w.sent, 1),
        subscriberSocketBytesPerS: perS(mqtt.socketBytes[0] ?? Number.NaN),
        subscriberReceivedOverSent: round(mqtt.samples / w.sent, 4),
      };
      runs.push({
        rate,
        client,
        raw,
        server: r.server satisfies ServerSide | null,
        ratios: {
          clientOverRawUnprefixed: round(client.socketBytesPerS / raw.mqttBytesUnprefixedPerS, 3),
          clientOverRawAsSent: round(client.socketBytesPerS / raw.mqttBytesPerS, 3),
          clientOverSubscriberSocket: round(client.socketBytesPerS / raw.subscriberSocketBytesPerS, 3),
          clientBytesPerSampleSeen: round(sdk.socketBytes[0]! / Math.max(1, sdk.samples), 1),
          rawBytesPerSampleUnprefixed: round(w.mqttBytesUnprefixed / w.sent, 1),
        },
      });
    }
  } finally {
    await pub.stop();
    await srv?.stop();
  }
  const table = runs.map((r) => ({
    "updates/s": r.rate,
    "client B/s (ws socket)": r.client.socketBytesPerS,
    "raw MQTT B/s (plant topics)": r.raw.mqttBytesUnprefixedPerS,
    "client / raw": r.ratios.clientOverRawUnprefixed,
    "raw MQTT B/s (as sent)": r.raw.mqttBytesPerS,
    "subscriber socket B/s": r.raw.subscriberSocketBytesPerS,
    "client B/sample": r.ratios.clientBytesPerSampleSeen,
    "raw B/sample": r.ratios.rawBytesPerSampleUnprefixed,
    "seen/sent": r.client.samplesSeenOverSent,
  }));
  const r1k = runs.find((r) => r.rate === 1000)?.ratios.clientOverRawUnprefixed ?? null;
  const r10k = runs.find((r) => r.rate === 10_000)?.ratios.clientOverRawUnprefixed ?? null;
  const ratios = {
    clientOverRawAt1k: r1k,
    clientOverRawAt10k: r10k,
    goal: "client bytes <= 0.3 x raw MQTT JSON bytes at 1k updates/s and <= 0.15 x at 10k (issue #26)",
    goalMet: r1k !== null && r10k !== null ? r1k <= 0.3 && r10k <= 0.15 : null,
  };
  return {
    params: { ...p, points: points.length, sdkClients: 1, payload: '{"v": <decimals>, "ts": <int ms>}' },
    mqttHeaderNote: `PUBLISH QoS 0 = 1 + varint(len) + 2 + topic + payload; e.g. ${mqttPublishBytes(21, 29)} B for a 21 B topic and 29 B payload`,
    runs,
    ratios,
    table,
  };
}
