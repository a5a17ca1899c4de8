/**
 * Handoff bench: over many handoffs between @colyseus/sdk clients, the seat gap
 * (time with no device driving the seat, seen from the two devices: "driving"
 * at the target minus "moved" at the source, clipped at 0) and the switch time
 * from accept to the target being live, beside a fresh join measured in the same run.
 * Run: npx tsx bench/handoff.ts   (writes bench/results/handoff.json)
 */
import { Client, type Room } from "@colyseus/sdk";
import "../kit/nodeWebSocket.ts";
import { devToken } from "../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION, type HandoffTicketInfo } from "../shared/protocol.ts";
import { PlantRoomState } from "../shared/state.ts";
import { machineInfo, percentile, printTable, round, startBenchServer, writeResult } from "./common.ts";

const N = Number(process.env["HANDOFFS"] ?? 60);
type R = Room<unknown, PlantRoomState>;
const pct = (xs: number[], p: number) =>
  round(
    percentile(
      [...xs].sort((a, b) => a - b),
      p,
    ),
    2,
  );

async function main(): Promise<void> {
  const srv = await startBenchServer();
  // One development sign-in per name, as the page does (joins below are timed, sign-ins are not).
  const tokens = new Map<string, string>();
  const signIn = async (name: string) => {
    if (!tokens.has(name)) tokens.set(name, await devToken(srv.endpoint, name));
    const c = new Client(srv.endpoint);
    c.auth.token = tokens.get(name)!;
    return c;
  };
  const opts = (extra: object) => ({ protocol: PROTOCOL_VERSION, plant: "demo", device: "desktop", ...extra });
  const quiet = (r: R) => {
    r.onMessage("welcome", () => {});
    r.onMessage("error", () => {});
    r.onMessage("pending", () => {});
    return r;
  };

  // Baseline: fresh joins (request → state received), same room, same run.
  const fresh: number[] = [];
  const anchor = quiet(
    await (await signIn("Anchor")).joinOrCreate<PlantRoomState>(PLANT_ROOM, opts({ name: "Anchor" }), PlantRoomState),
  );
  for (let i = 0; i < N; i++) {
    const c = await signIn(`Fresh ${i}`);
    const t = performance.now();
    const r = quiet(await c.joinById<PlantRoomState>(anchor.roomId, opts({ name: `Fresh ${i}` }), PlantRoomState));
    fresh.push(performance.now() - t);
    await r.leave();
  }

  const switchMs: number[] = [];
  const gapMs: number[] = [];
  let source = quiet(
    await (
      await signIn("Mover")
    ).joinById<PlantRoomState>(anchor.roomId, opts({ name: "Mover", device: "headset" }), PlantRoomState),
  );
  for (let i = 0; i < N; i++) {
    const ticket = await source.request<object, HandoffTicketInfo>("handoffCreate", {});
    // Make-before-break: the target joins (pending) first; this part is not the switch.
    const target = quiet(
      await (
        await signIn("Mover")
      ).joinById<PlantRoomState>(
        anchor.roomId,
        opts({ name: "Mover", device: i % 2 ? "headset" : "desktop", handoff: ticket.token }),
        PlantRoomState,
      ),
    );
    const moved = new Promise<number>((resolve) => source.onMessage("moved", () => resolve(performance.now())));
    const driving = new Promise<number>((resolve) => target.onMessage("driving", () => resolve(performance.now())));
    const t = performance.now();
    await target.request("handoffAccept", {});
    const [m, d] = await Promise.all([moved, driving]);
    switchMs.push(d - t);
    gapMs.push(Math.max(0, d - m));
    await source.leave();
    source = target;
  }
  await source.leave();
  await anchor.leave();
  await srv.stop();

  const result = {
    machine: machineInfo(),
    params: { handoffs: N },
    freshJoinMs: { p50: pct(fresh, 50), p95: pct(fresh, 95) },
    switchMs: { p50: pct(switchMs, 50), p95: pct(switchMs, 95) },
    seatGapMs: { p50: pct(gapMs, 50), p95: pct(gapMs, 95), max: round(Math.max(...gapMs), 2) },
    ratios: { switchP95OverFreshJoinP95: round(pct(switchMs, 95) / pct(fresh, 95), 3) },
    notes: "SDK clients in one process on loopback; the browser pages' switch and the voice gap are not in this bench.",
  };
  printTable(`Handoff between @colyseus/sdk clients (${N} handoffs) vs a fresh join, same run`, [
    { what: "fresh join (baseline)", p50: result.freshJoinMs.p50, p95: result.freshJoinMs.p95 },
    { what: "switch: accept → target live", p50: result.switchMs.p50, p95: result.switchMs.p95 },
    { what: "seat gap (no device driving)", p50: result.seatGapMs.p50, p95: result.seatGapMs.p95 },
  ]);
  console.log(
    `switch p95 / fresh-join p95 = ${result.ratios.switchP95OverFreshJoinP95}; max seat gap ${result.seatGapMs.max} ms`,
  );
  console.log(`wrote ${writeResult("handoff", result)}`);
}

await main();
process.exit(0);
