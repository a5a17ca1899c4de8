/**
 * Headers on every HTTP response. The CSP allows nothing off-origin: a plant
 * network is often air-gapped, and a page that tried to reach a CDN would hang or leak.
 * The one exception is the configured identity provider in AUTH_MODE=oidc: the page
 * exchanges its sign-in code at the provider's token endpoint (connect-src) and is sent
 * to its sign-in page (form-action covers a form-posted redirect).
 */
import type { RequestHandler } from "express";

/** The policy; `identityProvider` is the provider's origin (https://login.example.com), only in oidc mode. */
export function contentSecurityPolicy(identityProvider: string | null = null): string {
  const idp = identityProvider ? ` ${identityProvider}` : "";
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws: wss:${idp}`,
    "worker-src 'self' blob:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self'${idp}`,
  ].join("; ");
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/**
 * Over HTTPS, HSTS: once a browser has the page over HTTPS it refuses a downgrade to HTTP for a year (a LAN
 * attacker cannot strip TLS on the next visit). Not `includeSubDomains`: other services on the plant's domain are
 * not ours to decide. Browsers ignore HSTS for bare IP addresses; it protects those who use a host name.
 */
export const HSTS = "max-age=31536000";

export function securityHeadersFor(identityProvider: string | null, opts: { https?: boolean } = {}): RequestHandler {
  const csp = contentSecurityPolicy(identityProvider);
  return (_req, res, next) => {
    if (opts.https) res.setHeader("Strict-Transport-Security", HSTS);
    // Older browsers that ignore CSP frame-ancestors: no framing (clickjacking an acknowledge button).
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Content-Security-Policy", csp);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Permissions-Policy", "xr-spatial-tracking=(self), microphone=(self), camera=(self)");
    next();
  };
}

export const securityHeaders = securityHeadersFor(null);
