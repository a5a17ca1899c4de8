import { describe, expect, it } from "vitest";
import { Client } from "@colyseus/sdk";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { AssetStatus } from "../../shared/status.ts";
import { join, waitForState, useServerAndPublisher } from "./harness.ts";
import { devToken } from "../../kit/devSignIn.ts";

const ctx = useServerAndPublisher();

describe("live path: Mosquitto → twin → Colyseus room → @colyseus/sdk client", () => {
  it("a JSON sample published to the real broker reaches a room client with its source timestamp", async () => {
    const room = await join(ctx.h, "Ada");
    const ts = Date.now() - 500;
    await ctx.pub.publishAsync(`${ctx.h.config.topicPrefix}gemba/demo/T101/level`, JSON.stringify({ v: 61.25, ts }));
    const s = await waitForState(
      room,
      (st) => st.twins.get("T101")?.points.get("level")?.v === 61.25,
      "T101 level 61.25",
    );
    expect(s.twins.get("T101")!.points.get("level")!.ts).toBe(ts);
    await room.leave();
  });

  it("two rooms on the same plant share one ingest: both see the same update", async () => {
    const a = await join(ctx.h, "A");
    const b = await join(ctx.h, "B");
    expect(a.roomId).toBe(b.roomId); // same plant → same room by default
    await ctx.pub.publishAsync(`${ctx.h.config.topicPrefix}gemba/demo/P101/flow`, JSON.stringify({ v: 3.5 }));
    await Promise.all([
      waitForState(a, (s) => s.twins.get("P101")?.points.get("flow")?.v === 3.5, "A sees P101 flow"),
      waitForState(b, (s) => s.twins.get("P101")?.points.get("flow")?.v === 3.5, "B sees P101 flow"),
    ]);
    await a.leave();
    await b.leave();
  });

  it("a value beyond its alarm limit turns the asset's status to alarm for clients", async () => {
    const room = await join(ctx.h, "Grace");
    await ctx.pub.publishAsync(`${ctx.h.config.topicPrefix}gemba/demo/T102/level`, JSON.stringify({ v: 99 }));
    await waitForState(room, (s) => s.twins.get("T102")?.status === AssetStatus.ALARM, "T102 in alarm");
    await room.leave();
  });

  it("participants see each other join and leave (seats keyed by seat id)", async () => {
    const a = await join(ctx.h, "Lin");
    const b = await join(ctx.h, "Kofi", { device: "headset" });
    const s = await waitForState(a, (st) => [...st.seats.values()].some((x) => x.name === "Kofi"), "Kofi's seat");
    const kofi = [...s.seats.values()].find((x) => x.name === "Kofi")!;
    expect(kofi.device).toBe("headset");
    expect(kofi.presence).toBe("online");
    expect(kofi.id).not.toBe(b.sessionId);
    await b.leave();
    await waitForState(a, (st) => ![...st.seats.values()].some((x) => x.name === "Kofi"), "Kofi gone");
    await a.leave();
  });

  it("a shared selection is visible to everyone", async () => {
    const a = await join(ctx.h, "Sel-A");
    const b = await join(ctx.h, "Sel-B");
    a.send("select", { twin: "HX201" });
    await waitForState(
      b,
      (s) => [...s.seats.values()].some((x) => x.name === "Sel-A" && x.selection === "HX201"),
      "selection",
    );
    await a.leave();
    await b.leave();
  });

  it("refuses an old client with a sentence the UI can show", async () => {
    const client = new Client(ctx.h.endpoint);
    await expect(
      client.joinOrCreate(PLANT_ROOM, { protocol: PROTOCOL_VERSION - 1, plant: "demo", name: "Old" }),
    ).rejects.toThrow(/older than the server.*Reload the page/);
  });

  it("refuses an unknown plant and a bad display name with clear messages", async () => {
    const client = new Client(ctx.h.endpoint);
    // Signed in: whether a plant exists is only said to someone with a valid token (docs/SECURITY.md).
    client.auth.token = await devToken(ctx.h.endpoint, "X");
    await expect(
      client.joinOrCreate(PLANT_ROOM, { protocol: PROTOCOL_VERSION, plant: "atlantis", name: "X" }),
    ).rejects.toThrow(/unknown plant "atlantis"/);
    await expect(
      client.joinOrCreate(PLANT_ROOM, { protocol: PROTOCOL_VERSION, plant: "demo", name: "   " }),
    ).rejects.toThrow(/Enter a display name/);
  });

  it("GET /healthz reports ok, the broker, rooms, clients and ingest counters", async () => {
    type Health = {
      ok: boolean;
      mqtt: { connected: boolean };
      rooms: number;
      clients: number;
      plants: { ingest: Record<string, number> }[];
    };
    const health = async (): Promise<Health> => {
      const res = await fetch(`http://127.0.0.1:${ctx.h.server.port}/healthz`);
      expect(res.status).toBe(200);
      return (await res.json()) as Health;
    };
    // This test makes what it counts (whatever ran before it in this file): a participant and one sample.
    const before = await health();
    const room = await join(ctx.h, "Health");
    await ctx.pub.publishAsync(`${ctx.h.config.topicPrefix}gemba/demo/P102/flow`, JSON.stringify({ v: 7.75 }));
    await waitForState(room, (s) => s.twins.get("P102")?.points.get("flow")?.v === 7.75, "P102 flow 7.75");
    const body = await health();
    expect(body.ok).toBe(true);
    expect(body.mqtt.connected).toBe(true);
    expect(body.rooms).toBeGreaterThanOrEqual(1);
    expect(body.clients).toBe(before.clients + 1);
    expect(body.plants[0]!.ingest["applied"]).toBe((before.plants[0]!.ingest["applied"] ?? 0) + 1);
    await room.leave();
  });
});

describe("hard edges", () => {
  it("refuses a WebSocket opened by a page from another origin", async () => {
    const { WebSocket } = await import("ws");
    const ws = new WebSocket(`ws://127.0.0.1:${ctx.h.server.port}/anything`, {
      headers: { Origin: "http://evil.example" },
    });
    const status = await new Promise<number>((resolve) => {
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => {});
    });
    expect(status).toBe(403);
  });

  it("a silent point turns stale (3 expected periods) and fresh data clears it", async () => {
    const room = await join(ctx.h, "Stale watcher");
    const topic = `${ctx.h.config.topicPrefix}gemba/demo/XV103/position`;
    await ctx.pub.publishAsync(topic, JSON.stringify({ v: 40 }));
    await waitForState(room, (s) => s.twins.get("XV103")?.points.get("position")?.v === 40, "first value");
    await waitForState(
      room,
      (s) => s.twins.get("XV103")?.points.get("position")?.stale === true,
      "stale after 3 s of silence",
      10_000,
    );
    await ctx.pub.publishAsync(topic, JSON.stringify({ v: 41 }));
    await waitForState(room, (s) => s.twins.get("XV103")?.points.get("position")?.stale === false, "fresh again");
    await room.leave();
  });
});
