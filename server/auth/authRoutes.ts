/**
 * HTTP side of sign-in: what the page needs to know to sign in
 * (`GET /api/auth/config`), the development sign-in (`POST /api/auth/dev`), and
 * `bearer()`, which reads a request's `Authorization: Bearer` token for the gate.
 */
import type { Application, Request } from "express";
import { z } from "zod";
import { ROLES } from "../../shared/protocol.ts";
import type { AuthConfigInfo } from "../../shared/auth.ts";
import { AuthError } from "./identity.ts";
import { requesterOf } from "../http/requesterAddress.ts";
import type { DevTokens } from "./DevTokens.ts";
import type { OidcVerifier } from "./OidcVerifier.ts";
import type { SignInGate } from "./SignInGate.ts";

export interface AuthRouteDeps {
  gate: SignInGate;
  dev: DevTokens | null;
  oidc: OidcVerifier | null;
}

const DevBody = z.object({ name: z.string().max(200), role: z.string().max(20).optional() }).strict();

export function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === "string" ? /^Bearer\s+(\S{1,8192})$/i.exec(h) : null;
  return m?.[1];
}

/** The requester's address: the socket's peer, or the client behind a proxy named in TRUST_PROXY (server/http/edgeGuard.ts). */
export function requester(req: Request): string {
  return requesterOf(req);
}

export function installAuthRoutes(app: Application, deps: AuthRouteDeps): void {
  app.get("/api/auth/config", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (deps.dev) {
      const body: AuthConfigInfo = { mode: "dev", roles: [...ROLES] };
      return res.json(body);
    }
    const s = deps.oidc!.settings;
    try {
      const d = await deps.oidc!.discovery();
      const body: AuthConfigInfo = {
        mode: "oidc",
        issuer: s.issuer,
        clientId: s.clientId,
        scopes: s.scopes,
        authorizationEndpoint: d.authorization_endpoint,
        tokenEndpoint: d.token_endpoint,
        endSessionEndpoint: d.end_session_endpoint ?? null,
        authParams: s.authParams,
      };
      res.json(body);
    } catch (e) {
      res.status(503).json({ error: (e as Error).message });
    }
  });

  app.post("/api/auth/dev", async (req, res) => {
    if (!deps.dev) return res.status(404).json({ error: "This server signs people in through its identity provider." });
    const body = DevBody.safeParse(req.body);
    if (!body.success) return res.status(400).json({ error: 'Send JSON like {"name": "Ada", "role": "operator"}.' });
    try {
      const { token, identity } = await deps.dev.issue(body.data.name, body.data.role);
      res.setHeader("Cache-Control", "no-store");
      res.json({ token, user: identity.user, name: identity.name, role: identity.role, expiresAt: identity.expiresAt });
    } catch (e) {
      if (e instanceof AuthError) return res.status(400).json({ error: e.message });
      throw e;
    }
  });
}
