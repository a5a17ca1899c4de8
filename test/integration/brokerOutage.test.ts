import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../kit/freePort.ts";
import { eventually, join, publisher, startServer, waitForState, type Harness } from "./harness.ts";

/** A private Mosquitto we are allowed to kill (the machine's shared one on 1883 must stay up). */
function startMosquitto(port: number): Promise<ChildProcess> {
  const p = spawn("mosquitto", ["-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("mosquitto did not start")), 10_000);
    const probe = () => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        clearTimeout(t);
        resolve(p);
      });
      s.once("error", () => setTimeout(probe, 50));
    };
    p.once("error", reject);
    probe();
  });
}

let h: Harness | undefined;
let broker: ChildProcess | undefined;
afterAll(async () => {
  await h?.server.stop();
  broker?.kill("SIGKILL");
});

describe("external broker outage", () => {
  it("killing the broker does not crash the server; /healthz reports it down; data resumes when it returns", async () => {
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    broker = await startMosquitto(port);
    h = await startServer({ MQTT_URL: url });
    const room = await join(h, "Ops");
    const topic = `${h.config.topicPrefix}gemba/demo/T103/level`;
    const pub1 = await publisher(url);
    await pub1.publishAsync(topic, JSON.stringify({ v: 30 }));
    await waitForState(room, (s) => s.twins.get("T103")?.points.get("level")?.v === 30, "value before outage");
    await pub1.endAsync(true);

    broker.kill("SIGKILL");
    const healthUrl = `http://127.0.0.1:${h.server.port}/healthz`;
    const down = await eventually(async () => {
      const r = await fetch(healthUrl);
      const b = (await r.json()) as { ok: boolean; mqtt: { connected: boolean } };
      return r.status === 503 && !b.mqtt.connected ? b : undefined;
    }, "healthz to report the broker down");
    expect(down.ok).toBe(false);

    broker = await startMosquitto(port);
    await eventually(
      async () => (((await (await fetch(healthUrl)).json()) as { ok: boolean }).ok ? true : undefined),
      "reconnect",
      20_000,
    );
    const pub2 = await publisher(url);
    await pub2.publishAsync(topic, JSON.stringify({ v: 31 }));
    await waitForState(room, (s) => s.twins.get("T103")?.points.get("level")?.v === 31, "value after recovery");
    await pub2.endAsync(true);
    await room.leave();
  });
});
