/**
 * Bench flooder (a child process, apart from the server and the measured
 * clients): one @colyseus/sdk client in the plant room that, from a given
 * instant, sends valid head poses far above the server's per-connection rate
 * limit. It records when and with which close code the server cut it off; in
 * "reconnect" mode it joins again at once and floods again, until told to stop.
 */
import type { Client, Room } from "@colyseus/sdk";
import { devClient } from "../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../shared/protocol.ts";
import { PlantRoomState } from "../shared/state.ts";
import { nowMs, onParentMessage, round, toParent } from "./childSide.ts";

export type FlooderMsg =
  | { type: "join"; endpoint: string }
  /** Flood at `rate` messages/s from `from` (this machine's clock, ms) until `to`. */
  | { type: "flood"; rate: number; from: number; to: number; reconnect: boolean }
  | { type: "report" };

export interface FloodClose {
  /** Since the flood (or this connection's flood, after a rejoin) started. */
  afterMs: number;
  code: number;
  /** Messages this connection sent before the close arrived. */
  sent: number;
}

export interface FlooderReport {
  type: "report";
  sent: number;
  closes: FloodClose[];
  rejoins: number;
  /** Milliseconds from a close to the next connection being in the room (reconnect mode). */
  rejoinMs: number[];
}

let client: Client | null = null;
let room: Room<unknown, PlantRoomState> | null = null;
let closedWith: number | null = null;
let sentTotal = 0;
const closes: FloodClose[] = [];
const rejoinMs: number[] = [];
let rejoins = 0;

async function join(): Promise<void> {
  const r = await client!.joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name: "flooder", device: "desktop", separate: true },
    PlantRoomState,
  );
  for (const t of ["welcome", "error", "ping", "summon", "share", "signal", "pending"]) r.onMessage(t, () => {});
  closedWith = null;
  r.onLeave((code) => (closedWith = code));
  room = r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function flood(rate: number, from: number, to: number, reconnect: boolean): Promise<void> {
  await sleep(Math.max(0, from - nowMs()));
  let start = nowMs();
  let sent = 0;
  for (;;) {
    const now = nowMs();
    if (now >= to) break;
    if (closedWith !== null) {
      closes.push({ afterMs: round(now - start, 1), code: closedWith, sent });
      if (!reconnect) break;
      const t = nowMs();
      await join();
      rejoins++;
      rejoinMs.push(round(nowMs() - t, 1));
      start = nowMs();
      sent = 0;
      continue;
    }
    const due = Math.floor(((now - start) * rate) / 1000);
    for (; sent < due && closedWith === null; sent++, sentTotal++) {
      const a = sent * 0.01;
      room!.send("pose", { h: [Math.cos(a) * 5, 1.7, Math.sin(a) * 5, 0, 0, 0, 1] });
    }
    await sleep(1);
  }
}

onParentMessage(async (raw) => {
  const m = raw as unknown as FlooderMsg;
  if (m.type === "join") {
    // One sign-in: rejoining reuses the token, as a misbehaving page would.
    client = await devClient(m.endpoint, "flooder");
    await join();
    toParent({ type: "ready" });
  } else if (m.type === "flood") {
    await flood(m.rate, m.from, m.to, m.reconnect);
    toParent({ type: "flooded" });
  } else if (m.type === "report") {
    if (closedWith === null) await room?.leave().catch(() => {});
    const out: FlooderReport = { type: "report", sent: sentTotal, closes, rejoins, rejoinMs };
    toParent(out);
  }
});
