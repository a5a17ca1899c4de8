import { beforeAll, describe, expect, it } from "vitest";
import { useServerAndPublisher } from "./harness.ts";
import { devToken } from "../../kit/devSignIn.ts";

// With the simulator, so its fault routes answer.
const ctx = useServerAndPublisher({ SIM: "on" });
const tokens: Record<string, string> = {};
beforeAll(async () => {
  for (const role of ["viewer", "expert"]) tokens[role] = await devToken(ctx.h.endpoint, `Edge ${role}`, role);
});
const url = (path: string) => `http://127.0.0.1:${ctx.h.server.port}${path}`;
const call = async (path: string, opts: { token?: string; method?: string; body?: string } = {}) => {
  const headers: Record<string, string> = {};
  if (opts.token) headers["authorization"] = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url(path), { method: opts.method ?? "GET", headers, body: opts.body });
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  return { status: res.status, error: typeof body?.["error"] === "string" ? body["error"] : "", body, res };
};

describe("malformed and hostile HTTP requests get a clear JSON error, never a crash", () => {
  it.each([
    ["/api/plants/..%2F..%2Fetc", 400, /plant id/],
    ["/api/plants/atlantis", 404, /unknown plant "atlantis"/],
    ["/api/plants/demo/history", 400, /twin=/],
    ["/api/plants/demo/history?twin=T101&point=nope", 404, /no point T101\/nope/],
    ["/api/plants/demo/history?twin=T101&point=level&max=99999999", 400, /twin=/],
    ["/api/plants/demo/snapshot?t=yesterday", 400, /t=/],
    ["/api/plants/demo/forecast", 400, /twin=/],
    ["/api/plants/demo/forecast?twin=P999", 404, /no asset P999/],
    ["/api/handoff/12", 400, /not a handoff code/],
    ["/api/handoff/" + "A".repeat(40), 404, /does not work/],
    ["/api/nothing-here", 404, /No such API route/],
  ])("GET %s (signed in) → %i", async (path, status, message) => {
    const r = await call(path, { token: tokens["viewer"] });
    expect(r.status).toBe(status);
    expect(r.error).toMatch(message);
  });

  it("a fault request with a bad body is refused with the shape to send", async () => {
    const r = await call("/api/sim/faults", { method: "POST", token: tokens["expert"], body: "{not json" });
    expect(r.status).toBe(400);
    const ok = await fetch(url("/healthz"));
    expect(ok.status).toBe(200); // still up
  });
});

