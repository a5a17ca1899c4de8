/**
 * A Unified Namespace keeps each point's last-known value as a retained message. When Gemba starts
 * against such a broker, every one of them must land in the twin: the broker sends them straight
 * after the SUBSCRIBE, often before the SUBACK, so a handler attached late loses some for good.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, publisher, startServer, type Harness } from "./harness.ts";
import { demoPlant } from "../unit/fixtures.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";

const PREFIX = `test-retained-${randomUUID().slice(0, 8)}/`;
let h: Harness | undefined;
const topics: string[] = [];

afterAll(async () => {
  await h?.server.stop();
  // An empty retained payload deletes the retained message: leave the shared broker as we found it.
  const pub = await publisher();
  await Promise.all(topics.map((t) => pub.publishAsync(t, "", { qos: 1, retain: true })));
  await pub.endAsync();
});

describe("retained last-known values at start-up", () => {
  it("every retained value on the broker when Gemba starts is applied (every point of the demo plant, 300+)", async () => {
    const plant = await demoPlant();
    const ts = Date.now() - 60_000;
    const expected = new Map<string, number>();
    const pub = await publisher();
    let n = 0;
    // Every point of the plant, as the demo binding "gemba/demo/{twin}/{point}" names it.
    const points = new PlantTwin(plant.model).points;
    for (const p of points) {
      const v = ++n + 0.5;
      const topic = `${PREFIX}gemba/demo/${p.key}`;
      topics.push(topic);
      expected.set(p.key, v);
      await pub.publishAsync(topic, JSON.stringify({ v, ts }), { qos: 1, retain: true });
    }
    await pub.endAsync();
    // Every point, each on its own topic (the demo has 300 telemetry points and a few bindable properties).
    expect(expected.size).toBe(points.length);
    expect(expected.size).toBeGreaterThanOrEqual(300);

    h = await startServer({ MQTT_TOPIC_PREFIX: PREFIX });
    const twin = h.server.hub.loaded()[0]!.twin;
    const missing = () => twin.points.filter((p) => p.value !== expected.get(p.key)).map((p) => p.key);
    await eventually(() => Promise.resolve(missing().length === 0), "every retained value applied").catch(
      (e: Error) => {
        throw new Error(`${e.message}; missing ${missing().length}: ${missing().slice(0, 5).join(", ")}…`);
      },
    );
    expect(twin.points.every((p) => p.ts === ts)).toBe(true);
  });
});
