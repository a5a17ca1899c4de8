/**
 * One plant, one room (per process): a signed-in person cannot split a plant into rooms by reserving seats,
 * the matchmaker's `create` is not offered, and a second room opens only when the first is full — then both rooms
 * share the plant's twin and alarm book, and each counts the people in the other.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import { devClient, devToken } from "../../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { PlantRoomState } from "../../shared/state.ts";
import type { Metrics } from "../../server/http/metricsRoute.ts";
import { adminMetrics, join, publisher, startServer, waitForState, type Harness } from "./harness.ts";

let h: Harness | undefined;
const rooms: Room[] = [];
afterEach(async () => {
  for (const r of rooms.splice(0)) await r.leave().catch(() => {});
  await h?.server.stop();
  h = undefined;
});

interface Reservation {
  name: string;
  sessionId: string;
  roomId: string;
  processId: string;
}

async function reserve(
  base: string,
  token: string,
  method: string,
  options: Record<string, unknown>,
): Promise<{ status: number; body: Reservation & { error?: string } }> {
  const res = await fetch(`${base}/matchmake/${method}/${PLANT_ROOM}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ protocol: PROTOCOL_VERSION, plant: "demo", name: "x", device: "desktop", ...options }),
  });
  return { status: res.status, body: (await res.json()) as Reservation & { error?: string } };
}

const metrics = async (h: Harness): Promise<Metrics> => adminMetrics<Metrics>(h.server.port);

describe("one room per plant", () => {
  it("one viewer's 200 seat reservations (with and without `separate`) leave one room; those past the bound are refused with a clear message and counted", async () => {
    h = await startServer(); // MAX_JOINS_PER_USER defaults to 10
    const base = `http://127.0.0.1:${h.server.port}`;
    const token = await devToken(base, "Viewer Vic", "viewer");
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => reserve(base, token, "joinOrCreate", i % 2 ? { separate: true } : {})),
    );
    const granted = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(granted).toHaveLength(10);
    expect(new Set(granted.map((g) => g.body.roomId)).size).toBe(1);
    expect(refused).toHaveLength(190);
    expect(new Set(refused.map((r) => r.status))).toEqual(new Set([429]));
    expect(refused[0]!.body.error).toBe(
      "You already have 10 connections or joins in progress on this server (MAX_JOINS_PER_USER). " +
        "Close a page or device you no longer use, or wait 15 s for unfinished joins to lapse.",
    );

    // Opening a room on demand is not offered at all.
    const created = await reserve(base, await devToken(base, "Eve Expert", "expert"), "create", {});
    expect(created.status).toBe(403);
    expect(created.body.error).toMatch(/"create" is not offered: rooms are opened by the server, one per plant/);

    // Everyone else lands in that one room, and sees the viewer who uses one of the reservations.
    const ops = await join(h, "Operator Ola", { role: "operator" });
    rooms.push(ops);
    expect(ops.roomId).toBe(granted[0]!.body.roomId);
    const vic = await (
      await devClient(base, "Viewer Vic", "viewer")
    ).consumeSeatReservation(granted[0]!.body, PlantRoomState);
    rooms.push(vic);
    vic.onMessage("welcome", () => {});
    const both = await waitForState(ops, (s) => s.seats.size === 2, "the viewer's seat in the operator's room");
    expect([...both.seats.values()].map((s) => s.name).sort()).toEqual(["Operator Ola", "Viewer Vic"]);

    const m = await metrics(h);
    expect(m.rooms).toBe(1);
    expect(m.joins.refused).toBe(190);
    expect(m.joins.connections).toBe(2);
    expect(m.joins.pending).toBe(9);
  });

  it("a second room opens only when the first is full; both share the plant's values and alarms and count each other", async () => {
    h = await startServer({ MAX_CLIENTS: "2" });
    const a = await join(h, "Ana", { role: "operator" });
    const b = await join(h, "Ben");
    const c = await join(h, "Cleo");
    rooms.push(a, c); // b leaves in the test
    expect(b.roomId).toBe(a.roomId);
    expect(c.roomId).not.toBe(a.roomId);
    expect((await metrics(h)).rooms).toBe(2);
    await waitForState(c, (s) => s.elsewhere === 2 && s.seats.size === 1, "Cleo's room counting Ana and Ben");
    await waitForState(a, (s) => s.elsewhere === 1 && s.seats.size === 2, "Ana's room counting Cleo");

    const pub = await publisher();
    await pub.publishAsync(`${h.config.topicPrefix}gemba/demo/T102/level`, JSON.stringify({ v: 98.5 }));
    await pub.endAsync();
    const ALARM = "limit.level:T102";
    await waitForState(c, (s) => s.alarms.get(ALARM)?.state === "unack-active", "the alarm in Cleo's room");
    await waitForState(a, (s) => s.alarms.get(ALARM)?.state === "unack-active", "the alarm in Ana's room");
    await a.request("ack", { alarm: ALARM });
    const seen = await waitForState(c, (s) => s.alarms.get(ALARM)?.state === "ack-active", "Ana's ack in Cleo's room");
    expect(seen.alarms.get(ALARM)!.ackedBy).toBe("Ana");
    expect(seen.twins.get("T102")!.points.get("level")!.v).toBe(98.5);

    // Ben leaves: Ana's room has a free seat again and Cleo's room counts one fewer.
    await b.leave();
    await waitForState(c, (s) => s.elsewhere === 1, "Cleo's room after Ben left");
  });

  it("a seat reserved for one plant cannot be used in another plant's room (joinById names the room)", async () => {
    // Two plants: the demo and a copy of it under another id.
    const plantsDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-plants-"));
    const demo = path.resolve(import.meta.dirname, "../../assets/plants/demo");
    fs.cpSync(demo, path.join(plantsDir, "demo"), { recursive: true });
    fs.cpSync(demo, path.join(plantsDir, "north"), { recursive: true });
    const northJson = path.join(plantsDir, "north", "plant.json");
    fs.writeFileSync(northJson, fs.readFileSync(northJson, "utf8").replace('"id": "demo"', '"id": "north"'));
    h = await startServer({ PLANTS_DIR: plantsDir });
    const ana = await join(h, "Ana");
    rooms.push(ana);
    const intruder = await devClient(h.endpoint, "Ivo");
    const refused = await intruder
      .joinById(ana.roomId, { protocol: PROTOCOL_VERSION, plant: "north", name: "Ivo", device: "desktop" })
      .then(
        () => "joined",
        (e: Error) => e.message,
      );
    expect(refused).toBe('This room is for plant "demo", not "north"; join the plant you were admitted to.');
    const m = await metrics(h);
    expect(m.joins).toMatchObject({ connections: 1, pending: 0 });
    expect(ana.state.seats.size).toBe(1);
  });
});
