/**
 * Who is asking: the identity a verified sign-in token stands for, and the one
 * error type every identity check throws. Both sign-in modes (dev, oidc) produce
 * the same Identity, so rooms, handoff tickets and the journal never ask which mode ran.
 */
import type { Role } from "../../shared/protocol.ts";

export interface Identity {
  /** Stable user id: `dev:<name lowercased>` or `oidc:<sub>`. Handoff tickets and seats are bound to it. */
  user: string;
  /** Display name shown to others. */
  name: string;
  role: Role;
  /** Groups (or roles) the identity provider listed; used by per-plant access lists. */
  groups: string[];
  email: string | null;
  via: "dev" | "oidc";
  /** Token expiry (ms since epoch). */
  expiresAt: number;
  /** The token's id (jti, or a digest of the token): sign-ins are journaled once per token. */
  tokenId: string;
}

export type AuthFailure =
  | "missing"
  | "malformed"
  | "forged"
  | "expired"
  | "wrong-issuer"
  | "wrong-audience"
  | "no-role"
  | "not-allowed"
  | "unavailable";

/** A refused sign-in: a code for counters and tests, and a sentence for the person. */
export class AuthError extends Error {
  override name = "AuthError";
  constructor(
    readonly code: AuthFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Checks a bearer token and says who it stands for, or throws AuthError. */
export interface TokenVerifier {
  readonly mode: "dev" | "oidc";
  verify(token: string | undefined): Promise<Identity>;
}

export const MISSING_TOKEN = "Sign in first: this server needs a sign-in token (reload the page to sign in).";
