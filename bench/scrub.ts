/**
 * Scrub bench (shared playback): what one scrub step costs with 20 clients in a
 * room — bytes each client receives per step and the server time per step —
 * beside the baseline of a fresh join (the full state a newcomer receives) and a
 * plain round trip (room.ping) measured in the same run.
 * Run: npx tsx bench/scrub.ts   (writes bench/results/scrub.json)
 */
import mqtt from "mqtt";
import type { Room } from "@colyseus/sdk";
import { devClient } from "../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../shared/protocol.ts";
import { PlantRoomState } from "../shared/state.ts";
import {
  BROKER,
  demoPoints,
  machineInfo,
  median,
  percentile,
  printTable,
  round,
  startBenchServer,
  writeResult,
} from "./common.ts";

const CLIENTS = 20;
const STEPS = 20;
const HISTORY_S = 300;

type R = Room<unknown, PlantRoomState>;
function socketBytes(room: R): number {
  const ws = (room.connection.transport as unknown as { ws?: { _socket?: { bytesRead: number } } }).ws;
  return ws?._socket?.bytesRead ?? Number.NaN;
}
const waitFor = (room: R, pred: (s: PlantRoomState) => boolean) =>
  new Promise<void>((resolve) => {
    if (pred(room.state)) return resolve();
    const cb = (s: PlantRoomState) => {
      if (!pred(s)) return;
      room.onStateChange.remove(cb);
      resolve();
    };
    room.onStateChange(cb);
  });
const pct = (xs: number[], p: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    p,
  );
const ping = (room: R) => new Promise<number>((resolve) => room.ping((ms) => resolve(ms)));

async function main(): Promise<void> {
  const srv = await startBenchServer();
  const points = await demoPoints();
  const pub = await mqtt.connectAsync(BROKER);
  const t0 = Date.now() - HISTORY_S * 1000;
  // Five minutes of 1 Hz history for every demo point, as fast as the broker takes it.
  for (let s = 0; s < HISTORY_S; s++) {
    for (const p of points) {
      const v = round(p.base + p.amplitude * Math.sin(s / 17 + p.key.length), p.decimals);
      pub.publish(`${srv.prefix}gemba/demo/${p.key}`, JSON.stringify({ v, ts: t0 + s * 1000 }));
    }
    if (s % 20 === 19) await new Promise((r) => setImmediate(r));
  }
  await pub.endAsync();
  const rt = (await srv.server.hub.get("demo")).twin;
  while (rt.latestTs < t0 + (HISTORY_S - 1) * 1000) await new Promise((r) => setTimeout(r, 100));

  const join = async (name: string, role: string): Promise<R> => {
    const room = await (
      await devClient(srv.endpoint, name, role)
    ).joinOrCreate<PlantRoomState>(
      PLANT_ROOM,
      { protocol: PROTOCOL_VERSION, plant: "demo", name, role },
      PlantRoomState,
    );
    room.onMessage("welcome", () => {});
    return room;
  };
  const expert = await join("Expert", "expert");
  const clients: R[] = [expert];
  for (let i = 1; i < CLIENTS; i++) clients.push(await join(`Viewer ${i}`, "viewer"));

  // Baseline 1: a fresh join's full state.
  const fresh = await join("Fresh", "viewer");
  await waitFor(fresh, (s) => s.twins.size > 0);
  const freshJoinBytes = socketBytes(fresh);
  await fresh.leave();
  // Baseline 2: a plain round trip.
  const pings: number[] = [];
  for (let i = 0; i < 20; i++) pings.push(await ping(expert));

  const stepBytes: number[] = [];
  const stepServerMs: number[] = [];
  const stepRtt: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const t = t0 + 20_000 + i * 13_000;
    const before = clients.map(socketBytes);
    const start = performance.now();
    await expert.request("playback", { action: "seek", t });
    const rtt = performance.now() - start;
    await Promise.all(clients.map((c) => waitFor(c, (s) => s.viewTime === t)));
    // let the patch that carries the step land everywhere before counting
    await Promise.all(clients.map((c) => ping(c)));
    const after = clients.map(socketBytes);
    stepBytes.push(median(after.map((a, k) => a - before[k]!)));
    stepRtt.push(rtt);
    stepServerMs.push(Math.max(0, rtt - median(pings)));
  }
  for (const c of clients) await c.leave();
  await srv.stop();

  const result = {
    machine: machineInfo(),
    params: { clients: CLIENTS, steps: STEPS, points: points.length, historySeconds: HISTORY_S },
    freshJoinBytes,
    pingMsMedian: round(median(pings), 2),
    stepBytesPerClient: { p50: round(pct(stepBytes, 50), 0), p95: round(pct(stepBytes, 95), 0) },
    stepServerMs: { p50: round(pct(stepServerMs, 50), 2), p95: round(pct(stepServerMs, 95), 2) },
    stepRttMs: { p50: round(pct(stepRtt, 50), 2), p95: round(pct(stepRtt, 95), 2) },
    ratios: { stepBytesOverFreshJoin: round(pct(stepBytes, 50) / freshJoinBytes, 3) },
  };
  printTable("Scrub step with 20 clients (bytes per client, server time) vs a fresh join and a ping", [
    { what: "fresh join (full state)", bytes: freshJoinBytes, ms: "" },
    { what: "scrub step p50", bytes: result.stepBytesPerClient.p50, ms: result.stepServerMs.p50 },
    { what: "scrub step p95", bytes: result.stepBytesPerClient.p95, ms: result.stepServerMs.p95 },
    { what: "ping round trip (median)", bytes: "", ms: result.pingMsMedian },
  ]);
  console.log(`step bytes / fresh-join bytes = ${result.ratios.stepBytesOverFreshJoin}`);
  console.log(`wrote ${writeResult("scrub", result)}`);
}

await main();
process.exit(0);
