/**
 * Who is asking, as an address: the socket's peer by default. `X-Forwarded-For`
 * is anyone's to write, so it counts only behind a proxy the operator named
 * (TRUST_PROXY: a hop count, or the proxies' addresses). The address found is
 * the key for per-source limits, join-code attempts and the journal's `from`.
 */
import type { IncomingMessage } from "node:http";

/** TRUST_PROXY: null = trust no forwarding header; a number = that many proxies in front; a list = those proxies. */
export type TrustProxy = null | number | readonly string[];

export function normalAddress(a: string | undefined): string {
  if (!a) return "unknown";
  const v = a.trim().toLowerCase();
  return v.startsWith("::ffff:") && v.includes(".") ? v.slice(7) : v;
}

/** The client's address for a request that arrived from `peer` carrying `forwardedFor` (the header's value). */
export function resolveRequester(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trust: TrustProxy,
): string {
  const socket = normalAddress(peer);
  if (trust === null || forwardedFor === undefined) return socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((h) => normalAddress(h))
    .filter((h) => h !== "unknown" && h.length <= 45);
  // Right to left: the socket's peer, then each hop as the proxy before it wrote it.
  const chain = [...hops, socket];
  if (typeof trust === "number") return chain[Math.max(0, chain.length - 1 - trust)]!;
  const trusted = new Set(trust.map(normalAddress));
  let i = chain.length - 1;
  while (i > 0 && trusted.has(chain[i]!)) i--;
  return chain[i]!;
}

const seen = new WeakMap<IncomingMessage, string>();

export function rememberRequester(req: IncomingMessage, address: string): void {
  seen.set(req, address);
}

/** The address the edge guard found for this request (the socket's peer if it did not run). */
export function requesterOf(req: IncomingMessage): string {
  return seen.get(req) ?? normalAddress(req.socket.remoteAddress);
}
