/**
 * The same numbers as GET /api/metrics, in the Prometheus text format
 * (`?format=prometheus`), for a site's existing monitoring. One registry per
 * server; values are read at scrape time from the JSON metrics, so the two
 * views never disagree.
 */
import { Gauge, Registry } from "prom-client";
import type { Metrics } from "./metricsShape.ts";

export class PrometheusMetrics {
  readonly registry = new Registry();
  private current: Metrics | null = null;

  constructor() {
    const g = (name: string, help: string, read: (m: Metrics) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          if (current()) this.set(read(current()!));
        },
      });
    const current = () => this.current;
    g("gemba_process_resident_memory_bytes", "Resident set size of this process.", (m) => m.rssBytes);
    g("gemba_heap_used_bytes", "V8 heap in use.", (m) => m.heapUsedBytes);
    g("gemba_cpu_user_seconds_total", "User CPU time of this process.", (m) => m.cpuUserMicros / 1e6);
    g("gemba_cpu_system_seconds_total", "System CPU time of this process.", (m) => m.cpuSystemMicros / 1e6);
    g(
      "gemba_event_loop_lag_p99_seconds",
      "Event-loop lag, 99th percentile since start.",
      (m) => m.eventLoopDelay.sinceStart.p99Ms / 1000,
    );
    g("gemba_rooms", "Rooms open in this process.", (m) => m.rooms);
    g("gemba_clients", "Room connections in this process.", (m) => m.clients);
    new Gauge({
      name: "gemba_edge_events_total",
      help: "Requests refused or failed at the HTTP/WebSocket edge, and refused sign-ins, by reason.",
      labelNames: ["reason"],
      registers: [this.registry],
      collect() {
        const m = current();
        if (!m) return;
        for (const [reason, n] of Object.entries(m.edge)) this.set({ reason }, n);
      },
    });
  }

  /** The exposition for `m` (a fresh snapshot of the JSON metrics). */
  async text(m: Metrics): Promise<string> {
    this.current = m;
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
