/**
 * Real plant JSON through the real path: Mosquitto -> PlantIngest -> twin -> room -> @colyseus/sdk client.
 * An OPC Publisher-style PubSub writer group (two writers, one topic, a Bad field without a value)
 * and a UNS object reach a room client with the right values, qualities and source timestamps.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MqttClient } from "mqtt";
import { Quality } from "../../shared/status.ts";
import { adminMetrics, eventually, join, publisher, startServer, waitForState, type Harness } from "./harness.ts";
import { keepAlive, writerGroup } from "../fixtures/opcuaPart14.ts";

import { demoPlantWithBindings } from "../unit/fixtures.ts";

let h: Harness;
let pub: MqttClient;
let plantsDir: string;
beforeAll(async () => {
  plantsDir = demoPlantWithBindings([
    {
      topic: "opcpublisher/line1",
      format: "opcua-json",
      publisher: "line-1-publisher",
      writerId: 1,
      twin: "T101",
      points: [
        { point: "level", field: "Tank 1.Level" },
        { point: "temperature", field: "nsu=http://example.com/plant;s=Tank 1.Temperature" },
        { point: "pressure", field: "ns=2;i=1001" },
      ],
    },
    {
      topic: "opcpublisher/line1",
      format: "opcua-json",
      writerName: "Pumps",
      points: [
        { twin: "T102", point: "level", field: "Tank 1.Level" },
        { twin: "P102", point: "flow", field: "P101.Flow" },
      ],
    },
    {
      topic: "acme/{site}/{area}/{twin}",
      format: "json",
      timestamp: "timestamp",
      points: [
        { point: "temperature", value: "Temperature" },
        { point: "pressure", value: "Pressure" },
      ],
    },
  ]).plantsDir;
  h = await startServer({ PLANTS_DIR: plantsDir, SIM: "off" });
  pub = await publisher();
});
afterAll(async () => {
  await pub?.endAsync();
  await h?.server.stop();
  if (plantsDir) fs.rmSync(plantsDir, { recursive: true, force: true });
});

type Metrics = { plants: { id: string; ingest: Record<string, number> }[] };
const ingestCounters = async () => (await adminMetrics<Metrics>(h.server.port)).plants[0]!.ingest;

describe("real plant JSON over the real broker", () => {
  it("a batch of OPC UA PubSub NetworkMessages (a keep-alive and a writer group): each writer's fields land on their points with quality and source time; Bad without a value keeps the last value", async () => {
    const room = await join(h, "Opc");
    const p = h.config.topicPrefix;
    // P102 flow has a last-known value first (the demo's own topic).
    const before = Date.now() - 5000;
    await pub.publishAsync(`${p}gemba/demo/P102/flow`, JSON.stringify({ v: 2.75, ts: before }));
    await waitForState(room, (s) => s.twins.get("P102")?.points.get("flow")?.v === 2.75, "P102 flow 2.75");

    const ts = new Date(Date.now() - 1000).toISOString();
    // OPC Publisher batches NetworkMessages into one JSON array per MQTT message.
    await pub.publishAsync(`${p}opcpublisher/line1`, JSON.stringify([keepAlive, writerGroup(ts)]));
    const s = await waitForState(
      room,
      (st) =>
        st.twins.get("T101")?.points.get("level")?.v === 62.5 &&
        st.twins.get("T102")?.points.get("level")?.v === 999 &&
        st.twins.get("P102")?.points.get("flow")?.q === Quality.BAD,
      "writer group applied",
    );
    const t101 = s.twins.get("T101")!.points;
    expect(t101.get("level")).toMatchObject({ v: 62.5, ts: Date.parse(ts), q: Quality.GOOD });
    expect(t101.get("temperature")).toMatchObject({ v: 21, q: Quality.GOOD }); // Int64 as text
    expect(t101.get("pressure")).toMatchObject({ v: 3.25, q: Quality.UNCERTAIN });
    expect(s.twins.get("P102")!.points.get("flow")).toMatchObject({ v: 2.75, ts: before, q: Quality.BAD });
    // The source's own code is kept with the point on the twin.
    const rt = h.server.hub.loaded()[0]!;
    const flow = rt.twin.points[rt.twin.indexOf("P102", "flow")!]!;
    expect(flow.code).toBe("0x808B0000 BadDeviceFailure");
    await room.leave();
  });

  it("a UNS object maps several points of one twin from a {site}/{area}/{twin} topic", async () => {
    const room = await join(h, "Uns");
    const ts = Date.now() - 2000;
    const payload = {
      timestamp: new Date(ts).toISOString(),
      Temperature: { value: 21.5, quality: "GOOD", timestamp: new Date(ts - 500).toISOString() },
      Pressure: { value: "3", quality: "Uncertain" },
    };
    await pub.publishAsync(`${h.config.topicPrefix}acme/berlin/brewing/T201`, JSON.stringify(payload));
    const s = await waitForState(
      room,
      (st) =>
        st.twins.get("T201")?.points.get("pressure")?.v === 3 &&
        st.twins.get("T201")?.points.get("temperature")?.v === 21.5,
      "T201 from the UNS object",
    );
    expect(s.twins.get("T201")!.points.get("temperature")).toMatchObject({ ts: ts - 500, q: Quality.GOOD });
    expect(s.twins.get("T201")!.points.get("pressure")).toMatchObject({ ts, q: Quality.UNCERTAIN });
    await room.leave();
  });

  it("keep-alives and metadata are counted under their own names in /api/metrics, not as bad values", async () => {
    const c0 = await ingestCounters();
    const topic = `${h.config.topicPrefix}opcpublisher/line1`;
    await pub.publishAsync(
      topic,
      JSON.stringify({
        MessageType: "ua-data",
        PublisherId: "line-1-publisher",
        Messages: [{ DataSetWriterId: 1, MessageType: "ua-keepalive" }],
      }),
    );
    await pub.publishAsync(
      topic,
      JSON.stringify({ MessageId: "1", MessageType: "ua-metadata", DataSetWriterId: 1, MetaData: {} }),
    );
    const c = await eventually(async () => {
      const c1 = await ingestCounters();
      return c1["keep-alive"]! > c0["keep-alive"]! && c1["metadata"]! > c0["metadata"]! ? c1 : undefined;
    }, "keep-alive and metadata counted");
    expect(c["bad-value"]).toBe(c0["bad-value"]);
  });
});
