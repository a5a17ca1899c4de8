/**
 * Two real server processes sharing the real Redis (RedisPresence + RedisDriver)
 * and the real Mosquitto: clients that matchmake through either process land in
 * the same plant room, only the hosting process ingests the plant, and the room
 * keeps working when the other process is killed.
 */
import { freePort } from "../../kit/freePort.ts";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import type { MqttClient } from "mqtt";
import type { PlantRoomState } from "../../shared/state.ts";
import type { Metrics } from "../../server/http/metricsRoute.ts";
import type { RunningServer } from "../../kit/appServer.ts";
import { devToken } from "../../kit/devSignIn.ts";
import { joinPlant } from "../../kit/observer.ts";
import { startClusterNode, type ClusterNode } from "../../kit/clusterNode.ts";
import { startFrontProxy } from "../../scripts/frontProxy.ts";
import { MOSQUITTO, REDIS, eventually, publisher, removeRedisKeys, waitForState } from "./harness.ts";

// Every key this run writes starts with the prefix, so parallel runs never see each other's rooms and cleanup is exact.
const KEY_PREFIX = `gemba-it-${randomUUID().slice(0, 8)}:`;
const TOPIC_PREFIX = `test-${randomUUID().slice(0, 8)}/`;
// One journal per process, one development signing key for all: a token signed by either process opens a room on either.
const DEV_KEY = randomBytes(32).toString("base64url") + "\n";

function startNode(publicAddress?: (port: number) => string): Promise<ClusterNode> {
  const base = {
    devKey: DEV_KEY,
    redisUrl: REDIS,
    keyPrefix: KEY_PREFIX,
    mqttUrl: MOSQUITTO,
    topicPrefix: TOPIC_PREFIX,
  };
  return startClusterNode(publicAddress ? { ...base, publicAddress } : base);
}

async function metrics(node: { port: number }): Promise<Metrics> {
  // /api/metrics is for administrators (docs/SECURITY.md).
  const token = await devToken(`http://127.0.0.1:${node.port}`, "Cluster admin", "admin");
  const res = await fetch(`http://127.0.0.1:${node.port}/api/metrics`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Metrics;
}

/** The room socket's URL (it names the process the seat reservation sent the client to). */
const socketUrl = (room: Room<unknown, PlantRoomState>) =>
  (room.connection.transport as unknown as { ws: { url: string } }).ws.url;

const joinThrough = (node: { port: number }, name: string) =>
  joinPlant(`http://127.0.0.1:${node.port}`, name, { device: "desktop" });

const seatNames = (s: PlantRoomState) => [...s.seats.values()].map((seat) => seat.name).sort();

describe("cluster: one address in front of two processes", () => {
  it("clients joining through the front proxy share one room, and their sockets go to the process hosting it", async () => {
    const front = await freePort();
    const nodes = await Promise.all([1, 2].map((i) => startNode(() => `127.0.0.1:${front}/n${i}`)));
    const backends = nodes.map((n, i) => ({ index: i + 1, port: n.port, alive: true }));
    const proxy = await startFrontProxy("127.0.0.1", front, backends, () => {});
    const rooms: Room<unknown, PlantRoomState>[] = [];
    try {
      // Whichever process the proxy hands a request to, the seat reservation names the one hosting the room.
      rooms.push(await joinThrough({ port: front }, "Ada"), await joinThrough({ port: front }, "Grace"));
      expect(rooms[1]!.roomId).toBe(rooms[0]!.roomId);
      const hosting = await Promise.all(nodes.map(async (n) => (await metrics(n)).rooms));
      const host = hosting.indexOf(1) + 1;
      for (const r of rooms) expect(socketUrl(r)).toContain(`127.0.0.1:${front}/n${host}/`);
      await waitForState(rooms[0]!, (s) => seatNames(s).join() === "Ada,Grace", "Ada sees Grace");
    } finally {
      for (const r of rooms) await r.leave().catch(() => {});
      await new Promise((r) => proxy.close(r));
      await Promise.all(nodes.map((n) => n.stop()));
    }
  }, 90_000);
});

describe("cluster: two processes behind one Redis", () => {
  let a: RunningServer & { port: number };
  let b: RunningServer & { port: number };
  let pub: MqttClient;
  const rooms: Room<unknown, PlantRoomState>[] = [];

  beforeAll(async () => {
    [a, b] = await Promise.all([startNode(), startNode()]);
    pub = await publisher();
  }, 90_000);

  afterAll(async () => {
    for (const r of rooms) await r.leave().catch(() => {});
    await pub?.endAsync();
    // The killed process is gone already (RunningServer.stop waits for an exit that would never come again).
    const alive = [a, b].filter((n) => n && n.proc.exitCode === null && n.proc.signalCode === null);
    await Promise.all(alive.map((n) => n.stop()));
    await removeRedisKeys(KEY_PREFIX);
  });

  it("a plant room is found across processes, only its host ingests the plant, and it outlives the other process", async () => {
    // Neither process ingests the default plant before a room exists for it.
    expect((await metrics(a)).plants).toEqual([]);
    expect((await metrics(b)).plants).toEqual([]);

    const viaA = await joinThrough(a, "Ada");
    rooms.push(viaA);
    const [ma, mb] = await Promise.all([metrics(a), metrics(b)]);
    expect(ma.rooms + mb.rooms).toBe(1);
    const [host, other] = ma.rooms === 1 ? [a, b] : [b, a];

    const viaB = await joinThrough(b, "Grace");
    rooms.push(viaB);
    expect(viaB.roomId).toBe(viaA.roomId);
    await waitForState(viaA, (s) => seatNames(s).join() === "Ada,Grace", "Ada sees Grace");
    await waitForState(viaB, (s) => seatNames(s).join() === "Ada,Grace", "Grace sees Ada");

    // Matchmaking through the other process (its onAuth ran there) did not make it ingest the plant.
    expect((await metrics(host)).plants.map((p) => p.id)).toEqual(["demo"]);
    expect((await metrics(other)).plants).toEqual([]);
    expect((await metrics(other)).rooms).toBe(0);

    await other.kill();

    // Live data still flows through the surviving host to both participants.
    await pub.publishAsync(`${TOPIC_PREFIX}gemba/demo/T101/level`, JSON.stringify({ v: 42.5, ts: Date.now() }));
    for (const r of [viaA, viaB]) {
      await waitForState(r, (s) => s.twins.get("T101")?.points.get("level")?.v === 42.5, "T101 level after the kill");
    }

    // A newcomer still joins the same room through the survivor.
    const late = await joinThrough(host, "Linus");
    rooms.push(late);
    expect(late.roomId).toBe(viaA.roomId);
    await waitForState(viaA, (s) => seatNames(s).join() === "Ada,Grace,Linus", "Ada sees Linus");

    // When the last participant leaves, the host disposes the room and stops ingesting the plant.
    for (const r of rooms.splice(0)) await r.leave();
    await eventually(async () => (await metrics(host)).plants.length === 0, "the host unloads the plant");
  }, 60_000);
});
