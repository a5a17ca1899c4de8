/**
 * A sample stamped ahead of the server's clock (a device with a wrong clock, or a hostile publisher) through the
 * real Mosquitto: it is refused as "future", counted in /healthz and /api/metrics, and never freezes its point.
 */
import { describe, expect, it } from "vitest";
import { adminMetrics, join, useServerAndPublisher, waitForState } from "./harness.ts";

const ctx = useServerAndPublisher();

describe("samples from the future", () => {
  it("a sample stamped 3 minutes ahead does not freeze the point; honest samples right after still apply", async () => {
    const { h, pub } = ctx;
    const room = await join(h, "Shift Lead");
    const topic = `${h.config.topicPrefix}gemba/demo/T103/level`;
    const level = () => room.state.twins.get("T103")?.points.get("level");
    await pub.publishAsync(topic, JSON.stringify({ v: 20, ts: Date.now() }));
    await waitForState(room, () => level()?.v === 20, "the first honest sample");

    await pub.publishAsync(topic, JSON.stringify({ v: 99, ts: Date.now() + 3 * 60_000 }));
    await pub.publishAsync(topic, JSON.stringify({ v: 21, ts: Date.now() }));
    await waitForState(room, () => level()?.v === 21, "the honest sample after the future one");
    await pub.publishAsync(topic, JSON.stringify({ v: 22, ts: Date.now() }));
    await waitForState(room, () => level()?.v === 22, "the next honest sample");
    expect(level()!.ts).toBeLessThanOrEqual(Date.now());

    // Same connection, in order: the future sample was handled before the honest one that followed it.
    const health = (await (await fetch(`http://127.0.0.1:${h.server.port}/healthz`)).json()) as {
      plants: { id: string; ingest: Record<string, number> }[];
    };
    const demo = health.plants.find((p) => p.id === "demo")!;
    expect(demo.ingest["future"]).toBe(1);
    expect(demo.ingest["late"]).toBe(0);
    expect(demo.ingest["applied"]).toBe(3);
    const metrics = await adminMetrics<{
      plants: { id: string; ingest: Record<string, number> }[];
    }>(h.server.port);
    expect(metrics.plants.find((p) => p.id === "demo")!.ingest["future"]).toBe(1);
    expect(h.logs.some((l) => /rejected future on ".*T103\/level".*in the future/.test(l))).toBe(true);
    await room.leave();
  });
});