describe("plant data and the simulator need a sign-in token (docs/SECURITY.md)", () => {
  const plantData = [
    "/api/plants",
    "/api/plants/demo",
    "/api/plants/demo/history?twin=T101&point=level",
    "/api/plants/demo/snapshot?t=0",
    "/api/plants/demo/forecast?twin=P101",
    "/api/plants/demo/timeline",
    "/plants/demo/scene",
    "/api/plants/demo/journal?limit=-5",
    "/api/plants/demo/incidents/no-such-alarm",
    "/api/sim/faults",
  ];

  it.each(plantData)("GET %s without a token → 401 with a sentence, counted as a refusal", async (path) => {
    const before = ((await (await fetch(url("/healthz"))).json()) as { auth: { refused: { missing: number } } }).auth;
    const r = await call(path);
    expect(r.status).toBe(401);
    expect(r.error).toMatch(/Sign in first/);
    expect(r.res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const after = ((await (await fetch(url("/healthz"))).json()) as { auth: { refused: { missing: number } } }).auth;
    expect(after.refused.missing).toBe(before.refused.missing + 1);
  });

  it.each(plantData.filter((p) => !/journal|incidents/.test(p)))("GET %s with a forged token → 401", async (path) => {
    const r = await call(path, { token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA" });
    expect(r.status).toBe(401);
    expect(r.error.length).toBeGreaterThan(10);
  });

  it("a viewer's token reads the plant list, model, history, snapshot, timeline, scene and faults", async () => {
    const t = tokens["viewer"]!;
    const list = await call("/api/plants", { token: t });
    expect(list.status).toBe(200);
    expect(list.body?.["default"]).toBe("demo");
    expect(list.body?.["plants"]).toContain("demo");
    expect((await call("/api/plants/demo", { token: t })).body).toMatchObject({ id: "demo" });
    expect((await call("/api/plants/demo/history?twin=T101&point=level", { token: t })).status).toBe(200);
    expect((await call("/api/plants/demo/snapshot?t=0", { token: t })).status).toBe(200);
    expect((await call("/api/plants/demo/timeline", { token: t })).status).toBe(200);
    expect((await call("/api/sim/faults", { token: t })).body).toMatchObject({ faults: [] });
    const scene = await fetch(url("/plants/demo/scene"), { headers: { authorization: `Bearer ${t}` } });
    expect(scene.status).toBe(200);
    expect(scene.headers.get("content-type")).toMatch(/model\/gltf/);
    expect((await scene.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it("a viewer may not inject or clear faults (403, journaled); an expert may (201)", async () => {
    const body = JSON.stringify({ name: "cavitation", target: "P401" });
    const v = await call("/api/sim/faults", { method: "POST", token: tokens["viewer"], body });
    expect(v.status).toBe(403);
    expect(v.error).toBe("Edge viewer (viewer) may not inject or clear simulator faults.");
    const vd = await call("/api/sim/faults", { method: "DELETE", token: tokens["viewer"], body: "{}" });
    expect(vd.status).toBe(403);
    const e = await call("/api/sim/faults", { method: "POST", token: tokens["expert"], body });
    expect(e.status).toBe(201);
    expect(e.body).toMatchObject({ faults: [expect.objectContaining({ name: "cavitation", target: "P401" })] });
    const cleared = await call("/api/sim/faults", { method: "DELETE", token: tokens["expert"], body: "{}" });
    expect(cleared.body).toMatchObject({ cleared: 1, faults: [] });
    const admin = await devToken(ctx.h.endpoint, "Edge admin", "admin");
    const journal = await call("/api/plants/demo/journal?kind=denied", { token: admin });
    const entries = (journal.body as { entries: { actor: string; data: { action?: string } }[] }).entries;
    // The first refusal is journaled in full; the repeat within the minute goes into one summary row (RefusalDigest).
    expect(entries.filter((x) => x.actor === "Edge viewer" && x.data.action === "simulate")).toHaveLength(1);
    const m = await call("/api/metrics", { token: admin });
    expect((m.body as { edge: Record<string, number> }).edge["denied.sign-in"]).toBeGreaterThanOrEqual(2);
  });

  it("an expert may ask for a slow fault (a slowdown); one out of range or not a number is refused in words", async () => {
    const slow = JSON.stringify({ name: "bearing-wear", target: "P202", slowdown: 20 });
    const ok = await call("/api/sim/faults", { method: "POST", token: tokens["expert"], body: slow });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ faults: [expect.objectContaining({ name: "bearing-wear", target: "P202" })] });
    await call("/api/sim/faults", { method: "DELETE", token: tokens["expert"], body: "{}" });
    const tooFast = JSON.stringify({ name: "cavitation", target: "P401", slowdown: 0.5 });
    const r = await call("/api/sim/faults", { method: "POST", token: tokens["expert"], body: tooFast });
    expect(r.status).toBe(400);
    expect(r.error).toBe("A fault's slowdown is a number from 1 to 10000, not 0.5.");
    const words = JSON.stringify({ name: "cavitation", target: "P401", slowdown: "slow" });
    const w = await call("/api/sim/faults", { method: "POST", token: tokens["expert"], body: words });
    expect(w.status).toBe(400);
    expect(w.error).toBe('Send JSON like {"name": "cavitation", "target": "P101"}, or with "slowdown": 60.');
    const list = await call("/api/sim/faults", { token: tokens["expert"] });
    expect(list.body).toMatchObject({ faults: [] });
  });

  it("the public routes stay open: health, the sign-in settings, the handoff preview", async () => {
    expect((await fetch(url("/healthz"))).status).toBe(200);
    expect((await fetch(url("/api/auth/config"))).status).toBe(200);
    expect((await call("/api/handoff/" + "A".repeat(40))).status).toBe(404); // not 401: the code is the credential
  });
});
