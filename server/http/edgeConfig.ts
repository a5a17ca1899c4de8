/**
 * The edge's settings (README, configuration): ALLOWED_HOSTS, TRUST_PROXY,
 * RATE_LIMIT_PER_MINUTE, REFUSALS_PER_MINUTE, FLOOD_COOLDOWN_SECONDS,
 * DENIED_SUMMARY_SECONDS. Parsed once; a bad value is one sentence.
 */
import { isIP } from "node:net";
import { defaultAllowedHosts } from "./hostAllowList.ts";
import type { TrustProxy } from "./requesterAddress.ts";
import type { SourceLimitSettings } from "./sourceLimits.ts";

export interface EdgeSettings extends SourceLimitSettings {
  allowedHosts: string[];
  trustProxy: TrustProxy;
  deniedSummaryMs: number;
}

function whole(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  return n;
}

export function parseEdgeEnv(
  env: NodeJS.ProcessEnv,
  d: { host: string; publicAddress: string | null; https: boolean },
): EdgeSettings {
  const listed = (env["ALLOWED_HOSTS"] ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const h of listed) {
    if (!/^[a-z0-9.\-:[\]]{1,253}$/.test(h)) {
      throw new Error(
        `ALLOWED_HOSTS is a comma-separated list of names and addresses (plant.lan, 10.0.0.5), got "${h}".`,
      );
    }
  }
  // The configured names add to the defaults: the server must stay reachable as localhost on its own machine.
  const allowedHosts = [...new Set([...defaultAllowedHosts(d), ...listed])];
  const rawTrust = env["TRUST_PROXY"]?.trim() ?? "";
  let trustProxy: TrustProxy = null;
  if (rawTrust && !["off", "no", "false", "0"].includes(rawTrust.toLowerCase())) {
    if (/^\d+$/.test(rawTrust)) trustProxy = whole(env, "TRUST_PROXY", 1, 1, 10);
    else {
      const list = rawTrust.split(",").map((s) => s.trim());
      const bad = list.find((a) => isIP(a) === 0);
      if (bad !== undefined) {
        throw new Error(`TRUST_PROXY is a number of proxies (1) or their addresses (10.0.0.2,10.0.0.3), got "${bad}".`);
      }
      trustProxy = list;
    }
  }
  return {
    allowedHosts,
    trustProxy,
    requestsPerMinute: whole(env, "RATE_LIMIT_PER_MINUTE", 3000, 10, 1_000_000),
    refusalsPerMinute: whole(env, "REFUSALS_PER_MINUTE", 120, 1, 1_000_000),
    floodCooldownSeconds: whole(env, "FLOOD_COOLDOWN_SECONDS", 30, 0, 3600),
    deniedSummaryMs: whole(env, "DENIED_SUMMARY_SECONDS", 60, 1, 3600) * 1000,
  };
}
