/**
 * Several Gemba processes behind one address share Colyseus' room registry and
 * messaging through Redis (REDIS_URL). Each process announces where its rooms
 * are reached (PUBLIC_ADDRESS); a seat reservation carries the address of the
 * process that hosts the room, and the SDK opens its WebSocket there.
 * See docs/SCALING.md for the topology.
 */
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import type { matchMaker, Presence } from "@colyseus/core";

export interface ClusterSettings {
  redisUrl: string | null;
  publicAddress: string | null;
}

export interface ClusterServerOptions {
  presence?: Presence;
  driver?: matchMaker.MatchMakerDriver;
  publicAddress?: string;
}

/** Options for `new Server(...)`: empty for a single process (in-memory presence and driver). */
export function clusterServerOptions(s: ClusterSettings): ClusterServerOptions {
  if (!s.redisUrl) return {};
  return {
    presence: new RedisPresence(s.redisUrl),
    driver: new RedisDriver(s.redisUrl),
    ...(s.publicAddress ? { publicAddress: s.publicAddress } : {}),
  };
}
