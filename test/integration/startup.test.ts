import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Health } from "../../shared/protocol.ts";
import { startAppServer } from "../../kit/appServer.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Run `tsx server/main.ts` with env; resolve with its exit code and output once it exits. */
function runMain(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, MQTT_PORT: "0", PORT: "0", SIM: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const t = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`still running after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    p.on("exit", (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
}

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
