/**
 * `npm run bench [-- ingest|latency|bytes ...]`: runs the benches (all by
 * default), prints each one's table and writes bench/results/<name>.json with
 * the machine, the parameters, the raw numbers and the ratios to the baselines.
 * Traffic goes only to the local broker and to servers on 127.0.0.1; each bench
 * stops its own server and children. Whole run: 4–5 minutes on 2 busy cores.
 */
import os from "node:os";
import { runBytes } from "./bytes.ts";
import { runForecastBacktest } from "./forecastBacktest.ts";
import { machineInfo, numberArg, printTable, round, writeResult } from "./common.ts";
import { runIngest } from "./ingest.ts";
import { runLatency } from "./latency.ts";
import { runNodeRed } from "./nodeRed.ts";

const BENCHES = {
  ingest: () => runIngest({ count: 200_000, reps: 5 }),
  latency: () =>
    runLatency({
      rates: [1000, 10_000],
      clients: 20,
      warmupMs: 1000,
      durationMs: 10_000,
      patchRatesMs: [50, 16],
      reps: 3,
    }),
  bytes: () => runBytes({ rates: [1000, 10_000], warmupMs: 1000, durationMs: 10_000 }),
  nodered: () => runNodeRed({ rates: [1000, 10_000], clients: 20, warmupMs: 1000, durationMs: 10_000, reps: 3 }),
  forecast: () =>
    runForecastBacktest({
      seeds: numberArg("seeds", 8),
      quietHours: numberArg("quiet-hours", 3),
      // As catalogued (alarm ~72 s / ~11 s after the start), and slowed to develop over ~25 / ~10 minutes.
      faults: [
        { name: "bearing-wear", slowdown: 1 },
        { name: "cavitation", slowdown: 1 },
        { name: "bearing-wear", slowdown: 20 },
        { name: "cavitation", slowdown: 60 },
      ],
    }),
} as const;
type BenchName = keyof typeof BENCHES;

const TITLES: Record<BenchName, string> = {
  ingest: "Ingest: tag updates/s into the twin vs a bare mqtt.js subscriber (same process, same stream; median)",
  latency:
    "Latency (ms): publish -> decode in 20 SDK clients vs publish -> bare mqtt.js subscriber on the same stream at the same time (median of repetitions)",
  bytes: "Bytes: WebSocket bytes per SDK client vs raw MQTT bytes of the same stream",
  nodered:
    "Gemba beside Node-RED 4 (mqtt in -> json -> websocket out), same publisher, rates and 20 WebSocket receivers (median of repetitions)",
  forecast:
    "Forecast backtest: warning lead before each slow fault's first alarm (simulator, many seeds) vs the warning limits",
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a, i, all) => !a.startsWith("-") && !all[i - 1]?.startsWith("--"));
  const unknown = asked.filter((a) => !(a in BENCHES));
  if (unknown.length) {
    console.error(`Unknown bench ${unknown.join(", ")}; choose from ${Object.keys(BENCHES).join(", ")}.`);
    process.exit(2);
  }
  const names = (asked.length ? asked : Object.keys(BENCHES)) as BenchName[];
  for (const name of names) {
    const machine = machineInfo();
    const t0 = performance.now();
    console.log(`\n== ${name} (load average ${machine.loadAvg1mAtStart} on ${machine.cores} cores) ==`);
    const result = await BENCHES[name]();
    const seconds = round((performance.now() - t0) / 1000, 1);
    printTable(TITLES[name], result.table);
    if ("extraTables" in result) for (const t of result.extraTables) printTable(t.title, t.rows);
    const verdict = result.ratios.goalMet === null ? "no pass mark" : result.ratios.goalMet ? "met" : "MISSED";
    console.log(`goal: ${result.ratios.goal} -> ${verdict}`);
    const file = writeResult(name, {
      bench: name,
      machine,
      loadAvg1mAtEnd: round(os.loadavg()[0]!, 2),
      seconds,
      ...result,
    });
    console.log(`wrote ${file} (${seconds} s)`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
