import net from "node:net";
import { runMain } from "../../kit/runMain.ts";
import { describe, expect, it } from "vitest";
import type { Health } from "../../shared/protocol.ts";
import { startAppServer } from "../../kit/appServer.ts";

describe("bad configuration ends start-up with one clear sentence", () => {
  it("an unknown plant", async () => {
    const r = await runMain({ PLANT: "atlantis" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Gemba: Cannot start: unknown plant "atlantis".*\(plants here: demo\)/);
  });

  it("a port in use", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runMain({ PORT: String(port) });
      expect(r.code).toBe(1);
      expect(r.out).toContain(
        `Gemba: Cannot start: port ${port} is in use; stop the other program or set PORT to a free port.`,
      );
    } finally {
      blocker.close();
    }
  });

  it("an unreachable broker does not stop start-up: the server serves the plant as offline, with the reason", async () => {
    // Not a configuration error: the broker may be restarting. test/integration/brokerDownAtStart.test.ts follows it up.
    const server = await startAppServer({ MQTT_URL: "mqtt://127.0.0.1:9", SIM: "off" });
    try {
      expect(server.output()).toMatch(
        /MQTT: No connection to the plant broker at mqtt:\/\/127\.0\.0\.1:9 \(.+\); retrying/,
      );
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as Health;
      expect(body.mqtt.offline).toMatch(/^No connection to the plant broker at mqtt:\/\/127\.0\.0\.1:9 /);
    } finally {
      await server.stop();
    }
  });

  it("a malformed setting", async () => {
    const r = await runMain({ PORT: "eighty" });
    expect(r.code).toBe(2);
    expect(r.out).toContain('Gemba: PORT must be a whole number from 0 to 65535, got "eighty".');
  });
});

describe("safe defaults", () => {
  it("refuses to offer development sign-in beyond localhost unless asked to", async () => {
    const r = await runMain({ HOST: "0.0.0.0" });
    expect(r.code).toBe(2);
    expect(r.out).toContain("would let anyone on the network join with any name");
  });
});
