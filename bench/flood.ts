/**
 * Flood bench: does one flooding client cost the others anything?
 *
 *   npx tsx bench/flood.ts [--clients 10] [--rate 2000] [--flood-rate 5000] [--warmup 1000]
 *                          [--duration 10000] [--reps 3] [--runs A,B,C]
 *
 * A Gemba server at its default rate limit (MAX_MESSAGES_PER_SECOND=60), the
 * publisher child pacing demo-plant samples at --rate, N honest SDK clients
 * measuring publish → decode latency and a bare mqtt.js subscriber on the same
 * stream at the same time (the machine's own baseline; bench/latency.ts's method
 * and helpers). Runs, each on a fresh server, the order alternating per repetition:
 *   A  no flood;
 *   B  one more client floods valid poses at --flood-rate from the window's start:
 *      it must be closed (code and time recorded);
 *   C  the same flooder joins again as soon as it is closed, for the whole window.
 * Reports p50/p99 per run and the ratios B/A and C/A of the honest clients' p99
 * (goal: B/A <= 1.10), beside the bare subscriber's own B/A (the noise floor).
 */
import os from "node:os";
import {
  BROKER,
  demoPoints,
  localPlantRoom,
  machineInfo,
  median,
  printTable,
  round,
  shift,
  spawnChild,
  startBenchServer,
  writeResult,
  type Child,
} from "./common.ts";
import { pacedRun, receivers } from "./latency.ts";
import type { LatencyStats } from "./clients.ts";
import type { FlooderReport } from "./flooder.ts";

type RunKind = "A" | "B" | "C";
const RUN_NAMES: Record<RunKind, string> = {
  A: "no flood",
  B: "one flooder (closed)",
  C: "flooder rejoining",
};

interface Params {
  clients: number;
  rate: number;
  floodRate: number;
  warmupMs: number;
  durationMs: number;
  reps: number;
  runs: RunKind[];
}

function parseArgs(argv: string[]): Params {
  const p: Params = {
    clients: 10,
    rate: 2000,
    floodRate: 5000,
    warmupMs: 1000,
    durationMs: 10_000,
    reps: 3,
    runs: ["A", "B", "C"],
  };
  const num = (flag: string, v: string | undefined, ok: (n: number) => boolean): number => {
    const n = Number(v);
    if (v === undefined || !ok(n)) throw new Error(`bad value for ${flag}: ${v}`);
    return n;
  };
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, v] = [argv[i]!, argv[i + 1]];
    if (flag === "--clients") p.clients = num(flag, v, positiveInt);
    else if (flag === "--rate") p.rate = num(flag, v, (n) => n > 0);
    else if (flag === "--flood-rate") p.floodRate = num(flag, v, (n) => n > 0);
    else if (flag === "--warmup") p.warmupMs = num(flag, v, (n) => n >= 0);
    else if (flag === "--duration") p.durationMs = num(flag, v, (n) => n > 0);
    else if (flag === "--reps") p.reps = num(flag, v, positiveInt);
    else if (flag === "--runs") {
      const runs = (v ?? "").split(",") as RunKind[];
      if (!runs.every((r) => r in RUN_NAMES)) throw new Error(`bad value for --runs: ${v} (A, B, C)`);
      p.runs = runs;
    } else throw new Error(`unknown option ${flag} (see the header of bench/flood.ts)`);
  }
  return p;
}

interface FloodRun {
  rep: number;
  kind: RunKind;
  sentInWindow: number;
  sdk: LatencyStats;
  bare: LatencyStats;
  seenPerClientOverSent: number;
  flooder: FlooderReport | null;
  /** Connections the server closed with CloseCode.FLOODING during the run. */
  serverFloodCloses: number;
  serverLoopUtil: number | null;
}

