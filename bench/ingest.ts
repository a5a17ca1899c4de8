/**
 * Ingest bench: tag updates per second absorbed into the twin by one server
 * process from the real broker, against a bare mqtt.js subscriber in the same
 * process receiving the same stream (same publisher, same count, same payloads).
 *
 * One publisher child sends N samples as fast as it can at QoS 0 over all demo
 * points. The receiver's counter is polled every few ms; the rate is taken
 * between the first and the last change, so start-up and the quiet tail do not
 * count. Variants alternate order over the repetitions; medians are reported.
 */
import mqtt from "mqtt";
import {
  BROKER,
  demoPoints,
  loadMeter,
  median,
  round,
  sleep,
  spawnChild,
  startBenchServer,
  uniquePrefix,
  type Child,
  type Load,
  type PointSpec,
} from "./common.ts";
import type { PublishReport } from "./publisher.ts";

export interface IngestParams {
  count: number;
  reps: number;
}

type Variant = "gemba" | "bare" | "bare+parse";
const VARIANTS: Variant[] = process.env["ONLY_GEMBA"] ? ["gemba"] : ["gemba", "bare", "bare+parse"];

interface RunResult {
  variant: Variant;
  rep: number;
  sent: number;
  publishMs: number;
  received: number;
  /** For gemba: samples applied to the twin; for bare: messages handled. */
  handled: number;
  ratePerS: number;
  /** CPU time of this process per handled message, µs (over the receiving span). */
  cpuUsPerMsg: number;
  load: Load;
  outcomes?: Record<string, number>;
}

/** Poll `read()` until it stops changing; rate between the first and the last observed change. */
async function measure(
  read: () => number,
  done: Promise<PublishReport>,
): Promise<{ first: number; last: number; rate: number; report: PublishReport; load: Load; cpuMs: number }> {
  const base = read();
  let first = -1;
  let firstAt = 0;
  let last = base;
  let lastAt = 0;
  let meter: (() => Load) | null = null;
  let cpu0 = 0;
  let loadAtLast: Load | null = null;
  let cpuAtLast = 0;
  let report: PublishReport | null = null;
  void done.then((r) => (report = r));
  const t0 = performance.now();
  for (;;) {
    await sleep(5);
    const c = read();
    const now = performance.now();
    if (c !== last) {
      if (first < 0) {
        first = c;
        firstAt = now;
        meter = loadMeter();
        cpu0 = cpuMs();
      } else {
        loadAtLast = meter!();
        cpuAtLast = cpuMs() - cpu0;
      }
      last = c;
      lastAt = now;
    }
    if (report && now - Math.max(lastAt, t0) > 500) break;
    if (now - t0 > 60_000) throw new Error("ingest bench: no end of stream within 60 s");
  }
  const span = (lastAt - firstAt) / 1000;
  return {
    first: first - base,
    last: last - base,
    rate: span > 0 ? (last - first) / span : Number.NaN,
    report: report!,
    load: loadAtLast ?? { eventLoopUtilization: Number.NaN, cpuCoreFraction: Number.NaN },
    cpuMs: cpuAtLast,
  };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function configure(pub: Child, prefix: string, points: PointSpec[]): Promise<void> {
  pub.send({ type: "config", url: BROKER, prefix, points, tsFormat: "float" });
  await pub.next("ready");
}

export async function runIngest(p: IngestParams) {
  const points = await demoPoints();
  const srv = await startBenchServer();
  const rt = srv.server.hub.loaded()[0];
  if (!rt) throw new Error("ingest bench: the server has no plant loaded");
  const pub = spawnChild("publisher.ts");
  const runs: RunResult[] = [];
  try {
    for (let rep = 0; rep < p.reps; rep++) {
      const order = rep % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        if (variant === "gemba") {
          await configure(pub, srv.prefix, points);
          const before = { ...rt.ingest.counters };
          pub.send({ type: "burst", count: p.count });
          const m = await measure(() => rt.ingest.counters.applied, pub.next<PublishReport>("done", 120_000));
          const c = rt.ingest.counters;
          const outcomes: Record<string, number> = {};
          for (const [k, v] of Object.entries(c)) {
            const d = v - (before[k as keyof typeof before] ?? 0);
            if (d) outcomes[k] = d;
          }
          runs.push({
            variant,
            rep,
            sent: m.report.sent,
            publishMs: m.report.elapsedMs,
            received: c.received - before.received,
            handled: m.last,
            ratePerS: Math.round(m.rate),
            cpuUsPerMsg: round((m.cpuMs * 1000) / Math.max(1, m.last - m.first), 2),
            load: m.load,
            outcomes,
          });
        } else {
          const prefix = uniquePrefix("bar");
          const sub = await mqtt.connectAsync(BROKER, { clientId: `gemba-bench-bare-${process.pid}` });
          let n = 0;
          const parse = variant === "bare+parse";
          sub.on("message", (_t, payload) => {
            if (parse) JSON.parse(payload.toString("utf8"));
            n++;
          });
          await sub.subscribeAsync(`${prefix}gemba/demo/+/+`, { qos: 0 });
          await configure(pub, prefix, points);
          pub.send({ type: "burst", count: p.count });
          const m = await measure(() => n, pub.next<PublishReport>("done", 120_000));
          await sub.endAsync(true);
          runs.push({
            variant,
            rep,
            sent: m.report.sent,
            publishMs: m.report.elapsedMs,
            received: n,
            handled: n,
            ratePerS: Math.round(m.rate),
            cpuUsPerMsg: round((m.cpuMs * 1000) / Math.max(1, m.last - m.first), 2),
            load: m.load,
          });
        }
        await sleep(300);
      }
    }
  } finally {
    await pub.stop();
    await srv.stop();
  }

  const summary = VARIANTS.map((variant) => {
    const rs = runs.filter((r) => r.variant === variant);
    return {
      variant,
      medianRatePerS: Math.round(median(rs.map((r) => r.ratePerS))),
      medianReceivedOverSent: round(median(rs.map((r) => r.received / r.sent)), 4),
      medianHandledOverSent: round(median(rs.map((r) => r.handled / r.sent)), 4),
      medianPublishRatePerS: Math.round(median(rs.map((r) => r.sent / (r.publishMs / 1000)))),
      medianCpuUsPerMsg: round(median(rs.map((r) => r.cpuUsPerMsg)), 2),
      medianEventLoopUtilization: round(median(rs.map((r) => r.load.eventLoopUtilization)), 3),
    };
  });
  const rate = (v: Variant) => summary.find((s) => s.variant === v)!.medianRatePerS;
  const ratios = {
    gembaOverBare: round(rate("gemba") / rate("bare"), 3),
    gembaOverBareParse: round(rate("gemba") / rate("bare+parse"), 3),
    goal: "gembaOverBare >= 0.8",
    goalMet: rate("gemba") / rate("bare") >= 0.8,
  };
  const table = summary.map((s) => ({
    receiver: s.variant,
    "msgs/s (median)": s.medianRatePerS,
    "× bare": round(s.medianRatePerS / rate("bare"), 2),
    "handled/sent": s.medianHandledOverSent,
    "CPU µs/msg": s.medianCpuUsPerMsg,
    "loop util": s.medianEventLoopUtilization,
    "publisher msgs/s": s.medianPublishRatePerS,
  }));
  return {
    params: { ...p, points: points.length, qos: 0, broker: BROKER, pollMs: 5 },
    runs,
    summary,
    ratios,
    table,
  };
}
