/**
 * Proof Key for Code Exchange (RFC 7636) and the authorization request URL:
 * pure helpers over Web Crypto, shared by the browser sign-in and its tests.
 */

const UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/** A random string of unreserved characters (RFC 7636 §4.1: a verifier is 43..128 of them). */
export function randomToken(length = 64): string {
  let s = "";
  while (s.length < length) {
    // Bytes from 198 (3 × 66) up are dropped, so every one of the 66 characters is equally likely.
    for (const b of crypto.getRandomValues(new Uint8Array(length))) {
      if (b < 198 && s.length < length) s += UNRESERVED[b % UNRESERVED.length];
    }
  }
  return s;
}

export function base64url(bytes: ArrayBuffer): string {
  let bin = "";
  for (const b of new Uint8Array(bytes)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The S256 code challenge for a verifier. */
export async function s256(verifier: string): Promise<string> {
  return base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
}

export interface AuthorizeRequest {
  authorizationEndpoint: string;
  clientId: string;
  redirectUri: string;
  scopes: string;
  state: string;
  nonce: string;
  challenge: string;
  extra: Record<string, string>;
}

export function authorizeUrl(r: AuthorizeRequest): string {
  const u = new URL(r.authorizationEndpoint);
  for (const [k, v] of Object.entries(r.extra)) u.searchParams.set(k, v);
  u.searchParams.set("response_type", "code");
  u.searchParams.set("client_id", r.clientId);
  u.searchParams.set("redirect_uri", r.redirectUri);
  u.searchParams.set("scope", r.scopes);
  u.searchParams.set("state", r.state);
  u.searchParams.set("nonce", r.nonce);
  u.searchParams.set("code_challenge", r.challenge);
  u.searchParams.set("code_challenge_method", "S256");
  return u.toString();
}

/** A JWT's payload, unverified: for showing a name only (the server verifies every token it relies on). */
export function jwtClaims(token: string | undefined): Record<string, unknown> {
  const part = token?.split(".")[1];
  if (!part) return {};
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
