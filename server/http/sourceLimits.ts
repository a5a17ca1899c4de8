/**
 * Per-source budgets, checked before any token or database work
 * (rate-limiter-flexible): requests a minute per address, and refused sign-ins
 * a minute per address. Memory-backed in one process; in a cluster (REDIS_URL)
 * the budgets live in Redis so an address is counted once across processes, with
 * a memory limiter as insurance while Redis is unreachable.
 */
import { Redis } from "ioredis";
import { decodeJwt } from "jose";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export interface SourceLimitSettings {
  /** Requests (HTTP and WebSocket upgrades) one address may make a minute. */
  requestsPerMinute: number;
  /** Refused sign-ins (bad, expired, forged tokens; wrong handoff codes) one address may cause a minute. */
  refusalsPerMinute: number;
  /** Seconds a flooder's address waits after its room connection was closed for flooding (4429). */
  floodCooldownSeconds: number;
}

export type LimitVerdict =
  { ok: true } | { ok: false; reason: "rate-limited" | "refusals" | "cool-down"; retryAfterS: number };

export class SourceLimits {
  private readonly requests: RateLimiterAbstract;
  private readonly refusals: RateLimiterAbstract;
  private readonly cooldown: RateLimiterAbstract;
  private readonly redis: Redis | null;

  constructor(settings: SourceLimitSettings, redisUrl: string | null, keyPrefix = "gemba-limit") {
    const mk = (name: string, points: number, duration: number) => {
      const memory = new RateLimiterMemory({ keyPrefix: `${keyPrefix}:${name}`, points, duration });
      if (!this.redis) return memory;
      return new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${keyPrefix}:${name}`,
        points,
        duration,
        insuranceLimiter: memory,
        // While Redis is away, answer from memory at once rather than queue the edge behind reconnects.
        rejectIfRedisNotReady: true,
      });
    };
    this.redis = redisUrl
      ? new Redis(redisUrl.split("?")[0]!, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
      : null;
    this.redis?.on("error", () => {
      /* the insurance limiter answers while Redis is away; the cluster code logs Redis outages */
    });
    this.requests = mk("req", settings.requestsPerMinute, 60);
    this.refusals = mk("refused", settings.refusalsPerMinute, 60);
    this.cooldown = mk("cooldown", 1, Math.max(1, settings.floodCooldownSeconds));
  }

  /**
   * Spend one request from `source`'s budget; refuse when it or its refusals say so, and for a room join
   * (`joinKey`, see coolDownKey) while that requester's flood cool-down lasts.
   */
  async request(source: string, joinKey: string | null = null): Promise<LimitVerdict> {
    const cool = joinKey === null ? null : await this.cooldown.get(joinKey);
    if (cool && cool.remainingPoints <= 0) return { ok: false, reason: "cool-down", retryAfterS: secs(cool) };
    const refused = await this.refusals.get(source);
    if (refused && refused.remainingPoints <= 0) return { ok: false, reason: "refusals", retryAfterS: secs(refused) };
    try {
      await this.requests.consume(source);
      return { ok: true };
    } catch (e) {
      if (e instanceof RateLimiterRes) return { ok: false, reason: "rate-limited", retryAfterS: secs(e) };
      throw e;
    }
  }

  /** A refused sign-in from `source`: spends from its refusal budget (over budget is fine: it is then blocked). */
  refused(source: string): Promise<void> {
    return this.refusals.penalty(source, 1).then(
      () => undefined,
      () => undefined,
    );
  }

  /** A room connection was closed for flooding: its requester (coolDownKey) may not join until the cool-down is over. */
  flooded(joinKey: string): void {
    this.cooldown.penalty(joinKey, 1).catch(() => {});
  }

  /** Resolves once the shared store answers (at once in memory); requests before that use the memory insurance. */
  ready(): Promise<void> {
    const r = this.redis;
    if (!r || r.status === "ready") return Promise.resolve();
    return new Promise((resolve) => r.once("ready", () => resolve()));
  }

  close(): void {
    this.redis?.disconnect();
  }
}

function secs(r: RateLimiterRes): number {
  return Math.max(1, Math.ceil(r.msBeforeNext / 1000));
}

/**
 * Who sits out a flood cool-down: the address and the user the join's token names. Read without verifying
 * (the join verifies it): a forged name only buys a join that is then refused, and people behind one
 * plant NAT are not all punished for one flooding tab.
 */
export function coolDownKey(address: string, token: string | null): string {
  let user = "";
  if (token) {
    try {
      user = String(decodeJwt(token).sub ?? "").slice(0, 200);
    } catch {
      user = "";
    }
  }
  return `${address}|${user}`;
}