async function oneRun(p: Params, kind: RunKind, rep: number, pub: Child): Promise<FloodRun> {
  const points = await demoPoints();
  const srv = await startBenchServer(); // default MAX_MESSAGES_PER_SECOND (60)
  let flooder: Child | null = null;
  // Held from the window's start: the room is disposed once the clients leave, its counters stay readable.
  let room: { counters: { floodCloses: number } } | null = null;
  try {
    if (kind !== "A") {
      flooder = spawnChild("flooder.ts");
      flooder.send({ type: "join", endpoint: srv.endpoint });
      await flooder.next("ready", 60_000);
    }
    const r = await pacedRun({
      pub,
      points,
      prefix: srv.prefix,
      setups: [
        receivers({ type: "sdk", endpoint: srv.endpoint, clients: p.clients }),
        receivers({ type: "mqtt", url: BROKER, filter: `${srv.prefix}gemba/demo/+/+` }),
      ],
      rate: p.rate,
      warmupMs: p.warmupMs,
      durationMs: p.durationMs,
      srv,
      // The flood starts with the measured window (same machine: the clocks agree well within a millisecond).
      onWindow: (from, to) => {
        flooder?.send({ type: "flood", rate: p.floodRate, from, to, reconnect: kind === "C" });
        void localPlantRoom<{ counters: { floodCloses: number } }>().then((r) => (room = r));
      },
    });
    let report: FlooderReport | null = null;
    if (flooder) {
      await flooder.next("flooded", 60_000);
      flooder.send({ type: "report" });
      report = await flooder.next<FlooderReport>("report");
    }
    const [sdk, bare] = r.receivers;
    const sent = r.pubReport.window.sent;
    return {
      rep,
      kind,
      sentInWindow: sent,
      sdk: shift(sdk!.report.sdk!.latency, sdk!.correction),
      bare: shift(bare!.report.mqtt!.latency, bare!.correction),
      seenPerClientOverSent: round(sdk!.report.sdk!.samples / p.clients / sent, 4),
      flooder: report,
      serverFloodCloses: (room as { counters: { floodCloses: number } } | null)?.counters.floodCloses ?? 0,
      serverLoopUtil: r.server?.load.eventLoopUtilization ?? null,
    };
  } finally {
    await flooder?.stop();
    await srv.stop();
  }
}

