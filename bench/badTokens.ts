/**
 * Bad-token flood bench (issue #18 acceptance): what do 200 requests a second with a bad sign-in token, from one
 * source, cost a legitimate write?
 *
 *   npx tsx bench/badTokens.ts [--rate 200] [--duration 10000] [--reps 3] [--every 25] [--no-cutoff]
 *
 * One Gemba server (this process, journal on disk, the default per-address budgets), an operator's SDK client in a
 * child process bookmarking every --every ms (send → durable answer: a journal row written and synced), and a
 * flooder child on its own loopback address (127.0.0.2) sending GET /api/plants/demo with a forged bearer
 * token at --rate per second. Windows without (A) and with (B) the flood alternate on the same server
 * (A B, B A, A B, …), so the baseline is measured in the same run. Reports p50/p99 per window, the medians, and
 * the ratio B/A of the medians (goal: ≤ 1.2). Results: bench/results/bad-tokens.json.
 */
import os from "node:os";
import {
  machineInfo,
  median,
  numberArg,
  printTable,
  round,
  spawnChild,
  startBenchServer,
  writeResult,
} from "./common.ts";
import type { FloodStats, WriteStats } from "./badTokenChild.ts";
import { devToken } from "../kit/devSignIn.ts";

const RATE = numberArg("rate", 200);
const DURATION = numberArg("duration", 10_000);
const REPS = numberArg("reps", 3);
const EVERY = numberArg("every", 25);
/**
 * --no-cutoff raises the per-address budgets out of reach, so every bad token reaches the token check and the refusal
 * digest: the cost of that path alone, beside the default where the address is cut off after REFUSALS_PER_MINUTE.
 */
const NO_CUTOFF = process.argv.includes("--no-cutoff");

async function main(): Promise<void> {
  const bench = await startBenchServer(
    NO_CUTOFF ? { RATE_LIMIT_PER_MINUTE: "1000000", REFUSALS_PER_MINUTE: "1000000" } : {},
  );
  const writer = spawnChild("badTokenChild.ts");
  const flooder = spawnChild("badTokenChild.ts");
  try {
    // A real token of this server with its signature replaced: it parses, and fails only at the signature check.
    const real = await devToken(bench.endpoint, "Mallory", "admin");
    const forged = real.replace(/\.[^.]+$/, ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    writer.send({ type: "writer", endpoint: bench.endpoint });
    flooder.send({ type: "flooder", endpoint: bench.endpoint, forged, from: "127.0.0.2" });
    await writer.next("ready");
    await flooder.next("ready");
    // Warm-up: first writes open the journal's pages and JIT the path.
    writer.send({ type: "measure", durationMs: 2000, everyMs: EVERY });
    await writer.next("writes");

    const windows: { rep: number; run: "A" | "B"; writes: WriteStats; flood: FloodStats | null }[] = [];
    for (let rep = 1; rep <= REPS; rep++) {
      const order: ("A" | "B")[] = rep % 2 === 1 ? ["A", "B"] : ["B", "A"];
      for (const run of order) {
        if (run === "B") flooder.send({ type: "flood", durationMs: DURATION, rate: RATE });
        writer.send({ type: "measure", durationMs: DURATION, everyMs: EVERY });
        const writes = await writer.next<WriteStats>("writes", DURATION + 60_000);
        const flood = run === "B" ? await flooder.next<FloodStats>("flooded", DURATION + 60_000) : null;
        windows.push({ rep, run, writes, flood });
        console.log(
          `rep ${rep} ${run}: p50 ${writes.p50} ms, p99 ${writes.p99} ms` +
            (flood ? `, flood ${JSON.stringify(flood.byStatus)}` : ""),
        );
      }
    }
    const of = (run: "A" | "B", k: "p50" | "p99") => windows.filter((w) => w.run === run).map((w) => w.writes[k]);
    const summary = {
      A: { p50: median(of("A", "p50")), p99: median(of("A", "p99")) },
      B: { p50: median(of("B", "p50")), p99: median(of("B", "p99")) },
    };
    const ratio = { p50: round(summary.B.p50 / summary.A.p50, 3), p99: round(summary.B.p99 / summary.A.p99, 3) };
    const floods = windows.flatMap((w) => (w.flood ? [w.flood] : []));
    printTable(
      `Legitimate write (bookmark → durable answer) during ${RATE} bad-token requests/s from one source (ms, median of ${REPS} windows of ${DURATION / 1000} s)`,
      [
        { run: "A no flood", p50: summary.A.p50, p99: summary.A.p99, "p99 / A": 1, "flood answers": "" },
        {
          run: `B ${RATE}/s bad tokens`,
          p50: summary.B.p50,
          p99: summary.B.p99,
          "p99 / A": ratio.p99,
          "flood answers": JSON.stringify(floods[0]?.byStatus ?? {}),
        },
      ],
    );
    console.log(`\nB/A: p50 ${ratio.p50}, p99 ${ratio.p99} (goal ≤ 1.2)`);
    const file = writeResult(NO_CUTOFF ? "bad-tokens-no-cutoff" : "bad-tokens", {
      bench: "bad-tokens",
      at: new Date().toISOString(),
      machine: machineInfo(),
      loadAtStart: os.loadavg(),
      settings: {
        rate: RATE,
        durationMs: DURATION,
        reps: REPS,
        everyMs: EVERY,
        source: "127.0.0.2",
        noCutoff: NO_CUTOFF,
      },
      windows,
      summary,
      ratio,
      goal: { ratioMax: 1.2, met: ratio.p50 <= 1.2 && ratio.p99 <= 1.2 },
    });
    console.log(`wrote ${file}`);
  } finally {
    await writer.stop();
    await flooder.stop();
    await bench.stop();
  }
}

await main();
process.exit(0);
