/**
 * Growth curves: the same server on plants of 1×, 10× and 100× the demo's points (copies made by the scene
 * generator), each point published once a second by the bench publisher, one SDK client watching everything.
 * Per size: server CPU per message (all its work over the messages: ingest, rules, patches, timers), patch bytes per client, server memory, publish → client p50/p99, and whether
 * the client kept up. The largest plant one process holds at 1 Hz per point with p99 ≤ 100 ms is read off the rows.
 * The baseline in each row is the 1× plant measured in the same run (ratios "× 1×").
 *
 *   npx tsx bench/growth.ts [--scales 1,10,100] [--seconds 15]
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  machineInfo,
  numberArg,
  numberListArg,
  plantPoints,
  printTable,
  round,
  shift,
  spawnChild,
  startBenchServer,
  writeResult,
} from "./common.ts";
import { pacedRun, receivers } from "./latency.ts";
import { makeScaledPlant } from "./scaledPlant.ts";

interface GrowthRow {
  scale: number;
  points: number;
  updatesPerS: number;
  sentPerS: number;
  serverCpuCores: number;
  serverLoopUtil: number;
  serverCpuUsPerMessage: number;
  appliedOverSent: number;
  patchBytesPerClientPerS: number;
  rssMb: number;
  heapUsedMb: number;
  twinMemoryMb: number;
  p50Ms: number;
  p99Ms: number;
  seenOverSent: number;
  keptUp: boolean;
}

const MB = 1024 * 1024;

async function measure(scale: number, seconds: number): Promise<GrowthRow> {
  const plant = scale === 1 ? null : makeScaledPlant(scale);
  const id = plant?.id ?? "demo";
  const dir = plant ? path.join(plant.plantsDir, id) : undefined;
  const points = await plantPoints(dir ?? fileURLToPath(new URL("../assets/plants/demo", import.meta.url)));
  const env: Record<string, string> = { PLANT: id };
  if (plant) env["PLANTS_DIR"] = plant.plantsDir;
  const srv = await startBenchServer(env);
  const pub = spawnChild("publisher.ts");
  try {
    const rate = points.length; // every point once a second
    const durationMs = seconds * 1000;
    const r = await pacedRun({
      pub,
      points,
      prefix: srv.prefix,
      plant: id,
      setups: [receivers({ type: "sdk", endpoint: srv.endpoint, clients: 1, plant: id })],
      rate,
      warmupMs: 3000,
      durationMs,
      srv,
    });
    const mem = process.memoryUsage();
    const rt = srv.server.hub.loaded()[0]!;
    const recv = r.receivers[0]!;
    const sdk = recv.report.sdk!;
    const latency = shift(sdk.latency, recv.correction);
    const sent = r.pubReport.window.sent;
    const applied = r.server?.applied ?? 0;
    const cpuCores = r.server?.load.cpuCoreFraction ?? Number.NaN;
    const appliedOverSent = round(applied / Math.max(1, sent), 3);
    return {
      scale,
      points: points.length,
      updatesPerS: rate,
      sentPerS: Math.round(sent / seconds),
      serverCpuCores: cpuCores,
      serverLoopUtil: r.server?.load.eventLoopUtilization ?? Number.NaN,
      serverCpuUsPerMessage: round((cpuCores * durationMs * 1000) / Math.max(1, applied), 2),
      appliedOverSent,
      patchBytesPerClientPerS: Math.round((sdk.socketBytes[0] ?? 0) / seconds),
      rssMb: round(mem.rss / MB, 1),
      heapUsedMb: round(mem.heapUsed / MB, 1),
      twinMemoryMb: round(rt.twin.memoryBytes() / MB, 1),
      p50Ms: round(latency.p50Ms, 1),
      p99Ms: round(latency.p99Ms, 1),
      seenOverSent: round(sdk.samples / Math.max(1, sent), 3),
      // Kept up: the server applied what was sent, and the published rate was reached (the publisher can be the limit).
      keptUp: appliedOverSent >= 0.99 && sent / seconds >= rate * 0.95,
    };
  } finally {
    await pub.stop();
    await srv.stop();
    plant?.remove();
  }
}

async function main(): Promise<void> {
  const scales = numberListArg("scales", [1, 10, 100]);
  const seconds = numberArg("seconds", 15);
  const machine = machineInfo();
  console.log(`growth: plants of ${scales.join("×, ")}× the demo (load average ${machine.loadAvg1mAtStart})`);
  const rows: GrowthRow[] = [];
  for (const scale of scales) {
    console.log(`  ${scale}× ...`);
    rows.push(await measure(scale, seconds));
  }
  const base = rows.find((r) => r.scale === 1) ?? rows[0]!;
  const table = rows.map((r) => ({
    plant: `${r.scale}×`,
    points: r.points,
    "updates/s": r.updatesPerS,
    "sent/s": r.sentPerS,
    "applied/sent": r.appliedOverSent,
    "server cores": r.serverCpuCores,
    "server CPU µs/msg": r.serverCpuUsPerMessage,
    "µs/msg × 1×": round(r.serverCpuUsPerMessage / base.serverCpuUsPerMessage, 2),
    "bytes/s per client": r.patchBytesPerClientPerS,
    "RSS MB": r.rssMb,
    "twin history MB": r.twinMemoryMb,
    "p50 ms": r.p50Ms,
    "p99 ms": r.p99Ms,
    "kept up": r.keptUp ? "yes" : "NO",
  }));
  printTable("Growth: one process, every point at 1 Hz, one client watching everything", table);
  const holding = rows.filter((r) => r.keptUp && r.p99Ms <= 100);
  const largest = holding.length ? Math.max(...holding.map((r) => r.points)) : null;
  const ratios = {
    largestPlantPointsAt1HzP99Under100Ms: largest,
    serverUsPerMessage100xOver1x: rows.find((r) => r.scale === 100)
      ? round(rows.find((r) => r.scale === 100)!.serverCpuUsPerMessage / base.serverCpuUsPerMessage, 2)
      : null,
    goal: "the largest plant one process holds at 1 Hz per point with p99 <= 100 ms (measured, no pass mark)",
    goalMet: null,
  };
  console.log(`largest plant held at 1 Hz per point with p99 <= 100 ms: ${largest ?? "none"} points`);
  const file = writeResult("growth", {
    bench: "growth",
    machine,
    params: { scales, seconds, clients: 1, qos: 0 },
    rows,
    ratios,
    table,
  });
  console.log(`wrote ${file}`);
  process.exit(0);
}

await main();
