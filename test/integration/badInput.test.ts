import { describe, expect, it } from "vitest";
import { eventually, join, waitForState, useServerAndPublisher } from "./harness.ts";

const ctx = useServerAndPublisher();

type Health = { ok: boolean; plants: { ingest: Record<string, number> }[] };
const health = async (): Promise<Health> =>
  (await (await fetch(`http://127.0.0.1:${ctx.h.server.port}/healthz`)).json()) as Health;

describe("hostile MQTT input through the real broker", () => {
  it("10,000 malformed messages leave the server up, the twin unchanged and the counters equal to what was sent", async () => {
    const room = await join(ctx.h, "Watcher");
    const topic = (t: string, p: string) => `${ctx.h.config.topicPrefix}gemba/demo/${t}/${p}`;
    await ctx.pub.publishAsync(topic("T101", "level"), JSON.stringify({ v: 55 }));
    await waitForState(room, (s) => s.twins.get("T101")?.points.get("level")?.v === 55, "baseline value");
    const before = (await health()).plants[0]!.ingest;

    const big = Buffer.alloc(1024 * 1024, 0x20); // 1 MB of spaces
    const corrupt = Buffer.from([0x08, 0x96, 0x01, 0xff, 0xff, 0x00, 0x13]); // protobuf-looking garbage
    const kinds: [string, string | Buffer, string][] = [
      [topic("T101", "level"), "{not json", "malformed"],
      [topic("T101", "level"), '{"v":"42.5"}', "bad-value"], // text: only Int64-style integers ("42") are numbers
      [topic("T101", "level"), '{"v":"NaN"}', "bad-value"],
      [topic("T101", "level"), '{"v":1e999}', "bad-value"],
      [topic("T101", "level"), corrupt, "malformed"],
      [topic("GHOST", "level"), '{"v":1}', "unknown-point"],
    ];
    const sent: Record<string, number> = {};
    const N = 10_000;
    const bigCount = 20; // 1 MB payloads: fewer of them, the broker must carry them too
    for (let i = 0; i < N - bigCount; i++) {
      const [t, p, why] = kinds[i % kinds.length]!;
      ctx.pub.publish(t, p);
      sent[why] = (sent[why] ?? 0) + 1;
    }
    for (let i = 0; i < bigCount; i++) ctx.pub.publish(topic("T101", "level"), big);
    sent["oversized"] = bigCount;
    await ctx.pub.publishAsync(topic("T101", "temperature"), JSON.stringify({ v: 21 })); // a good one after the flood

    const after = await eventually(
      async () => {
        const hb = await health();
        const c = hb.plants[0]!.ingest;
        return c["received"]! - before["received"]! >= N + 1 ? hb : undefined;
      },
      "all 10,001 messages counted",
      60_000,
    );
    const c = after.plants[0]!.ingest;
    expect(after.ok).toBe(true);
    for (const [why, n] of Object.entries(sent)) expect(c[why]! - before[why]!).toBe(n);
    expect(c["applied"]! - before["applied"]!).toBe(1);
    const s = await waitForState(
      room,
      (st) => st.twins.get("T101")?.points.get("temperature")?.v === 21,
      "good message after flood",
    );
    expect(s.twins.get("T101")!.points.get("level")!.v).toBe(55);
    await room.leave();
  });
});
