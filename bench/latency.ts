/**
 * Latency bench: publish → client-decode latency of point samples, with 20
 * @colyseus/sdk clients in one room, against a bare mqtt.js subscriber's
 * publish → receive latency at the same paced rate, in the same run.
 *
 * Processes: this one runs the server; a publisher child paces samples and
 * stamps each with its send time; a clients child holds the 20 SDK clients (or
 * the bare subscriber) and records `receive − ts` in schema callbacks, after the
 * patch is decoded. The two children's clocks are aligned to this process by
 * IPC ping-pong and the offset is corrected. Latest value wins per patch, so
 * clients see only the newest sample of a point per patch: the latency of a
 * sample that was overwritten before a patch is not observed (it is counted as
 * coalesced).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { matchMaker } from "@colyseus/core";
import { PLANT_ROOM } from "../shared/protocol.ts";
import {
  BROKER,
  demoPoints,
  loadMeter,
  nowMs,
  round,
  sleep,
  spawnChild,
  startBenchServer,
  uniquePrefix,
  type BenchServer,
  type Child,
  type Load,
  type PointSpec,
} from "./common.ts";
import type { ClientsReport, LatencyStats } from "./clients.ts";
import type { PublishReport } from "./publisher.ts";

export interface LatencyParams {
  rates: number[];
  clients: number;
  warmupMs: number;
  durationMs: number;
  patchRatesMs: number[];
}

export interface ServerSide {
  load: Load;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  applied: number;
  flushesPerS: number;
  written: number;
  coalesced: number;
}

export interface LatencyRun {
  receiver: string;
  patchRateMs: number | null;
  rate: number;
  sentInWindow: number;
  /** Samples decoded per receiver over samples sent (below 1: coalesced or lost). */
  deliveredPerReceiver: number;
  latency: LatencyStats;
  clockOffsetCorrectionMs: number;
  clockRttMs: number;
  clientsLoad: Load | null;
  server: ServerSide | null;
}

function shift(s: LatencyStats, by: number): LatencyStats {
  const f = (x: number) => round(x + by, 3);
  return {
    count: s.count,
    meanMs: f(s.meanMs),
    p50Ms: f(s.p50Ms),
    p95Ms: f(s.p95Ms),
    p99Ms: f(s.p99Ms),
    p999Ms: f(s.p999Ms),
    maxMs: f(s.maxMs),
  };
}

async function syncCounters(): Promise<{ flushes: number; written: number; coalesced: number }> {
  const [room] = await matchMaker.query({ name: PLANT_ROOM });
  const local = room ? (matchMaker.getLocalRoomById(room.roomId) as unknown as { syncCounters?: unknown }) : null;
  const c = local?.syncCounters as { flushes: number; written: number; coalesced: number } | undefined;
  return c ? { ...c } : { flushes: 0, written: 0, coalesced: 0 };
}

/** One paced run against the receivers `setup` starts in a fresh clients child; `srv` is null for the bare subscriber. */
export async function pacedRun(opts: {
  pub: Child;
  points: PointSpec[];
  prefix: string;
  setup: (cli: Child) => Promise<void>;
  rate: number;
  warmupMs: number;
  durationMs: number;
  srv: BenchServer | null;
  tsFormat?: "float" | "int";
}): Promise<{
  report: ClientsReport;
  pubReport: PublishReport;
  server: ServerSide | null;
  correction: number;
  rtt: number;
}> {
  const cli = spawnChild("clients.ts");
  try {
    await opts.setup(cli);
    opts.pub.send({
      type: "config",
      url: BROKER,
      prefix: opts.prefix,
      points: opts.points,
      tsFormat: opts.tsFormat ?? "float",
    });
    await opts.pub.next("ready");
    const pubClock = await opts.pub.clockOffset();
    const cliClock = await cli.clockOffset();
    opts.pub.send({ type: "paced", rate: opts.rate, warmupMs: opts.warmupMs, durationMs: opts.durationMs });
    const { t0 } = await opts.pub.next<{ type: "started"; t0: number }>("started");
    const from = t0 + opts.warmupMs;
    const to = from + opts.durationMs;
    cli.send({ type: "window", from, to });

    // Server side over the same window (in this process's clock; the offset is well under a patch).
    let server: ServerSide | null = null;
    const rt = opts.srv?.server.hub.loaded()[0];
    if (opts.srv && rt) {
      await sleep(Math.max(0, from - pubClock.offsetMs - nowMs()));
      const meter = loadMeter();
      const eld = monitorEventLoopDelay({ resolution: 5 });
      eld.enable();
      const applied0 = rt.ingest.counters.applied;
      const s0 = await syncCounters();
      const t = performance.now();
      await sleep(Math.max(0, to - pubClock.offsetMs - nowMs()));
      eld.disable();
      const s1 = await syncCounters();
      const secs = (performance.now() - t) / 1000;
      server = {
        load: meter(),
        eventLoopDelayP99Ms: round(eld.percentile(99) / 1e6, 2),
        eventLoopDelayMaxMs: round(eld.max / 1e6, 2),
        applied: rt.ingest.counters.applied - applied0,
        flushesPerS: round((s1.flushes - s0.flushes) / secs, 1),
        written: s1.written - s0.written,
        coalesced: s1.coalesced - s0.coalesced,
      };
    }
    const pubReport = await opts.pub.next<PublishReport>("done", opts.warmupMs + opts.durationMs + 30_000);
    await sleep(500); // the last patches are in flight
    cli.send({ type: "report" });
    const report = await cli.next<ClientsReport>("report", 60_000);
    return {
      report,
      pubReport,
      server,
      correction: pubClock.offsetMs - cliClock.offsetMs,
      rtt: Math.max(pubClock.rttMs, cliClock.rttMs),
    };
  } finally {
    await cli.stop();
  }
}

