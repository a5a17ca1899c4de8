/**
 * Interest bench: bytes per client per second on the 10× plant (30 areas, 3,000 points, fed by the
 * simulator), with interest management off and on, in the same run:
 *   off: a server with INTEREST=off, one client (every client gets every value);
 *   on:  a server with INTEREST=on, three clients at once: one that never narrows (all areas), one watching
 *        one area, one watching one plant copy (3 areas).
 * The ratio "off / one area" is the goal (≥ 5×). Each phase runs the same simulator seed for the same window.
 *
 *   npx tsx bench/interest.ts [windowSeconds]
 */
import { fileURLToPath } from "node:url";
import {
  loadMeter,
  machineInfo,
  printTable,
  round,
  sleep,
  spawnChild,
  startBenchServer,
  writeResult,
  type Load,
} from "./common.ts";
import type { InterestClientsReport } from "./interestClients.ts";
import { makeScaledPlant } from "./scaledPlant.ts";

interface ClientSpec {
  label: string;
  areas: string[] | null;
}

interface PhaseResult {
  interest: "off" | "on";
  server: Load;
  clients: {
    label: string;
    areas: string;
    bytesPerS: number;
    messagesPerS: number;
    twinsWithValues: number;
    freshPoints: number;
  }[];
}

async function phase(
  setting: "off" | "on",
  plant: { plantsDir: string; id: string },
  specs: ClientSpec[],
  warmupMs: number,
  windowMs: number,
): Promise<PhaseResult> {
  const srv = await startBenchServer({
    SIM: "on",
    SIM_SEED: "1",
    PLANT: plant.id,
    PLANTS_DIR: plant.plantsDir,
    INTEREST: setting,
  });
  const cli = spawnChild("interestClients.ts");
  try {
    cli.send({
      type: "join",
      endpoint: srv.endpoint,
      plant: plant.id,
      clients: specs.map((s, i) => ({ name: `interest-${setting}-${i}`, areas: s.areas })),
    });
    await cli.next("ready", 120_000);
    // Join's full state, the narrowing and the simulator's first round settle before the window.
    await sleep(warmupMs);
    const meter = loadMeter();
    cli.send({ type: "window", ms: windowMs });
    const r = await cli.next<InterestClientsReport>("bytes", windowMs + 60_000);
    const server = meter();
    const secs = windowMs / 1000;
    return {
      interest: setting,
      server,
      clients: specs.map((s, i) => ({
        label: s.label,
        areas: s.areas ? s.areas.join(" ") : "(all)",
        bytesPerS: Math.round(r.socketBytes[i]! / secs),
        messagesPerS: round(r.messages[i]! / secs, 1),
        twinsWithValues: r.twinsWithValues[i]!,
        freshPoints: r.freshPoints[i]!,
      })),
    };
  } finally {
    await cli.stop();
    await srv.stop();
  }
}

export async function runInterest(opts: { scale: number; warmupMs: number; windowMs: number }) {
  const plant = makeScaledPlant(opts.scale);
  try {
    const off = await phase("off", plant, [{ label: "interest off", areas: null }], opts.warmupMs, opts.windowMs);
    const on = await phase(
      "on",
      plant,
      [
        { label: "on, never narrows", areas: null },
        { label: "on, one area", areas: ["process"] },
        { label: "on, one plant copy", areas: ["process", "packaging", "utilities"] },
      ],
      opts.warmupMs,
      opts.windowMs,
    );
    const base = off.clients[0]!.bytesPerS;
    const rows = [...off.clients.map((c) => ({ ...c, phase: off })), ...on.clients.map((c) => ({ ...c, phase: on }))];
    const table = rows.map((c) => ({
      client: c.label,
      areas: c.areas,
      "twins with values": c.twinsWithValues,
      "points fresh (10 s)": c.freshPoints,
      "B/s": c.bytesPerS,
      "msgs/s": c.messagesPerS,
      "off / this": round(base / Math.max(1, c.bytesPerS), 2),
      "server CPU (core)": c.phase.server.cpuCoreFraction,
    }));
    const oneArea = on.clients[1]!.bytesPerS;
    const ratios = {
      offOverOneArea: round(base / Math.max(1, oneArea), 2),
      offOverOnePlantCopy: round(base / Math.max(1, on.clients[2]!.bytesPerS), 2),
      neverNarrowsOverOff: round(on.clients[0]!.bytesPerS / Math.max(1, base), 3),
      goal: "interest off / one area >= 5",
      goalMet: base / Math.max(1, oneArea) >= 5,
    };
    return { params: { ...opts, plant: plant.id, simulator: "seed 1" }, phases: [off, on], ratios, table };
  } finally {
    plant.remove();
  }
}

async function main(): Promise<void> {
  const windowS = Number(process.argv[2] ?? 20);
  const machine = machineInfo();
  const result = await runInterest({ scale: 10, warmupMs: 8000, windowMs: windowS * 1000 });
  printTable(
    "Interest management: WebSocket bytes per client on the 10x plant (simulator), off vs on (same run)",
    result.table,
  );
  console.log(`\nratios: ${JSON.stringify(result.ratios)}`);
  console.log(writeResult("interest", { machine, ...result }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
