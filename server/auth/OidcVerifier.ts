/**
 * OpenID Connect sign-in (AUTH_MODE=oidc), the server's half: access tokens are
 * JWTs from the configured provider, verified against its published keys (JWKS,
 * found through the discovery document) for signature, issuer, audience and
 * expiry/not-before with a clock tolerance; the role comes from a groups claim
 * through OIDC_ROLE_MAP. The browser does the sign-in itself (client/auth/).
 */
import { createHash } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, errors, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { AuthError, MISSING_TOKEN, type Identity, type TokenVerifier } from "./identity.ts";
import type { OidcSettings } from "./authConfig.ts";
import { claimValues, mapRole } from "./roleMapping.ts";

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
}

/** Signature algorithms a provider may use for access tokens; never "none" or HMAC (a shared secret is not the provider's key). */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

export class OidcVerifier implements TokenVerifier {
  readonly mode = "oidc" as const;
  private discovered: Promise<{ doc: Discovery; jwks: JWTVerifyGetKey }> | null = null;

  constructor(
    readonly settings: OidcSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** The provider's discovery document (fetched once; a failure is retried on the next call). */
  async discovery(): Promise<Discovery> {
    return (await this.load()).doc;
  }

  private load(): Promise<{ doc: Discovery; jwks: JWTVerifyGetKey }> {
    this.discovered ??= (async () => {
      const url = `${this.settings.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
      let doc: Partial<Discovery>;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        doc = (await res.json()) as Partial<Discovery>;
      } catch (e) {
        throw new AuthError(
          "unavailable",
          `The identity provider at ${this.settings.issuer} cannot be reached (${(e as Error).message}); try again shortly.`,
        );
      }
      if (doc.issuer !== this.settings.issuer || !doc.jwks_uri || !doc.authorization_endpoint || !doc.token_endpoint) {
        throw new AuthError(
          "unavailable",
          `The identity provider's discovery document names issuer "${String(doc.issuer)}", not OIDC_ISSUER "${this.settings.issuer}", or lacks its endpoints.`,
        );
      }
      return { doc: doc as Discovery, jwks: createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: 5000 }) };
    })();
    this.discovered.catch(() => (this.discovered = null));
    return this.discovered;
  }

  async verify(token: string | undefined): Promise<Identity> {
    if (!token) throw new AuthError("missing", MISSING_TOKEN);
    const { jwks } = await this.load();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.settings.clockSkewSeconds,
        requiredClaims: ["exp", "sub"],
        currentDate: new Date(this.now()),
      }));
    } catch (e) {
      throw refusal(e, this.settings);
    }
    const claims = payload as Record<string, unknown>;
    const groups = claimValues(claims, this.settings.roleClaim);
    const name = displayName(claims);
    const role = mapRole(groups, this.settings.roleMap, this.settings.defaultRole);
    if (!role) {
      throw new AuthError(
        "no-role",
        `${name} is signed in, but none of their groups gives a role in Gemba; ask an administrator to add them to one of: ${[...this.settings.roleMap.keys()].join(", ")}.`,
      );
    }
    return {
      user: `oidc:${payload.sub}`,
      name,
      role,
      groups,
      email: typeof claims["email"] === "string" ? claims["email"] : null,
      via: "oidc",
      expiresAt: (payload.exp ?? 0) * 1000,
      tokenId: payload.jti ?? createHash("sha256").update(token).digest("base64url").slice(0, 16),
    };
  }
}

function refusal(e: unknown, s: OidcSettings): AuthError {
  if (e instanceof AuthError) return e;
  if (e instanceof errors.JWTExpired) return new AuthError("expired", "Your sign-in has expired; sign in again.");
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === "iss")
      return new AuthError(
        "wrong-issuer",
        `That token was not issued by this server's identity provider (${s.issuer}).`,
      );
    if (e.claim === "aud")
      return new AuthError("wrong-audience", `That token is not meant for Gemba (its audience is not ${s.audience}).`);
    if (e.claim === "nbf") return new AuthError("expired", "That token is not valid yet; check this computer's clock.");
  }
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWSSignatureVerificationFailed)
    return new AuthError(
      "forged",
      "That token's signature does not match the identity provider's keys; sign in again.",
    );
  if (e instanceof errors.JOSEAlgNotAllowed)
    return new AuthError(
      "forged",
      "That token is signed with an algorithm this server does not accept; sign in again.",
    );
  if (e instanceof errors.JWKSTimeout || (e instanceof Error && e.name === "TypeError"))
    return new AuthError(
      "unavailable",
      `The identity provider at ${s.issuer} cannot be reached to check the token; try again shortly.`,
    );
  return new AuthError("malformed", "That is not a valid sign-in token; sign in again.");
}

/** A display name from the usual claims, shaped like DisplayName (1..40 characters, no control characters). */
function displayName(claims: Record<string, unknown>): string {
  for (const k of ["name", "preferred_username", "email", "sub"]) {
    const v = claims[k];
    if (typeof v === "string") {
      const clean = v
        .replace(/[\u0000-\u001f\u007f]/g, "")
        .trim()
        .slice(0, 40);
      if (clean) return clean;
    }
  }
  return "Signed-in user";
}
