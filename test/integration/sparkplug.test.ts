import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import sparkplug from "sparkplug-payload";
import { Quality } from "../../shared/status.ts";
import { MOSQUITTO, join, startServer, waitForState, type Harness } from "./harness.ts";

const spb = sparkplug.get("spBv1.0")!;
import { demoPlantWithBindings } from "../unit/fixtures.ts";
const GROUP = `Gemba-${randomUUID().slice(0, 8)}`;

let h: Harness;
let plantsDir: string;
beforeAll(async () => {
  // A copy of the demo plant with one Sparkplug binding added.
  plantsDir = demoPlantWithBindings([
    {
      format: "sparkplug",
      group: GROUP,
      node: "Edge1",
      metrics: { "Tank/Level": "T101/level", "Pump/Flow": "P101/flow" },
    },
  ]).plantsDir;
  h = await startServer({ PLANTS_DIR: plantsDir, SIM: "off" });
});
afterAll(async () => {
  await h?.server.stop();
  if (plantsDir) fs.rmSync(plantsDir, { recursive: true, force: true });
});

describe("Sparkplug B: Mosquitto → SparkplugIngest → twin → room → @colyseus/sdk client", () => {
  it("an NBIRTH and an NDATA reach a room client; the edge node's death (its MQTT will) turns the point bad", async () => {
    const room = await join(h, "Sparky");
    // The Sparkplug namespace is fixed: MQTT_TOPIC_PREFIX (set by the harness) is not put in front of it.
    const base = `spBv1.0/${GROUP}`;
    const bdSeq = 3;
    // The edge node registers its NDEATH as its will, as Sparkplug edge nodes do; the broker sends it when the node drops.
    const edge = await mqtt.connectAsync(MOSQUITTO, {
      clientId: `gemba-test-edge-${randomUUID().slice(0, 8)}`,
      reconnectPeriod: 0,
      will: {
        topic: `${base}/NDEATH/Edge1`,
        payload: Buffer.from(spb.encodePayload({ metrics: [{ name: "bdSeq", type: "UInt64", value: bdSeq }] })),
        qos: 0,
        retain: false,
      },
    });
    const ts = Date.now() - 1000;
    await edge.publishAsync(
      `${base}/NBIRTH/Edge1`,
      Buffer.from(
        spb.encodePayload({
          timestamp: ts,
          seq: 0,
          metrics: [
            { name: "bdSeq", type: "UInt64", value: bdSeq },
            { name: "Tank/Level", alias: 1, type: "Double", value: 40 },
            { name: "Pump/Flow", alias: 2, type: "Double", value: 2.5 },
          ],
        }),
      ),
    );
    await edge.publishAsync(
      `${base}/NDATA/Edge1`,
      Buffer.from(
        spb.encodePayload({ timestamp: ts + 500, seq: 1, metrics: [{ alias: 1, type: "Double", value: 41.5 }] }),
      ),
    );
    const s = await waitForState(
      room,
      (st) => st.twins.get("T101")?.points.get("level")?.v === 41.5,
      "T101 level 41.5 from NDATA",
    );
    expect(s.twins.get("T101")!.points.get("level")).toMatchObject({ ts: ts + 500, q: Quality.GOOD });
    expect(s.twins.get("P101")!.points.get("flow")).toMatchObject({ v: 2.5, q: Quality.GOOD });

    edge.stream.destroy(); // drop without DISCONNECT: the broker publishes the will
    await waitForState(
      room,
      (st) =>
        st.twins.get("T101")?.points.get("level")?.q === Quality.BAD &&
        st.twins.get("P101")?.points.get("flow")?.q === 2,
      "T101 level and P101 flow bad after NDEATH",
    );
    await edge.endAsync(true);

    const counters = h.server.hub.loaded()[0]!.ingest.counters;
    expect(counters).toMatchObject({ birth: 1, applied: 1, death: 1, "no-birth": 0, "seq-gap": 0 });
    await room.leave();
  });
});
