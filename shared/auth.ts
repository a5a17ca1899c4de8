/**
 * The sign-in contract between page and server: what `GET /api/auth/config`
 * tells the page (which mode, and for oidc where the provider is), and what the
 * development sign-in returns. Schemas, so the page validates what it receives.
 */
import { z } from "zod";
import { ROLES, type RequestReply, type ServerMessagePayload } from "./protocol.ts";

export const AuthConfigInfo = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("dev"), roles: z.array(z.enum(ROLES)) }),
  z.object({
    mode: z.literal("oidc"),
    issuer: z.string().url(),
    clientId: z.string().min(1),
    scopes: z.string(),
    authorizationEndpoint: z.string().url(),
    tokenEndpoint: z.string().url(),
    endSessionEndpoint: z.string().url().nullable(),
    /** Extra authorization-request parameters (OIDC_AUTH_PARAMS). */
    authParams: z.record(z.string(), z.string()),
  }),
]);
export type AuthConfigInfo = z.infer<typeof AuthConfigInfo>;

/** POST /api/auth/dev answer. */
export const DevSignIn = z.object({
  token: z.string().min(1),
  user: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  expiresAt: z.number(),
});
export type DevSignIn = z.infer<typeof DevSignIn>;

/** Room request "signin" and its answer, and the "signin-expiring" warning: declared in shared/protocol/. */
export type SignInRefreshed = RequestReply<"signin">;
export type SignInExpiring = ServerMessagePayload<"signin-expiring">;
