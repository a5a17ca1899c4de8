/**
 * How this page signs in, whatever the server's AUTH_MODE: asks the server
 * (`/api/auth/config`), then either signs development tokens for the display
 * name typed in (dev) or runs the OpenID Connect sign-in (oidc). The rest of the
 * page only calls `token(name)` before each join, and shows the mode marker.
 */
import { AuthConfigInfo, DevSignIn } from "../../shared/auth.ts";
import { byId, el } from "../ui/dom.ts";
import {
  beginOidcSignIn,
  completeOidcSignIn,
  forgetOidcTokens,
  isOidcCallback,
  nameFromTokens,
  SignInProblem,
  storedOidcTokens,
} from "./OidcSignIn.ts";
import "./signin.css";

export interface SignIn {
  mode: "dev" | "oidc";
  /** The signed-in person's name (oidc); null when the page asks for a display name (dev). */
  name: string | null;
  /** A token to join with as `name`: dev signs one (reused until near expiry); oidc sends the page to sign in again when expired. */
  token(name: string): Promise<string>;
}

async function fetchAuthConfig(): Promise<AuthConfigInfo> {
  const res = await fetch("/api/auth/config");
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const why = body && typeof body === "object" && "error" in body ? String(body.error) : `HTTP ${res.status}`;
    throw new Error(`Cannot sign in: ${why}`);
  }
  const parsed = AuthConfigInfo.safeParse(body);
  if (!parsed.success) throw new Error("The server's sign-in settings are not understood by this page. Reload it.");
  return parsed.data;
}

function devSignIn(): SignIn {
  // ?role=viewer asks for a role (development only: the server signs whatever is asked for).
  const role = new URLSearchParams(location.search).get("role") ?? undefined;
  let cached: DevSignIn | null = null;
  return {
    mode: "dev",
    name: null,
    async token(name: string): Promise<string> {
      // Reused only while it outlives the server's expiry warning (2 minutes), so renewing then gets a fresh one.
      if (cached && cached.name === name && cached.expiresAt - 5 * 60_000 > Date.now()) return cached.token;
      const res = await fetch("/api/auth/dev", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(role ? { name, role } : { name }),
      });
      const body: unknown = await res.json().catch(() => null);
      const parsed = DevSignIn.safeParse(body);
      if (!res.ok || !parsed.success) {
        const why = body && typeof body === "object" && "error" in body ? String(body.error) : `HTTP ${res.status}`;
        throw new Error(`Cannot sign in: ${why}`);
      }
      cached = parsed.data;
      return cached.token;
    },
  };
}

/** Sign-in failed: say why and offer to try again. Never resolves (the page waits for the person). */
function showSignInProblem(message: string, retry: () => void): Promise<never> {
  const d = el("dialog", "signin-problem");
  d.setAttribute("aria-labelledby", "signin-problem-title");
  const h = el("h1", undefined, "Sign-in did not work");
  h.id = "signin-problem-title";
  const p = el("p", "error", message);
  p.id = "signin-problem-text";
  p.setAttribute("role", "alert");
  const b = el("button", undefined, "Sign in again");
  b.type = "button";
  b.id = "signin-again";
  b.addEventListener("click", retry);
  d.append(h, p, b);
  d.addEventListener("cancel", (e) => e.preventDefault());
  document.body.appendChild(d);
  d.showModal();
  return new Promise<never>(() => {});
}

export async function startSignIn(): Promise<SignIn> {
  const cfg = await fetchAuthConfig();
  if (cfg.mode === "dev") {
    showModeMarker("dev");
    return devSignIn();
  }
  let tokens = storedOidcTokens();
  if (isOidcCallback()) {
    try {
      tokens = await completeOidcSignIn(cfg);
    } catch (e) {
      const message = e instanceof SignInProblem ? e.message : `Sign-in failed: ${(e as Error).message}`;
      return showSignInProblem(message, () => void beginOidcSignIn(cfg));
    }
  }
  if (!tokens) return beginOidcSignIn(cfg);
  const name = nameFromTokens(tokens);
  showModeMarker("oidc", name);
  return {
    mode: "oidc",
    name,
    async token(): Promise<string> {
      const t = storedOidcTokens();
      if (t) return t.accessToken;
      forgetOidcTokens();
      return beginOidcSignIn(cfg);
    },
  };
}

/** A marker beside the connection state: "Development sign-in" (anyone can be anyone), or who is signed in. */
function showModeMarker(mode: "dev" | "oidc", name?: string): void {
  const marker = el("span", `signin-mode ${mode}`, mode === "dev" ? "Development sign-in" : `Signed in: ${name ?? ""}`);
  marker.id = "signin-mode";
  marker.title =
    mode === "dev"
      ? "Development sign-in: no password; anyone who can reach this server can join with any name and role. Use AUTH_MODE=oidc for real sign-in."
      : "Signed in through your organisation's identity provider.";
  byId("conn").after(marker);
  if (mode === "dev") {
    const note = el(
      "p",
      "signin-note",
      "Development sign-in: no password — anyone who can reach this server can join under any name.",
    );
    byId("join-error").before(note);
  }
}