async function main(): Promise<void> {
  const p = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  const t0 = performance.now();
  console.log(
    `flood bench: ${p.clients} SDK clients, ${p.rate} updates/s, flooder at ${p.floodRate} msgs/s, ` +
      `${p.reps} × runs ${p.runs.join(",")} of ${p.durationMs / 1000} s (load average ${machine.loadAvg1mAtStart} on ${machine.cores} cores)`,
  );
  const pub = spawnChild("publisher.ts");
  const runs: FloodRun[] = [];
  try {
    for (let rep = 0; rep < p.reps; rep++) {
      const order = rep % 2 === 0 ? p.runs : [...p.runs].reverse();
      for (const kind of order) {
        const run = await oneRun(p, kind, rep, pub);
        runs.push(run);
        const f = run.flooder;
        console.log(
          `  rep ${rep} ${kind}: SDK p99 ${round(run.sdk.p99Ms, 1)} ms, bare p99 ${round(run.bare.p99Ms, 1)} ms` +
            (f
              ? `, flooder sent ${f.sent}, closed ${f.closes.length}× (${f.closes
                  .map((c) => `${c.code} after ${c.afterMs} ms`)
                  .slice(0, 3)
                  .join(", ")})`
              : ""),
        );
      }
    }
  } finally {
    await pub.stop();
  }

  const med = (kind: RunKind, f: (r: FloodRun) => number) => median(runs.filter((r) => r.kind === kind).map(f));
  const summary = p.runs.map((kind) => {
    const rs = runs.filter((r) => r.kind === kind);
    const closes = rs.flatMap((r) => r.flooder?.closes ?? []);
    return {
      kind,
      name: RUN_NAMES[kind],
      reps: rs.length,
      sdkP50Ms: round(
        med(kind, (r) => r.sdk.p50Ms),
        1,
      ),
      sdkP99Ms: round(
        med(kind, (r) => r.sdk.p99Ms),
        1,
      ),
      bareP50Ms: round(
        med(kind, (r) => r.bare.p50Ms),
        1,
      ),
      bareP99Ms: round(
        med(kind, (r) => r.bare.p99Ms),
        1,
      ),
      seenPerClientOverSent: round(
        med(kind, (r) => r.seenPerClientOverSent),
        3,
      ),
      flooderSentPerRun: rs[0]?.flooder ? round(median(rs.map((r) => r.flooder!.sent)), 0) : null,
      closesPerRun: rs[0]?.flooder ? round(median(rs.map((r) => r.flooder!.closes.length)), 0) : null,
      closeCodes: [...new Set(closes.map((c) => c.code))],
      medianCloseAfterMs: closes.length ? round(median(closes.map((c) => c.afterMs)), 1) : null,
      medianSentBeforeClose: closes.length ? round(median(closes.map((c) => c.sent)), 0) : null,
      medianRejoinMs: kind === "C" ? round(median(rs.flatMap((r) => r.flooder?.rejoinMs ?? [])), 1) : null,
      serverFloodClosesPerRun: round(median(rs.map((r) => r.serverFloodCloses)), 0),
      serverLoopUtil: round(median(rs.map((r) => r.serverLoopUtil ?? Number.NaN)), 3),
    };
  });
  const a = summary.find((s) => s.kind === "A");
  /** Per repetition, a flood run's p99 over the same repetition's no-flood p99; then the median. */
  const pairedRatio = (kind: RunKind, f: (r: FloodRun) => number) => {
    const xs = runs
      .filter((r) => r.kind === kind)
      .map((r) => {
        const base = runs.find((b) => b.kind === "A" && b.rep === r.rep);
        return base ? f(r) / f(base) : Number.NaN;
      });
    return xs.length ? round(median(xs), 3) : null;
  };
  const ratios = {
    sdkP99BOverA: pairedRatio("B", (r) => r.sdk.p99Ms),
    sdkP99COverA: pairedRatio("C", (r) => r.sdk.p99Ms),
    bareP99BOverA: pairedRatio("B", (r) => r.bare.p99Ms),
    bareP99COverA: pairedRatio("C", (r) => r.bare.p99Ms),
    goal: "a flooding client is disconnected while the other clients' p99 stays within 10% of its no-flood value (B/A <= 1.10)",
    goalMet: null as boolean | null,
  };
  const b = summary.find((s) => s.kind === "B");
  if (a && b && ratios.sdkP99BOverA !== null)
    ratios.goalMet = ratios.sdkP99BOverA <= 1.1 && b.closeCodes.length === 1 && b.closeCodes[0] === 4429;

  const table = summary.map((s) => ({
    run: `${s.kind} ${s.name}`,
    "SDK p50": s.sdkP50Ms,
    "SDK p99": s.sdkP99Ms,
    "bare p50": s.bareP50Ms,
    "bare p99": s.bareP99Ms,
    "p99 / A": s.kind === "A" ? 1 : ((s.kind === "B" ? ratios.sdkP99BOverA : ratios.sdkP99COverA) ?? ""),
    "bare p99 / A": s.kind === "A" ? 1 : ((s.kind === "B" ? ratios.bareP99BOverA : ratios.bareP99COverA) ?? ""),
    "flooder sent": s.flooderSentPerRun ?? "",
    "closes/run": s.closesPerRun ?? "",
    code: s.closeCodes.join(",") || "",
    "closed after ms": s.medianCloseAfterMs ?? "",
    "sent before close": s.medianSentBeforeClose ?? "",
    "rejoin ms": s.medianRejoinMs ?? "",
    "server loop util": s.serverLoopUtil,
  }));
  const perRep = runs.map((r) => ({
    rep: r.rep,
    run: r.kind,
    "SDK p50": round(r.sdk.p50Ms, 1),
    "SDK p99": round(r.sdk.p99Ms, 1),
    "bare p99": round(r.bare.p99Ms, 1),
    "SDK seen/sent": r.seenPerClientOverSent,
    closes: r.flooder?.closes.length ?? "",
    "server 4429s": r.serverFloodCloses,
  }));
  printTable(
    `Flood (ms): publish -> decode in ${p.clients} SDK clients at ${p.rate} updates/s, median of ${p.reps} repetitions; ratios paired per repetition`,
    table,
  );
  printTable("Flood: every run", perRep);
  console.log(
    `goal: ${ratios.goal} -> ${ratios.goalMet === null ? "not measured" : ratios.goalMet ? "met" : "MISSED"}`,
  );
  const seconds = round((performance.now() - t0) / 1000, 1);
  const file = writeResult("flood", {
    bench: "flood",
    machine,
    loadAvg1mAtEnd: round(os.loadavg()[0]!, 2),
    seconds,
    params: { ...p, points: (await demoPoints()).length, qos: 0, broker: BROKER, maxMessagesPerSecond: 60 },
    runs,
    summary,
    ratios,
    table,
  });
  console.log(`wrote ${file} (${seconds} s)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
