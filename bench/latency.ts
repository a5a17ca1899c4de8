/**
 * Latency bench: publish → client-decode latency of point samples, with 20
 * @colyseus/sdk clients in one room, against a bare mqtt.js subscriber's
 * publish → receive latency at the same paced rate, in the same run.
 *
 * Processes: this one runs the server; a publisher child paces samples and
 * stamps each with its send time; one clients child holds the 20 SDK clients and
 * records `receive − ts` in schema callbacks, after the patch is decoded; another
 * child runs the bare subscriber on the same topics at the same time, so both see
 * the same stream and the same machine hiccups. The children's clocks are aligned
 * to this process by IPC ping-pong and the offset is corrected. Each server
 * patch rate is run `reps` times, alternating the order. Latest value wins per patch, so
 * clients see only the newest sample of a point per patch: the latency of a
 * sample that was overwritten before a patch is not observed (it is counted as
 * coalesced).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import {
  BROKER,
  demoPoints,
  loadMeter,
  localPlantRoom,
  median,
  nowMs,
  round,
  sleep,
  spawnChild,
  shift,
  startBenchServer,
  type BenchServer,
  type Child,
  type Load,
  type PointSpec,
} from "./common.ts";
import type { ClientsMsg, ClientsReport, LatencyStats } from "./clients.ts";
import type { PublishReport } from "./publisher.ts";

export interface LatencyParams {
  rates: number[];
  clients: number;
  warmupMs: number;
  durationMs: number;
  patchRatesMs: number[];
  reps: number;
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
  rep: number;
  patchRateMs: number;
  rate: number;
  sentInWindow: number;
  sdk: {
    clients: number;
    /** Samples each client decoded over samples sent (below 1: coalesced, latest value wins). */
    seenPerClientOverSent: number;
    latency: LatencyStats;
    clockCorrectionMs: number;
    clockRttMs: number;
    load: Load | null;
  };
  /** A bare mqtt.js subscriber in its own process on the same topics, at the same time. */
  bare: {
    receivedOverSent: number;
    latency: LatencyStats;
    clockCorrectionMs: number;
    clockRttMs: number;
    load: Load | null;
  };
  p99OverBareP99: number;
  server: ServerSide | null;
}

async function syncCounters(): Promise<{ flushes: number; written: number; coalesced: number }> {
  const local = await localPlantRoom<{ syncCounters?: unknown }>();
  const c = local?.syncCounters as { flushes: number; written: number; coalesced: number } | undefined;
  return c ? { ...c } : { flushes: 0, written: 0, coalesced: 0 };
}

export interface ReceiverRun {
  report: ClientsReport;
  /** Add to latencies measured in that child: publisher clock offset minus the child's. */
  correction: number;
  rtt: number;
}

/** A pacedRun setup: start the receivers `msg` names (SDK clients, a bare subscriber, WebSocket clients) in a child. */
export function receivers(msg: ClientsMsg): (cli: Child) => Promise<void> {
  return async (cli) => {
    cli.send(msg);
    await cli.next("ready", 120_000);
  };
}

/**
 * One paced run. Each `setups` entry starts its receivers in a fresh clients
 * child; all children receive the same stream at the same time, so a baseline
 * child sees the same machine hiccups as the receivers it is compared with.
 */
