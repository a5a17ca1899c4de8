import { describe, expect, it } from "vitest";
import { useServerAndPublisher } from "./harness.ts";

const ctx = useServerAndPublisher();
const get = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${ctx.h.server.port}${path}`);
  const body = (await res.json().catch(() => null)) as { error?: string } | null;
  return { status: res.status, error: body?.error ?? "" };
};

describe("malformed and hostile HTTP requests get a clear JSON error, never a crash", () => {
  it.each([
    ["/api/plants/..%2F..%2Fetc", 400, /plant id/],
    ["/api/plants/atlantis", 404, /unknown plant "atlantis"/],
    ["/api/plants/demo/history", 400, /twin=/],
    ["/api/plants/demo/history?twin=T101&point=nope", 404, /no point T101\/nope/],
    ["/api/plants/demo/history?twin=T101&point=level&max=99999999", 400, /twin=/],
    ["/api/plants/demo/snapshot?t=yesterday", 400, /t=/],
    ["/api/plants/demo/journal?limit=-5", 401, /Sign in first/],
    ["/api/plants/demo/incidents/no-such-alarm", 401, /Sign in first/],
    ["/api/handoff/12", 400, /not a handoff code/],
    ["/api/handoff/" + "A".repeat(40), 404, /not valid/],
    ["/api/nothing-here", 404, /No such API route/],
  ])("GET %s → %i", async (path, status, message) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(r.error).toMatch(message);
  });

  it("a fault request with a bad body is refused with the shape to send", async () => {
    const res = await fetch(`http://127.0.0.1:${ctx.h.server.port}/api/sim/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const ok = await fetch(`http://127.0.0.1:${ctx.h.server.port}/healthz`);
    expect(ok.status).toBe(200); // still up
  });
});
