/**
 * What a prober learns from errors: nothing about the server's folders, code or other plants,
 * and nothing about its load without an administrator's token (docs/SECURITY.md, threat table).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "@colyseus/sdk";
import { useServerAndPublisher } from "./harness.ts";
import { devToken } from "../../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../../shared/protocol.ts";

const ctx = useServerAndPublisher();
const tokens: Record<string, string> = {};
beforeAll(async () => {
  for (const role of ["viewer", "admin"]) tokens[role] = await devToken(ctx.h.endpoint, `Leak ${role}`, role);
});
const url = (p: string) => `http://127.0.0.1:${ctx.h.server.port}${p}`;

/** Text that would give away the server's insides: a stack frame, a source file, the plants folder. */
function expectNoInsides(text: string): void {
  expect(text).not.toMatch(/\bat .*\(|\.ts:\d+|node_modules|<html|<pre/i);
  expect(text).not.toContain(ctx.h.config.plantsDir);
  expect(text).not.toContain(process.cwd());
}

describe("attack: malformed bodies to provoke a stack trace", () => {
  it.each([
    ["/api/auth/dev", "{not json"],
    ["/api/sim/faults", '{"name": '],
    ["/api/nothing-here", "[1,2"],
  ])("POST %s with broken JSON gets a JSON sentence (400), no stack or path", async (path, body) => {
    const res = await fetch(url(path), { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(JSON.parse(text)).toEqual({ error: "The request body is not valid JSON." });
    expectNoInsides(text);
  });

  it("an oversized body gets 413 as JSON, and the server keeps serving", async () => {
    const body = JSON.stringify({ name: "x".repeat(40_000) });
    const res = await fetch(url("/api/auth/dev"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const text = await res.text();
    expect(res.status).toBe(413);
    expect(JSON.parse(text)).toEqual({ error: "The request body is too large for this API." });
    expectNoInsides(text);
    expect((await fetch(url("/healthz"))).status).toBe(200);
  });
});

describe("attack: probing plant names to map the server", () => {
  it("without a token, an unknown plant answers exactly like a real one (401, same body)", async () => {
    const real = await fetch(url("/api/plants/demo"));
    const fake = await fetch(url("/api/plants/atlantis"));
    expect(fake.status).toBe(real.status);
    expect(await fake.text()).toBe(await real.text());
    const realJ = await fetch(url("/api/plants/demo/journal"));
    const fakeJ = await fetch(url("/api/plants/atlantis/journal"));
    expect(fakeJ.status).toBe(realJ.status);
    expect(await fakeJ.text()).toBe(await realJ.text());
  });

  it("signed in, an unknown plant names neither the plants folder nor the other plants", async () => {
    for (const path of [
      "/api/plants/atlantis",
      "/api/plants/atlantis/history?twin=a&point=b",
      "/plants/atlantis/scene",
    ]) {
      const res = await fetch(url(path), { headers: { authorization: `Bearer ${tokens["viewer"]}` } });
      const text = await res.text();
      expect(res.status).toBe(404);
      expect(JSON.parse(text)).toEqual({
        error: 'unknown plant "atlantis": there is no such plant on this server that you may open.',
      });
      expect(text).not.toContain("demo");
      expectNoInsides(text);
    }
  });

  it("a room join to an unknown plant names neither the plants folder nor the other plants", async () => {
    const client = new Client(ctx.h.endpoint);
    client.auth.token = tokens["viewer"]!;
    const err = await client
      .joinOrCreate(PLANT_ROOM, { protocol: PROTOCOL_VERSION, plant: "atlantis", name: "Probe" })
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(err?.message).toBe('unknown plant "atlantis": there is no such plant on this server that you may open.');
  });

  it("a room join to an unknown plant without a token is refused for the token, like a real plant", async () => {
    const client = new Client(ctx.h.endpoint);
    const fake = await client
      .joinOrCreate(PLANT_ROOM, { protocol: PROTOCOL_VERSION, plant: "atlantis", name: "Probe" })
      .then(
        () => null,
        (e: Error) => e.message,
      );
    const real = await client
      .joinOrCreate(PLANT_ROOM, { protocol: PROTOCOL_VERSION, plant: "demo", name: "Probe" })
      .then(
        () => null,
        (e: Error) => e.message,
      );
    expect(real).toMatch(/Sign in/);
    expect(fake).toBe(real);
  });
});

describe("attack: reading the server's load and plants from /api/metrics", () => {
  it("is refused without a token (401) and for a non-administrator (403); an administrator reads it", async () => {
    expect((await fetch(url("/api/metrics"))).status).toBe(401);
    const viewer = await fetch(url("/api/metrics"), { headers: { authorization: `Bearer ${tokens["viewer"]}` } });
    expect(viewer.status).toBe(403);
    const admin = await fetch(url("/api/metrics"), { headers: { authorization: `Bearer ${tokens["admin"]}` } });
    expect(admin.status).toBe(200);
    const m = (await admin.json()) as { pid: number; edge: Record<string, number> };
    expect(m.pid).toBe(process.pid);
    expect(m.edge["api-error.bad-json"]).toBeGreaterThanOrEqual(3);
  });

  it("is also served in the Prometheus text format, to administrators only", async () => {
    const viewer = await fetch(url("/api/metrics?format=prometheus"), {
      headers: { authorization: `Bearer ${tokens["viewer"]}` },
    });
    expect(viewer.status).toBe(403);
    const res = await fetch(url("/api/metrics?format=prometheus"), {
      headers: { authorization: `Bearer ${tokens["admin"]}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    // The broken-JSON bodies sent above, counted by reason.
    const bad = /^gemba_edge_events_total\{reason="api-error\.bad-json"\} (\d+)$/m.exec(text);
    expect(Number(bad?.[1])).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^gemba_process_resident_memory_bytes \d+/m);
  });
});