export async function pacedRun(opts: {
  pub: Child;
  points: PointSpec[];
  prefix: string;
  setups: ((cli: Child) => Promise<void>)[];
  rate: number;
  warmupMs: number;
  durationMs: number;
  srv: BenchServer | null;
  tsFormat?: "float" | "int";
  /** The plant whose topics the publisher uses (default "demo"). */
  plant?: string;
  /** Instead of running `setups` side by side: one function that sets every child up (e.g. in a fixed order). */
  setupAll?: (clis: Child[]) => Promise<void>;
  /** Called once the measured window is known (publisher clock, ms), e.g. to start a load beside it. */
  onWindow?: (from: number, to: number) => void;
}): Promise<{ receivers: ReceiverRun[]; pubReport: PublishReport; server: ServerSide | null }> {
  const clis = opts.setups.map(() => spawnChild("clients.ts"));
  try {
    if (opts.setupAll) await opts.setupAll(clis);
    else await Promise.all(opts.setups.map((setup, i) => setup(clis[i]!)));
    opts.pub.send({
      type: "config",
      url: BROKER,
      prefix: opts.prefix,
      points: opts.points,
      tsFormat: opts.tsFormat ?? "float",
      plant: opts.plant,
    });
    await opts.pub.next("ready");
    const pubClock = await opts.pub.clockOffset();
    const cliClocks = [];
    for (const cli of clis) cliClocks.push(await cli.clockOffset());
    opts.pub.send({ type: "paced", rate: opts.rate, warmupMs: opts.warmupMs, durationMs: opts.durationMs });
    const { t0 } = await opts.pub.next<{ type: "started"; t0: number }>("started");
    const from = t0 + opts.warmupMs;
    const to = from + opts.durationMs;
    for (const cli of clis) cli.send({ type: "window", from, to });
    opts.onWindow?.(from, to);

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
    const receivers: ReceiverRun[] = [];
    for (const [i, cli] of clis.entries()) {
      cli.send({ type: "report" });
      receivers.push({
        report: await cli.next<ClientsReport>("report", 60_000),
        correction: pubClock.offsetMs - cliClocks[i]!.offsetMs,
        rtt: Math.max(pubClock.rttMs, cliClocks[i]!.rttMs),
      });
    }
    return { receivers, pubReport, server };
  } finally {
    await Promise.all(clis.map((c) => c.stop()));
  }
}

