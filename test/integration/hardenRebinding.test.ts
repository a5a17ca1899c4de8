/**
 * DNS rebinding: a page on evil.example whose name now points at this server
 * sends `Host: evil.example` and `Origin: http://evil.example`. It must get
 * neither a development admin token nor a room connection (ALLOWED_HOSTS).
 */
import http from "node:http";
import { describe, expect, it } from "vitest";
import { useServerAndPublisher } from "./harness.ts";

const ctx = useServerAndPublisher({ ALLOWED_HOSTS: "gemba.plant.lan" });

function raw(
  path: string,
  headers: Record<string, string>,
  opts: { method?: string; body?: string } = {},
): Promise<{ status: number; body: string; upgraded: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port: ctx.h.server.port,
      path,
      method: opts.method ?? "GET",
      headers,
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path} in 10 s`)));
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, upgraded: false }));
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: "", upgraded: true });
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const signIn = (headers: Record<string, string>) =>
  raw(
    "/api/auth/dev",
    { "content-type": "application/json", ...headers },
    { method: "POST", body: JSON.stringify({ name: "Mallory", role: "admin" }) },
  );

const upgrade = (headers: Record<string, string>) =>
  raw("/some-process/some-room?sessionId=x", {
    connection: "Upgrade",
    upgrade: "websocket",
    "sec-websocket-version": "13",
    "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    ...headers,
  });

describe("attack: DNS rebinding from a page on another site", () => {
  it("gets 421 and no development admin token with the attacker's Host", async () => {
    const r = await signIn({ host: "evil.example", origin: "http://evil.example" });
    expect(r.status).toBe(421);
    expect(r.body).not.toMatch(/token/);
    expect(JSON.parse(r.body)).toEqual({
      error: "This server does not answer to that name. Open it by an address it knows (ALLOWED_HOSTS).",
    });
  });

  it("gets 403 with a known Host but the attacker's Origin", async () => {
    const r = await signIn({ host: `127.0.0.1:${ctx.h.server.port}`, origin: "http://evil.example" });
    expect(r.status).toBe(403);
    expect(r.body).not.toMatch(/token/);
  });

  it("gets no WebSocket: the upgrade is refused before Colyseus sees it", async () => {
    const byHost = await upgrade({ host: "evil.example", origin: "http://evil.example" });
    expect(byHost).toMatchObject({ status: 421, upgraded: false });
    const byOrigin = await upgrade({ host: `localhost:${ctx.h.server.port}`, origin: "http://evil.example" });
    expect(byOrigin).toMatchObject({ status: 403, upgraded: false });
  });

  it("the names the server answers to still work: localhost, 127.0.0.1 and a configured ALLOWED_HOSTS name", async () => {
    for (const host of ["localhost", "127.0.0.1", "gemba.plant.lan"]) {
      const r = await signIn({ host: `${host}:${ctx.h.server.port}`, origin: `http://${host}:${ctx.h.server.port}` });
      expect(r.status, host).toBe(200);
      expect(JSON.parse(r.body)).toHaveProperty("token");
    }
  });

  it("counts the refusals by reason for the administrator's metrics", async () => {
    const admin = JSON.parse((await signIn({ host: "localhost" })).body) as { token: string };
    const m = await raw("/api/metrics", { host: "localhost", authorization: `Bearer ${admin.token}` });
    const edge = (JSON.parse(m.body) as { edge: Record<string, number> }).edge;
    expect(edge["refused.host"]).toBeGreaterThanOrEqual(2);
    expect(edge["refused.origin"]).toBeGreaterThanOrEqual(2);
  });
});
