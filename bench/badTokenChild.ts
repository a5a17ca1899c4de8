/**
 * Child of bench/badTokens.ts, in its own process so neither side borrows the other's event loop:
 * - "writer": an operator's SDK client that bookmarks at a steady pace and times each request from send to the
 *   server's durable answer (the journal row is on disk): the legitimate write;
 * - "flooder": one source (its own loopback address, 127.0.0.2) sending GET requests with a forged bearer token at a
 *   steady rate over keep-alive connections, counting the answers by status.
 */
import http from "node:http";
import type { Room } from "@colyseus/sdk";
import { devClient } from "../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../shared/protocol.ts";
import { PlantRoomState } from "../shared/state.ts";
import { onParentMessage, percentile, round, toParent } from "./childSide.ts";

export type BadTokenChildMsg =
  | { type: "writer"; endpoint: string }
  | { type: "flooder"; endpoint: string; forged: string; from: string }
  | { type: "measure"; durationMs: number; everyMs: number }
  | { type: "flood"; durationMs: number; rate: number };

export interface WriteStats {
  type: "writes";
  n: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}
export interface FloodStats {
  type: "flooded";
  sent: number;
  byStatus: Record<string, number>;
  errors: number;
  /** Requests per second actually sent. */
  rate: number;
}

let room: Room<unknown, PlantRoomState> | null = null;
let target: { host: string; port: number; forged: string; from: string } | null = null;
let seq = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(durationMs: number, everyMs: number): Promise<WriteStats> {
  const r = room!;
  const times: number[] = [];
  let failed = 0;
  const end = performance.now() + durationMs;
  let next = performance.now();
  while (performance.now() < end) {
    const t0 = performance.now();
    try {
      await r.request("bookmark", { name: `bench ${++seq}`, t: Date.now() });
      times.push(performance.now() - t0);
    } catch {
      failed++;
    }
    next += everyMs;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
  }
  times.sort((a, b) => a - b);
  return {
    type: "writes",
    n: times.length,
    failed,
    p50: round(percentile(times, 50), 2),
    p99: round(percentile(times, 99), 2),
    max: round(times[times.length - 1] ?? 0, 2),
  };
}

async function flood(durationMs: number, rate: number): Promise<FloodStats> {
  const t = target!;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32, localAddress: t.from });
  const byStatus: Record<string, number> = {};
  let sent = 0;
  let errors = 0;
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const gap = 1000 / rate;
  while (performance.now() - start < durationMs) {
    sent++;
    const p = new Promise<void>((resolve) => {
      const req = http.request(
        {
          host: t.host,
          port: t.port,
          path: "/api/plants/demo",
          agent,
          headers: { authorization: `Bearer ${t.forged}` },
        },
        (res) => {
          byStatus[res.statusCode ?? 0] = (byStatus[res.statusCode ?? 0] ?? 0) + 1;
          res.resume();
          res.on("end", () => resolve());
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
    pending.add(p);
    void p.then(() => pending.delete(p));
    const wait = start + sent * gap - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const elapsed = performance.now() - start;
  await Promise.all(pending);
  agent.destroy();
  return { type: "flooded", sent, byStatus, errors, rate: round((sent * 1000) / elapsed, 1) };
}

onParentMessage(async (m) => {
  const msg = m as unknown as BadTokenChildMsg;
  if (msg.type === "writer") {
    const client = await devClient(msg.endpoint, "Bench writer", "operator");
    room = await client.joinOrCreate<PlantRoomState>(
      PLANT_ROOM,
      { protocol: PROTOCOL_VERSION, plant: "demo", name: "Bench writer", device: "desktop" },
      PlantRoomState,
    );
    room.onMessage("*", () => {});
    toParent({ type: "ready" });
  } else if (msg.type === "flooder") {
    const u = new URL(msg.endpoint.replace(/^ws/, "http"));
    target = { host: u.hostname, port: Number(u.port), forged: msg.forged, from: msg.from };
    toParent({ type: "ready" });
  } else if (msg.type === "measure") {
    toParent(await measure(msg.durationMs, msg.everyMs));
  } else if (msg.type === "flood") {
    toParent(await flood(msg.durationMs, msg.rate));
  }
});
