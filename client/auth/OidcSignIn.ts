/**
 * OpenID Connect sign-in in the browser (AUTH_MODE=oidc): authorization code
 * with PKCE (S256). `begin` sends the page to the provider; `complete` runs when
 * the provider sends it back with ?code&state: checks the state, exchanges the
 * code at the token endpoint, keeps the tokens in sessionStorage (this tab only,
 * gone when it closes) and puts the page's own URL back (no code left in history).
 */
import type { AuthConfigInfo } from "../../shared/auth.ts";
import { authorizeUrl, jwtClaims, randomToken, s256 } from "./pkce.ts";

type OidcConfig = Extract<AuthConfigInfo, { mode: "oidc" }>;

const PENDING = "gemba.oidc.pending";
const TOKENS = "gemba.oidc.tokens";

interface Pending {
  verifier: string;
  state: string;
  returnTo: string;
}

export interface OidcTokens {
  accessToken: string;
  idToken?: string;
  /** ms since epoch */
  expiresAt: number;
}

export class SignInProblem extends Error {
  override name = "SignInProblem";
}

const redirectUri = () => `${location.origin}/`;

/** Go to the provider's sign-in page; comes back to this page (same path and query). */
export async function beginOidcSignIn(cfg: OidcConfig): Promise<never> {
  const verifier = randomToken(64);
  const state = randomToken(32);
  const pending: Pending = { verifier, state, returnTo: location.pathname + location.search };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(
    authorizeUrl({
      authorizationEndpoint: cfg.authorizationEndpoint,
      clientId: cfg.clientId,
      redirectUri: redirectUri(),
      scopes: cfg.scopes,
      state,
      nonce: randomToken(32),
      challenge: await s256(verifier),
      extra: cfg.authParams,
    }),
  );
  // The page is navigating away; nothing after this runs.
  return new Promise<never>(() => {});
}

/** True when the provider just sent the browser back here (with a code or an error). */
export function isOidcCallback(): boolean {
  const q = new URLSearchParams(location.search);
  return q.has("state") && (q.has("code") || q.has("error"));
}

/** Finish the sign-in the provider sent us back from; throws SignInProblem with a sentence for the person. */
export async function completeOidcSignIn(cfg: OidcConfig): Promise<OidcTokens> {
  const q = new URLSearchParams(location.search);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  let pending: Pending | null = null;
  try {
    pending = raw ? (JSON.parse(raw) as Pending) : null;
  } catch {
    pending = null;
  }
  // Strip code and state from the address bar and history at once, whatever happens next.
  history.replaceState(null, "", pending?.returnTo ?? location.pathname);
  if (q.has("error")) {
    const why = q.get("error_description") || q.get("error") || "unknown error";
    throw new SignInProblem(`Sign-in failed at the identity provider: ${why.slice(0, 200)}`);
  }
  if (!pending || pending.state !== q.get("state")) {
    throw new SignInProblem("This sign-in was not started from this tab (or was interrupted); sign in again.");
  }
  let res: Response;
  try {
    res = await fetch(cfg.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: q.get("code") ?? "",
        redirect_uri: redirectUri(),
        client_id: cfg.clientId,
        code_verifier: pending.verifier,
      }),
    });
  } catch {
    throw new SignInProblem(`The identity provider at ${cfg.issuer} cannot be reached to finish signing in.`);
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof body["access_token"] !== "string") {
    const text = (v: unknown) => (typeof v === "string" ? v : null);
    const why = text(body["error_description"]) ?? text(body["error"]) ?? `HTTP ${res.status}`;
    throw new SignInProblem(`The identity provider refused to finish the sign-in: ${why.slice(0, 200)}`);
  }
  const expiresIn = typeof body["expires_in"] === "number" ? body["expires_in"] : 300;
  const tokens: OidcTokens = {
    accessToken: body["access_token"],
    idToken: typeof body["id_token"] === "string" ? body["id_token"] : undefined,
    expiresAt: Date.now() + expiresIn * 1000,
  };
  sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
  return tokens;
}

/** Tokens from an earlier sign-in in this tab that are still valid for at least `marginMs`. */
export function storedOidcTokens(marginMs = 30_000): OidcTokens | null {
  try {
    const t = JSON.parse(sessionStorage.getItem(TOKENS) ?? "null") as OidcTokens | null;
    return t && typeof t.accessToken === "string" && t.expiresAt - marginMs > Date.now() ? t : null;
  } catch {
    return null;
  }
}

export function forgetOidcTokens(): void {
  sessionStorage.removeItem(TOKENS);
}

/** The person's display name from the ID token (or the access token): for the page only. */
export function nameFromTokens(t: OidcTokens): string {
  for (const claims of [jwtClaims(t.idToken), jwtClaims(t.accessToken)]) {
    for (const k of ["name", "preferred_username", "email", "sub"]) {
      const v = claims[k];
      if (typeof v === "string" && v.trim())
        return v
          .replace(/[\u0000-\u001f\u007f]/g, "")
          .trim()
          .slice(0, 40);
    }
  }
  return "Signed-in user";
}