export async function runLatency(p: LatencyParams) {
  const points = await demoPoints();
  const pub = spawnChild("publisher.ts");
  const runs: LatencyRun[] = [];
  try {
    for (let rep = 0; rep < p.reps; rep++) {
      const order = rep % 2 === 0 ? p.patchRatesMs : [...p.patchRatesMs].reverse();
      for (const patchRateMs of order) {
        const srv = await startBenchServer({ PATCH_RATE_MS: String(patchRateMs) });
        try {
          for (const rate of p.rates) {
            const r = await pacedRun({
              pub,
              points,
              prefix: srv.prefix,
              setups: [
                receivers({ type: "sdk", endpoint: srv.endpoint, clients: p.clients }),
                receivers({ type: "mqtt", url: BROKER, filter: `${srv.prefix}gemba/demo/+/+` }),
              ],
              rate,
              warmupMs: p.warmupMs,
              durationMs: p.durationMs,
              srv,
            });
            const [sdk, bare] = r.receivers as [ReceiverRun, ReceiverRun];
            const sent = r.pubReport.window.sent;
            const sdkLatency = shift(sdk.report.sdk!.latency, sdk.correction);
            const bareLatency = shift(bare.report.mqtt!.latency, bare.correction);
            runs.push({
              rep,
              patchRateMs,
              rate,
              sentInWindow: sent,
              sdk: {
                clients: p.clients,
                seenPerClientOverSent: round(sdk.report.sdk!.samples / p.clients / sent, 4),
                latency: sdkLatency,
                clockCorrectionMs: round(sdk.correction, 3),
                clockRttMs: sdk.rtt,
                load: sdk.report.load,
              },
              bare: {
                receivedOverSent: round(bare.report.mqtt!.samples / sent, 4),
                latency: bareLatency,
                clockCorrectionMs: round(bare.correction, 3),
                clockRttMs: bare.rtt,
                load: bare.report.load,
              },
              p99OverBareP99: round(sdkLatency.p99Ms / bareLatency.p99Ms, 2),
              server: r.server,
            });
          }
        } finally {
          await srv.stop();
        }
      }
    }
  } finally {
    await pub.stop();
  }

  const perRep = runs
    .slice()
    .sort((a, b) => a.rate - b.rate || b.patchRateMs - a.patchRateMs || a.rep - b.rep)
    .map((r) => ({
      "updates/s": r.rate,
      "patch ms": r.patchRateMs,
      rep: r.rep,
      "SDK p50": round(r.sdk.latency.p50Ms, 1),
      "SDK p95": round(r.sdk.latency.p95Ms, 1),
      "SDK p99": round(r.sdk.latency.p99Ms, 1),
      "SDK max": round(r.sdk.latency.maxMs, 1),
      "bare p50": round(r.bare.latency.p50Ms, 1),
      "bare p99": round(r.bare.latency.p99Ms, 1),
      "p99 × bare": round(r.p99OverBareP99, 1),
      "p99 − bare p99": round(r.sdk.latency.p99Ms - r.bare.latency.p99Ms, 1),
      "SDK seen/sent": r.sdk.seenPerClientOverSent,
      "patches/s": r.server?.flushesPerS ?? "",
      "server loop util": r.server?.load.eventLoopUtilization ?? "",
      "clients loop util": r.sdk.load?.eventLoopUtilization ?? "",
    }));
  const summary = [];
  for (const rate of p.rates) {
    for (const patchRateMs of p.patchRatesMs) {
      const rs = runs.filter((r) => r.rate === rate && r.patchRateMs === patchRateMs);
      const med = (f: (r: LatencyRun) => number) => round(median(rs.map(f)), 1);
      summary.push({
        rate,
        patchRateMs,
        reps: rs.length,
        sdkP50Ms: med((r) => r.sdk.latency.p50Ms),
        sdkP95Ms: med((r) => r.sdk.latency.p95Ms),
        sdkP99Ms: med((r) => r.sdk.latency.p99Ms),
        bareP50Ms: med((r) => r.bare.latency.p50Ms),
        bareP99Ms: med((r) => r.bare.latency.p99Ms),
        p99OverBareP99: round(median(rs.map((r) => r.p99OverBareP99)), 1),
        /** What the server and clients add at the tail, with the machine's own stalls (seen by the bare subscriber) taken out. */
        p99MinusBareP99Ms: med((r) => r.sdk.latency.p99Ms - r.bare.latency.p99Ms),
        seenPerClientOverSent: round(median(rs.map((r) => r.sdk.seenPerClientOverSent)), 3),
        patchesPerS: med((r) => r.server?.flushesPerS ?? Number.NaN),
        serverLoopUtil: round(median(rs.map((r) => r.server?.load.eventLoopUtilization ?? Number.NaN)), 3),
        clientsLoopUtil: round(median(rs.map((r) => r.sdk.load?.eventLoopUtilization ?? Number.NaN)), 3),
      });
    }
  }
  const table = summary.map((s) => ({
    "updates/s": s.rate,
    "patch ms": s.patchRateMs,
    "SDK p50": s.sdkP50Ms,
    "SDK p95": s.sdkP95Ms,
    "SDK p99": s.sdkP99Ms,
    "bare p50": s.bareP50Ms,
    "bare p99": s.bareP99Ms,
    "p99 × bare": s.p99OverBareP99,
    "p99 − bare p99": s.p99MinusBareP99Ms,
    "SDK seen/sent": s.seenPerClientOverSent,
    "patches/s": s.patchesPerS,
    "server loop util": s.serverLoopUtil,
    "clients loop util": s.clientsLoopUtil,
  }));
  const top = Math.max(...p.rates);
  const goalRow = summary.find((s) => s.rate === top && s.patchRateMs === 50);
  const ratios = {
    [`p99At${top}OverBare`]: goalRow?.p99OverBareP99 ?? null,
    goal: `median p99 over ${p.reps} repetitions <= 100 ms at ${top} updates/s with ${p.clients} clients (default patch 50 ms)`,
    goalP99Ms: goalRow?.sdkP99Ms ?? null,
    goalP99MinusBareP99Ms: goalRow?.p99MinusBareP99Ms ?? null,
    goalMet: goalRow ? goalRow.sdkP99Ms <= 100 : null,
  };
  const extraTables = [{ title: "Latency: every repetition (ms)", rows: perRep }];
  return { params: { ...p, points: points.length, qos: 0, broker: BROKER }, runs, summary, ratios, table, extraTables };
}
