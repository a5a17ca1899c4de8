/**
 * In a cluster (REDIS_URL) an address's budget is one budget across processes: spreading a flood over the
 * processes behind one address does not multiply it. Against the real Redis on this machine.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { SourceLimits } from "../../server/http/sourceLimits.ts";
import { REDIS } from "./harness.ts";

const settings = { requestsPerMinute: 10, refusalsPerMinute: 3, floodCooldownSeconds: 30 };
const prefix = `gemba-test-${randomUUID().slice(0, 8)}`;
const a = new SourceLimits(settings, REDIS, prefix);
const b = new SourceLimits(settings, REDIS, prefix);
afterAll(() => {
  a.close();
  b.close();
});

describe("attack: spreading a flood over the processes of a cluster", () => {
  it("two processes share one per-address request budget through Redis", async () => {
    await Promise.all([a.ready(), b.ready()]);
    const verdicts = [];
    for (let i = 0; i < 8; i++) {
      verdicts.push(await a.request("203.0.113.20"));
      verdicts.push(await b.request("203.0.113.20"));
    }
    expect(verdicts.filter((v) => v.ok)).toHaveLength(10);
    expect(verdicts.filter((v) => !v.ok && v.reason === "rate-limited")).toHaveLength(6);
    expect(await a.request("203.0.113.21")).toEqual({ ok: true });
  });

  it("refused sign-ins noted by one process cut the address off on the other", async () => {
    for (let i = 0; i < 3; i++) await a.refused("203.0.113.30");
    const v = await b.request("203.0.113.30");
    expect(v).toMatchObject({ ok: false, reason: "refusals" });
  });
});
