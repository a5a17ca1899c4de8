/**
 * Refusals that cost nothing: a flood of bad tokens from one address is counted, summarised in the journal
 * (not one write each), and cut off per address before any token work; everyone else keeps being served.
 * TRUST_PROXY=1 so the test can speak from several addresses through X-Forwarded-For.
 */
import { describe, expect, it } from "vitest";
import { eventually, useServerAndPublisher } from "./harness.ts";

const ctx = useServerAndPublisher({ TRUST_PROXY: "1", DENIED_SUMMARY_SECONDS: "1", REFUSALS_PER_MINUTE: "120" });
const url = (p: string) => `http://127.0.0.1:${ctx.h.server.port}${p}`;
const FORGED = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.AAAA";

async function as(from: string, path: string, init: { token?: string; method?: string; body?: string } = {}) {
  const headers: Record<string, string> = { "x-forwarded-for": from };
  if (init.token) headers["authorization"] = `Bearer ${init.token}`;
  if (init.body) headers["content-type"] = "application/json";
  return fetch(url(path), { method: init.method ?? "GET", headers, body: init.body });
}

async function adminToken(from: string): Promise<string> {
  const res = await as(from, "/api/auth/dev", {
    method: "POST",
    body: JSON.stringify({ name: "Auditor", role: "admin" }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

type Entry = { kind: string; plant: string; data: Record<string, unknown> };

describe("attack: 200 requests a second with bad tokens from one address", () => {
  it("writes at most a handful of journal rows, counts all 200, and cuts the address off before token work", async () => {
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const rs = await Promise.all(
        Array.from({ length: 20 }, () => as("203.0.113.9", "/api/plants/demo", { token: FORGED })),
      );
      statuses.push(...rs.map((r) => r.status));
    }
    const refused = statuses.filter((s) => s === 401).length;
    const cut = statuses.filter((s) => s === 429).length;
    expect(refused + cut).toBe(200);
    expect(refused).toBeGreaterThanOrEqual(120);
    expect(cut).toBeGreaterThan(0);

    // Another address is not punished for it.
    const admin = await adminToken("198.51.100.4");
    const m = (await (await as("198.51.100.4", "/api/metrics", { token: admin })).json()) as {
      edge: Record<string, number>;
    };
    expect(m.edge["denied.sign-in"]! + m.edge["refused.refusals"]!).toBe(200);

    const rows = await eventually(async () => {
      const res = await as("198.51.100.4", "/api/plants/demo/journal?kind=denied&kind=denied.summary", {
        token: admin,
      });
      const entries = ((await res.json()) as { entries: Entry[] }).entries.filter(
        (e) => e.data["from"] === "203.0.113.9",
      );
      return entries.some((e) => e.kind === "denied.summary") ? entries : undefined;
    }, "the refusal summary row");
    expect(rows.length).toBeLessThanOrEqual(3);
    expect(rows.filter((e) => e.kind === "denied")).toHaveLength(1);
    const summary = rows.find((e) => e.kind === "denied.summary")!;
    expect(summary.data["count"]).toBe(refused - 1);
    expect(summary.data["reasons"]).toEqual({ forged: refused - 1 });
  });

  it("a refused request about no plant is journaled under the server scope, which administrators read", async () => {
    expect((await as("192.0.2.77", "/api/plants", { token: FORGED })).status).toBe(401);
    const admin = await adminToken("198.51.100.5");
    const res = await as("198.51.100.5", "/api/server/journal?kind=denied", { token: admin });
    expect(res.status).toBe(200);
    const entries = ((await res.json()) as { entries: Entry[] }).entries;
    expect(entries.some((e) => e.data["from"] === "192.0.2.77" && e.plant === "(server)")).toBe(true);
    const viewer = await as("198.51.100.5", "/api/server/journal", { token: FORGED });
    expect(viewer.status).toBe(401);
  });

  it("a legitimate viewer from another address is served throughout", async () => {
    const res = await as("198.51.100.6", "/api/auth/dev", {
      method: "POST",
      body: JSON.stringify({ name: "Ada", role: "viewer" }),
    });
    const { token } = (await res.json()) as { token: string };
    expect((await as("198.51.100.6", "/api/plants/demo", { token })).status).toBe(200);
  });
});
