/**
 * The gate for one HTTP request: the bearer token must stand for someone who may
 * do `action` on `plant`. Answers the refusal itself (401/403/503 with a sentence)
 * and returns null, or returns who it is.
 */
import type { Request, Response } from "express";
import type { Action } from "../../shared/permissions.ts";
import { bearer, requester } from "./authRoutes.ts";
import { AuthError, type Identity } from "./identity.ts";
import { authStatus, type SignInGate } from "./SignInGate.ts";

export async function allowed(
  gate: SignInGate,
  req: Request,
  res: Response,
  plant: string,
  action: Action,
): Promise<Identity | null> {
  try {
    return await gate.require(bearer(req), plant, requester(req), action);
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    if (e.code === "missing") res.setHeader("WWW-Authenticate", 'Bearer realm="gemba"');
    res.status(authStatus(e)).json({ error: e.message });
    return null;
  }
}

/** The gate for a request about no plant in particular (the plant list): any valid token, or the refusal answered. */
export async function identified(
  gate: SignInGate,
  req: Request,
  res: Response,
  what: string,
): Promise<Identity | null> {
  try {
    return await gate.identify(bearer(req), requester(req), what);
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    if (e.code === "missing") res.setHeader("WWW-Authenticate", 'Bearer realm="gemba"');
    res.status(authStatus(e)).json({ error: e.message });
    return null;
  }
}
