/**
 * The sign-in settings from the environment: AUTH_MODE and, in oidc mode, the
 * identity provider. Parsed once at start; a bad or missing value is one sentence
 * (server/config.ts turns it into a ConfigError). Listed in README's configuration table.
 */
import path from "node:path";
import { ROLES, type Role } from "../../shared/protocol.ts";
import { parseRoleMap, type RoleMap } from "./roleMapping.ts";

export interface OidcSettings {
  /** Issuer URL exactly as the provider writes it in `iss` (and serves discovery under). */
  issuer: string;
  clientId: string;
  /** The `aud` access tokens must carry for Gemba. */
  audience: string;
  scopes: string;
  /** Claim holding groups/roles; a dotted path for nested claims. */
  roleClaim: string;
  roleMap: RoleMap;
  /** Role for signed-in people none of whose groups is mapped; null refuses them. */
  defaultRole: Role | null;
  clockSkewSeconds: number;
  /** Extra authorization-request parameters some providers need (Auth0: audience=…). */
  authParams: Record<string, string>;
}

export interface AuthSettings {
  mode: "dev" | "oidc";
  oidc: OidcSettings | null;
  /** Per-plant access lists (JSON), or null: every signed-in person may join every plant. */
  accessFile: string | null;
}

const need = (env: NodeJS.ProcessEnv, name: string, example: string): string => {
  const v = env[name]?.trim();
  if (!v) throw new Error(`AUTH_MODE=oidc needs ${name} (for example ${example}).`);
  return v;
};

export function parseAuthEnv(env: NodeJS.ProcessEnv, root: string): AuthSettings {
  const mode = (env["AUTH_MODE"]?.trim() || "dev").toLowerCase();
  if (mode !== "dev" && mode !== "oidc")
    throw new Error(`AUTH_MODE must be "dev" or "oidc", got "${env["AUTH_MODE"]}".`);
  const accessFile = env["ACCESS_FILE"]?.trim() ? path.resolve(root, env["ACCESS_FILE"].trim()) : null;
  if (mode === "dev") return { mode, oidc: null, accessFile };

  const issuer = need(env, "OIDC_ISSUER", "https://login.example.com/realms/plant");
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new Error(`OIDC_ISSUER must be a URL like https://login.example.com/realms/plant, got "${issuer}".`);
  }
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(issuerUrl.hostname);
  if (issuerUrl.protocol !== "https:" && !(issuerUrl.protocol === "http:" && local)) {
    throw new Error(`OIDC_ISSUER must use https:// (http:// only for a provider on this machine), got "${issuer}".`);
  }
  const defaultRaw = env["OIDC_DEFAULT_ROLE"]?.trim() || "";
  if (defaultRaw && defaultRaw !== "none" && !(ROLES as readonly string[]).includes(defaultRaw)) {
    throw new Error(`OIDC_DEFAULT_ROLE must be one of ${ROLES.join(", ")} or "none", got "${defaultRaw}".`);
  }
  const skewRaw = env["OIDC_CLOCK_SKEW_SECONDS"]?.trim() || "60";
  const skew = Number(skewRaw);
  if (!Number.isInteger(skew) || skew < 0 || skew > 600) {
    throw new Error(`OIDC_CLOCK_SKEW_SECONDS must be a whole number from 0 to 600, got "${skewRaw}".`);
  }
  const authParams: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(env["OIDC_AUTH_PARAMS"]?.trim() ?? "")) authParams[k] = v;
  return {
    mode,
    accessFile,
    oidc: {
      issuer,
      clientId: need(env, "OIDC_CLIENT_ID", "gemba"),
      audience: need(env, "OIDC_AUDIENCE", "api://gemba"),
      scopes: env["OIDC_SCOPES"]?.trim() || "openid profile email",
      roleClaim: env["OIDC_ROLE_CLAIM"]?.trim() || "groups",
      roleMap: parseRoleMap(need(env, "OIDC_ROLE_MAP", "gemba-admins=admin,gemba-operators=operator")),
      defaultRole: defaultRaw && defaultRaw !== "none" ? (defaultRaw as Role) : null,
      clockSkewSeconds: skew,
      authParams,
    },
  };
}
