/** The shape of GET /api/metrics (JSON), apart from the route so the Prometheus view can read it without a cycle. */

export interface DelayStats {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface Metrics {
  pid: number;
  uptimeSeconds: number;
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  /** Cumulative CPU time of this process (µs); rates come from two samples. */
  cpuUserMicros: number;
  cpuSystemMicros: number;
  eventLoopDelay: { sinceStart: DelayStats; lastWindow: DelayStats | null; windowMs: number };
  rooms: number;
  clients: number;
  plants: { id: string; ingest: Record<string, number> }[];
  /** Seat reservations not used yet, connections, and joins refused at MAX_JOINS_PER_USER (server/rooms/joinPolicy.ts). */
  joins: { pending: number; connections: number; refused: number };
  /** Requests refused or failed at the HTTP/WebSocket edge, by reason (server/http/edgeGuard.ts, apiErrors.ts). */
  edge: Record<string, number>;
}
