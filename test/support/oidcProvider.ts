/**
 * A real OpenID Connect provider for tests (panva's certified `oidc-provider`),
 * in-process on a free port: one public client with PKCE, JWT access tokens for
 * Gemba's audience (resource indicators), a static signing key generated here,
 * and accounts whose groups the test chooses. Its development login form accepts
 * any login; `signInHeadless` drives that same form over HTTP for Node tests.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import Provider from "oidc-provider";
import { authorizeUrl, randomToken, s256 } from "../../client/auth/pkce.ts";

export const AUDIENCE = "api://gemba-test";
export const CLIENT_ID = "gemba-web";
export const SCOPES = "openid profile gemba";

export interface TestProvider {
  issuer: string;
  /** Account id -> groups (and display name) given at sign-in. Edit before signing in. */
  accounts: Map<string, { name: string; groups: string[] }>;
  /** Sign a token with a key the provider does not publish (a forgery), with any claims. */
  forge(claims: Record<string, unknown>): Promise<string>;
  /** Sign with the provider's own key: for expired, wrong-issuer and wrong-audience tokens that are otherwise genuine. */
  signAsProvider(claims: Record<string, unknown>): Promise<string>;
  /** Gemba's environment for AUTH_MODE=oidc against this provider. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startTestProvider(redirectUris: string[]): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: "test-key-1", alg: "RS256", use: "sig" };
  const stranger = await generateKeyPair("RS256");
  const accounts = new Map<string, { name: string; groups: string[] }>();
  const account = (id: string) => accounts.get(id) ?? { name: id, groups: [] };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: "none",
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomToken(32)] },
    claims: { openid: ["sub"], profile: ["name"], groups: ["groups"] },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, name: account(id).name, groups: account(id).groups }),
    }),
    // Access tokens carry the groups (and name) Gemba maps to a role, as Entra ID and Keycloak can be set up to do.
    extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) =>
      token.accountId ? { name: account(token.accountId).name, groups: account(token.accountId).groups } : undefined,
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== AUDIENCE) throw new Error(`unknown resource ${resource}`);
          return {
            scope: "gemba",
            audience: AUDIENCE,
            accessTokenFormat: "jwt",
            accessTokenTTL: 600,
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    scopes: ["openid", "profile", "gemba"],
  });
  server.on("request", provider.callback());

  const base = (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const str = (v: unknown, d: string) => (typeof v === "string" ? v : d);
    return new SignJWT({ scope: "gemba", client_id: CLIENT_ID, name: "Mallory", groups: ["gemba-admins"], ...claims })
      .setIssuedAt(now)
      .setIssuer(str(claims["iss"], issuer))
      .setAudience((claims["aud"] as string | undefined) ?? AUDIENCE)
      .setSubject(str(claims["sub"], "mallory"))
      .setExpirationTime((claims["exp"] as number | undefined) ?? now + 600)
      .setJti(randomToken(16));
  };
  return {
    issuer,
    accounts,
    forge: (claims) => base(claims).setProtectedHeader({ alg: "RS256", kid: "test-key-1" }).sign(stranger.privateKey),
    signAsProvider: (claims) => base(claims).setProtectedHeader({ alg: "RS256", kid: "test-key-1" }).sign(privateKey),
    env: (extra = {}) => ({
      AUTH_MODE: "oidc",
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_SCOPES: SCOPES,
      OIDC_ROLE_CLAIM: "groups",
      OIDC_ROLE_MAP: "gemba-admins=admin,gemba-experts=expert,gemba-operators=operator,gemba-viewers=viewer",
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The browser's sign-in without a browser: authorization request with PKCE, the provider's login and consent
 * forms (any login is accepted), then the code exchange at the token endpoint. Returns the token response.
 */
export async function signInHeadless(
  p: TestProvider,
  login: string,
  redirectUri: string,
): Promise<{ access_token: string; id_token?: string; expires_in: number }> {
  const discovery = (await (await fetch(`${p.issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  };
  const verifier = randomToken(64);
  const state = randomToken(24);
  let url = authorizeUrl({
    authorizationEndpoint: discovery.authorization_endpoint,
    clientId: CLIENT_ID,
    redirectUri,
    scopes: SCOPES,
    state,
    nonce: randomToken(24),
    challenge: await s256(verifier),
    extra: {},
  });
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(redirectUri)) break;
    const res = await go(url);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location")!, url).toString();
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!prompt) throw new Error(`unexpected provider page (${res.status}): ${html.slice(0, 300)}`);
    const body = new URLSearchParams({ prompt, ...(prompt === "login" ? { login, password: "any" } : {}) });
    const post = await go(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    url = new URL(post.headers.get("location")!, url).toString();
  }
  const back = new URL(url);
  if (back.searchParams.get("state") !== state) throw new Error(`sign-in did not come back with our state: ${url}`);
  const code = back.searchParams.get("code");
  if (!code) throw new Error(`sign-in failed: ${url}`);
  const tok = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: CLIENT_ID,
      code_verifier: verifier,
    }),
  });
  const json = (await tok.json()) as { access_token: string; id_token?: string; expires_in: number; error?: string };
  if (!tok.ok) throw new Error(`token exchange failed: ${JSON.stringify(json)}`);
  return json;
}
