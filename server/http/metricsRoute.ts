/**
 * GET /api/metrics: what one process costs, for the load and soak benches and
 * for whoever runs a cluster: memory, CPU time, event-loop lag (beyond the
 * 10 ms sampling period; the whole run and the last complete 10 s window),
 * rooms, clients, and which plants this process ingests (in a cluster, only
 * those it hosts rooms for), and what the edge refused (by reason).
 *
 * Administrators only (an admin token, the journal's `audit` right): the numbers
 * tell an attacker how loaded the server is and which plants it serves.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { Application } from "express";
import type { PlantHub } from "../runtime/PlantHub.ts";
import type { SignInGate } from "../auth/SignInGate.ts";
import { bearer, requester } from "../auth/authRoutes.ts";
import { AuthError } from "../auth/identity.ts";
import { authStatus } from "../auth/SignInGate.ts";
import { PrometheusMetrics } from "./prometheusMetrics.ts";
import type { DelayStats, Metrics } from "./metricsShape.ts";

export type { Metrics } from "./metricsShape.ts";

const WINDOW_MS = 10_000;

const RESOLUTION_MS = 10;
/** The histogram holds the time between its timer's runs; the lag is what exceeds the sampling period. */
const lagMs = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);

function stats(h: IntervalHistogram): DelayStats {
  return { p50Ms: lagMs(h.percentile(50)), p99Ms: lagMs(h.percentile(99)), maxMs: lagMs(h.max), meanMs: lagMs(h.mean) };
}

/** Installs the route; the returned function stops the event-loop monitor (call it on shutdown). */
export function installMetricsRoute(
  app: Application,
  deps: {
    hub: PlantHub;
    roomStats: () => { roomCount: number; ccu: number };
    joins: () => { pending: number; connections: number; refused: number };
    gate: SignInGate;
    edge: () => Record<string, number>;
  },
): () => void {
  const whole = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const window = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  whole.enable();
  window.enable();
  let lastWindow: DelayStats | null = null;
  const roll = setInterval(() => {
    lastWindow = stats(window);
    window.reset();
  }, WINDOW_MS);
  roll.unref();
  const prometheus = new PrometheusMetrics();
  app.get("/api/metrics", async (req, res) => {
    try {
      await deps.gate.requireOnServer(bearer(req), requester(req), "audit");
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      if (e.code === "missing") res.setHeader("WWW-Authenticate", 'Bearer realm="gemba"');
      return res.status(authStatus(e)).json({ error: e.message });
    }
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    const rs = deps.roomStats();
    const body: Metrics = {
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      externalBytes: mem.external,
      cpuUserMicros: cpu.user,
      cpuSystemMicros: cpu.system,
      eventLoopDelay: { sinceStart: stats(whole), lastWindow, windowMs: WINDOW_MS },
      rooms: rs.roomCount,
      clients: rs.ccu,
      plants: deps.hub.loaded().map((rt) => ({ id: rt.plant.model.id, ingest: { ...rt.ingest.counters } })),
      joins: deps.joins(),
      edge: deps.edge(),
    };
    res.setHeader("Cache-Control", "no-store");
    if (req.query["format"] === "prometheus") {
      return res.type(prometheus.contentType).send(await prometheus.text(body));
    }
    res.json(body);
  });
  return () => {
    clearInterval(roll);
    whole.disable();
    window.disable();
  };
}
