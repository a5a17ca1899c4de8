/**
 * The plant broker is down when the server starts (power cut, broker restarting after a patch): the server still
 * starts, shows the plant offline with the reason (/healthz and the room's status), and connects when the broker
 * comes. The broker here is an in-process aedes started on the port the server was pointed at.
 */
import net from "node:net";
import { Aedes } from "aedes";
import { afterAll, describe, expect, it } from "vitest";
import type { Health } from "../../shared/protocol.ts";
import { join, publisher, startServer, waitForState, type Harness } from "./harness.ts";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

let h: Harness | undefined;
let broker: { aedes: Aedes; server: net.Server } | undefined;
afterAll(async () => {
  await h?.server.stop();
  if (broker) {
    await new Promise<void>((r) => broker!.server.close(() => r()));
    await new Promise<void>((r) => broker!.aedes.close(() => r()));
  }
});

describe("plant broker down at start", () => {
  it("the server starts, shows the plant offline with the reason, and receives values once the broker comes", async () => {
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    // aedes speaks MQTT 3.1.1 only (it refuses a version-5 CONNECT with "Unacceptable protocol version").
    h = await startServer({ MQTT_URL: url, MQTT_VERSION: "3.1.1" });
    expect(h.logs.some((l) => l.includes(`No connection to the plant broker at ${url}`))).toBe(true);

    const res = await fetch(`http://127.0.0.1:${h.server.port}/healthz`);
    expect(res.status).toBe(503);
    const health = (await res.json()) as Health;
    expect(health.mqtt.connected).toBe(false);
    expect(health.mqtt.offline).toMatch(
      new RegExp(
        `^No connection to the plant broker at mqtt://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\); retrying`,
      ),
    );

    const room = await join(h, "Night Shift");
    const offline = await waitForState(room, (s) => (s.offline ?? "") !== "", "the plant shown offline");
    expect(offline.offline).toContain(`No connection to the plant broker at ${url}`);

    const aedes = await Aedes.createBroker();
    const server = net.createServer(aedes.handle);
    broker = { aedes, server };
    const connected = new Promise<void>((resolve) => aedes.on("subscribe", () => resolve()));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
    await waitForState(room, (s) => s.offline === "", "the plant back online", 15_000);
    await connected; // the server subscribed the plant's topics on the new broker

    const pub = await publisher(url);
    await pub.publishAsync(`${h.config.topicPrefix}gemba/demo/T101/level`, JSON.stringify({ v: 61.5 }));
    await waitForState(room, (s) => s.twins.get("T101")?.points.get("level")?.v === 61.5, "a value from the broker");
    await pub.endAsync(true);
    const after = (await (await fetch(`http://127.0.0.1:${h.server.port}/healthz`)).json()) as Health;
    expect(after.mqtt).toMatchObject({ connected: true, offline: "" });
    await room.leave();
  });
});
