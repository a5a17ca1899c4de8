/** "Move to another device" on a real server: the link it hands out, and PUBLIC_URL at start-up. */
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../server/config.ts";
import { startServer, testConfig, type Harness } from "./harness.ts";

let h: Harness | null = null;
afterEach(async () => {
  await h?.server.stop();
  h = null;
});

/** GET /api/device-link as a page at `host` asks it (fetch cannot set Host; node:http can). */
function linkFrom(server: Harness, host = "localhost"): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: "127.0.0.1",
        port: server.server.port,
        path: "/api/device-link",
        headers: { Host: `${host}:${server.server.port}` },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    req.on("error", reject);
  });
}

describe("the device link on a real server", () => {
  it("on the default HOST the page is told a phone cannot reach it, and why", async () => {
    h = await startServer();
    const { status, body } = await linkFrom(h);
    expect(status).toBe(200);
    expect(body).toMatchObject({ base: `http://localhost:${h.server.port}`, reachable: false });
    expect((body as { note: string }).note).toMatch(/HOST=127\.0\.0\.1/);
  });

  it("with PUBLIC_URL the link uses it, and the server answers to that name", async () => {
    h = await startServer({ PUBLIC_URL: "https://gemba.plant.lan/" });
    expect(await linkFrom(h)).toEqual({
      status: 200,
      body: { base: "https://gemba.plant.lan", reachable: true, note: null },
    });
    // The Host allow-list accepts the public name (a proxy in front forwards it as is).
    expect((await linkFrom(h, "gemba.plant.lan")).status).toBe(200);
  });

  it("a malformed PUBLIC_URL stops start-up with one sentence", () => {
    expect(() => testConfig({ PUBLIC_URL: "gemba.plant.lan" })).toThrow(ConfigError);
    expect(() => testConfig({ PUBLIC_URL: "gemba.plant.lan" })).toThrow(/PUBLIC_URL must be an address like/);
  });
});