export async function runLatency(p: LatencyParams) {
  const points = await demoPoints();
  const pub = spawnChild("publisher.ts");
  const runs: LatencyRun[] = [];
  const bareDone = new Set<number>();
  try {
    for (const patchRateMs of p.patchRatesMs) {
      const srv = await startBenchServer({ PATCH_RATE_MS: String(patchRateMs) });
      try {
        for (const rate of p.rates) {
          const sdk = await pacedRun({
            pub,
            points,
            prefix: srv.prefix,
            setup: async (cli) => {
              cli.send({ type: "sdk", endpoint: srv.endpoint, clients: p.clients });
              await cli.next("ready", 120_000);
            },
            rate,
            warmupMs: p.warmupMs,
            durationMs: p.durationMs,
            srv,
          });
          const r = sdk.report.sdk!;
          runs.push({
            receiver: `${p.clients} SDK clients`,
            patchRateMs,
            rate,
            sentInWindow: sdk.pubReport.window.sent,
            deliveredPerReceiver: round(r.samples / p.clients / sdk.pubReport.window.sent, 4),
            latency: shift(r.latency, sdk.correction),
            clockOffsetCorrectionMs: round(sdk.correction, 3),
            clockRttMs: sdk.rtt,
            clientsLoad: sdk.report.load,
            server: sdk.server,
          });
          // The bare baseline once per rate, between the SDK runs.
          if (bareDone.has(rate)) continue;
          bareDone.add(rate);
          const prefix = uniquePrefix("bar");
          const bare = await pacedRun({
            pub,
            points,
            prefix,
            setup: async (cli) => {
              cli.send({ type: "mqtt", url: BROKER, filter: `${prefix}gemba/demo/+/+` });
              await cli.next("ready");
            },
            rate,
            warmupMs: p.warmupMs,
            durationMs: p.durationMs,
            srv: null,
          });
          const b = bare.report.mqtt!;
          runs.push({
            receiver: "bare mqtt.js",
            patchRateMs: null,
            rate,
            sentInWindow: bare.pubReport.window.sent,
            deliveredPerReceiver: round(b.samples / bare.pubReport.window.sent, 4),
            latency: shift(b.latency, bare.correction),
            clockOffsetCorrectionMs: round(bare.correction, 3),
            clockRttMs: bare.rtt,
            clientsLoad: bare.report.load,
            server: null,
          });
        }
      } finally {
        await srv.stop();
      }
    }
  } finally {
    await pub.stop();
  }

  const bareP99 = (rate: number) => runs.find((r) => r.rate === rate && r.patchRateMs === null)?.latency.p99Ms;
  const table = runs
    .slice()
    .sort((a, b) => a.rate - b.rate || (a.patchRateMs ?? 0) - (b.patchRateMs ?? 0))
    .map((r) => ({
      "updates/s": r.rate,
      receiver: r.receiver + (r.patchRateMs ? `, patch ${r.patchRateMs} ms` : ""),
      "p50 ms": round(r.latency.p50Ms, 1),
      "p95 ms": round(r.latency.p95Ms, 1),
      "p99 ms": round(r.latency.p99Ms, 1),
      "max ms": round(r.latency.maxMs, 1),
      "p99 × bare": r.patchRateMs ? round(r.latency.p99Ms / (bareP99(r.rate) ?? Number.NaN), 1) : 1,
      "seen/sent": r.deliveredPerReceiver,
      "patches/s": r.server?.flushesPerS ?? "",
      "server loop util": r.server?.load.eventLoopUtilization ?? "",
      "clients loop util": r.clientsLoad?.eventLoopUtilization ?? "",
    }));
  const top = Math.max(...p.rates);
  const goalRun = runs.find((r) => r.rate === top && r.patchRateMs === 50);
  const ratios = {
    [`p99At${top}OverBare`]: goalRun ? round(goalRun.latency.p99Ms / (bareP99(top) ?? Number.NaN), 2) : null,
    goal: `p99 <= 100 ms at ${top} updates/s with ${p.clients} clients (default patch 50 ms)`,
    goalP99Ms: goalRun?.latency.p99Ms ?? null,
    goalMet: goalRun ? goalRun.latency.p99Ms <= 100 : null,
  };
  return { params: { ...p, points: points.length, qos: 0, broker: BROKER }, runs, ratios, table };
}
