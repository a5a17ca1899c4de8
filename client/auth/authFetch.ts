/**
 * Reads of plant data (model, history, timeline, scene) need the sign-in token,
 * like a room join: every such fetch goes through here with `Authorization: Bearer`.
 */

/** The current sign-in token (dev: signed for the name typed in; oidc: the access token). */
export type TokenSource = () => Promise<string>;

export async function authFetch(url: string, token: TokenSource, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${await token()}`);
  return fetch(url, { ...init, headers });
}

/** The `{ error }` sentence of a refused request, or its status. */
export async function refusalText(res: Response): Promise<string> {
  const body: unknown = await res.json().catch(() => null);
  return body && typeof body === "object" && "error" in body ? String(body.error) : `HTTP ${res.status}`;
}
