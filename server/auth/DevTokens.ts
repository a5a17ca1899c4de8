/**
 * Development sign-in (AUTH_MODE=dev): the server signs a short-lived token for
 * whatever display name (and role) is asked for. It proves nothing about the
 * person; it exists so that rooms always verify a signed token (one code path
 * with oidc), so a token cannot be edited after issue, and so sessions expire.
 * The HS256 secret is kept in DATA_DIR with mode 0600: a restart keeps sessions valid.
 */
import fs from "node:fs";
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { SignJWT, jwtVerify, errors } from "jose";
import { DisplayName, ROLES, type Role } from "../../shared/protocol.ts";
import { AuthError, MISSING_TOKEN, type Identity, type TokenVerifier } from "./identity.ts";

export const DEV_ISSUER = "gemba-dev";
export const DEV_AUDIENCE = "gemba";
/** Long enough for a shift; the page signs again on every load, so nothing depends on it being long. */
export const DEV_TOKEN_SECONDS = 12 * 3600;

export function devUser(name: string): string {
  return `dev:${name.trim().toLowerCase()}`;
}

/** Read the signing secret, or create it (0600) on first start. */
export function loadDevSecret(dataDir: string, log: (m: string) => void = () => {}): Uint8Array {
  const file = path.join(dataDir, "dev-signing.key");
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
    log(`auth: created the development signing key ${file}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  if (process.platform !== "win32" && (fs.statSync(file).mode & 0o077) !== 0) {
    log(`auth: ${file} is readable by other users; run chmod 600 on it`);
  }
  const secret = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64url");
  if (secret.length < 32) throw new Error(`${file} holds fewer than 32 bytes; delete it to make a new one.`);
  return secret;
}

export class DevTokens implements TokenVerifier {
  readonly mode = "dev" as const;

  constructor(
    private readonly secret: Uint8Array,
    private readonly now: () => number,
    private readonly defaultRole: Role,
  ) {}

  /** Sign a token for a display name; throws AuthError("malformed") for a bad name or role. */
  async issue(name: string, role?: string): Promise<{ token: string; identity: Identity }> {
    const parsed = DisplayName.safeParse(name);
    if (!parsed.success) throw new AuthError("malformed", parsed.error.issues[0]?.message ?? "Enter a display name.");
    if (role !== undefined && !(ROLES as readonly string[]).includes(role)) {
      throw new AuthError("malformed", `A role is one of ${ROLES.join(", ")}.`);
    }
    const iat = Math.floor(this.now() / 1000);
    const jti = randomBytes(12).toString("base64url");
    const r = (role as Role | undefined) ?? this.defaultRole;
    const token = await new SignJWT({ name: parsed.data, role: r })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setSubject(devUser(parsed.data))
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(iat + DEV_TOKEN_SECONDS)
      .sign(this.secret);
    return { token, identity: await this.verify(token) };
  }

  async verify(token: string | undefined): Promise<Identity> {
    if (!token) throw new AuthError("missing", MISSING_TOKEN);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.secret, {
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        algorithms: ["HS256"],
        requiredClaims: ["exp", "sub"],
        currentDate: new Date(this.now()),
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired)
        throw new AuthError("expired", "Your development sign-in has expired; reload the page to sign in again.");
      if (e instanceof errors.JWSSignatureVerificationFailed)
        throw new AuthError("forged", "That sign-in token was not signed by this server; reload the page to sign in.");
      if (e instanceof errors.JWTClaimValidationFailed && e.claim === "iss")
        throw new AuthError("wrong-issuer", "That sign-in token was not issued by this server's development sign-in.");
      if (e instanceof errors.JWTClaimValidationFailed && e.claim === "aud")
        throw new AuthError("wrong-audience", "That sign-in token is not meant for Gemba.");
      throw new AuthError("malformed", "That is not a valid sign-in token; reload the page to sign in.");
    }
    const name = DisplayName.safeParse(payload["name"]);
    const role = payload["role"];
    if (!name.success || !(ROLES as readonly string[]).includes(String(role)) || payload.sub !== devUser(name.data)) {
      throw new AuthError("malformed", "That sign-in token does not name a person and a role.");
    }
    return {
      user: payload.sub,
      name: name.data,
      role: role as Role,
      groups: [],
      email: null,
      via: "dev",
      expiresAt: (payload.exp ?? 0) * 1000,
      tokenId: payload.jti ?? createHash("sha256").update(token).digest("base64url").slice(0, 16),
    };
  }
}
