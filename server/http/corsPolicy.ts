/**
 * Same-origin only. Colyseus' router adds CORS headers to every HTTP response
 * (matchmaker controller: `Access-Control-Allow-Origin` is the caller's Origin,
 * or "*", with credentials allowed), which would let any web page read our /api
 * answers and call the matchmaker. Our page and its SDK run on the server's own
 * origin and need no CORS at all; a cross-origin caller gets no grant.
 */
import { matchMaker } from "@colyseus/core";

/** True when the request's Origin names the host it was sent to. */
export function sameOrigin(origin: string | null, host: string | null): boolean {
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Replace Colyseus' permissive defaults (process-wide: the controller is a singleton). */
export function restrictCors(): void {
  const defaults = matchMaker.controller.DEFAULT_CORS_HEADERS as Record<string, string>;
  delete defaults["Access-Control-Allow-Origin"];
  delete defaults["Access-Control-Allow-Credentials"];
  matchMaker.controller.getCorsHeaders = (headers: Headers): Record<string, string> => {
    const origin = headers.get("origin");
    // Echoing a same-origin Origin is harmless and keeps a same-origin preflight answerable.
    return sameOrigin(origin, headers.get("host")) ? { "Access-Control-Allow-Origin": origin!, Vary: "Origin" } : {};
  };
}
