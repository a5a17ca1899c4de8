/**
 * Wires sign-in for one server from its configuration: the token verifier of
 * the chosen mode, the access lists, and the gate that journals through the
 * store. Says loudly in the log when sign-in is the development kind.
 */
import type { Config } from "../config.ts";
import type { JournalStore } from "../store/JournalStore.ts";
import { AccessList } from "./AccessList.ts";
import { AccessListFile } from "./AccessListFile.ts";
import { DevTokens, loadDevSecret } from "./DevTokens.ts";
import { OidcVerifier } from "./OidcVerifier.ts";
import { SignInGate } from "./SignInGate.ts";

export interface Auth {
  gate: SignInGate;
  dev: DevTokens | null;
  oidc: OidcVerifier | null;
  /** The identity provider's origin, for the CSP (oidc mode only). */
  providerOrigin: string | null;
}

export function createAuth(
  config: Pick<Config, "auth" | "dataDir" | "devRole">,
  deps: {
    store: JournalStore;
    now: () => number;
    log: (m: string) => void;
    /** A refused sign-in from this address (its refusal budget, server/http/sourceLimits.ts). */
    onRefused?: (from: string) => void;
    /** Length of a refusal summary window (DENIED_SUMMARY_SECONDS). */
    summaryMs?: number;
  },
): Auth {
  // Read again when the file changes, so a removal or a lowered maxRole reaches people already in a room.
  const access = config.auth.accessFile
    ? new AccessListFile(config.auth.accessFile, deps.now, deps.log)
    : AccessList.open();
  let dev: DevTokens | null = null;
  let oidc: OidcVerifier | null = null;
  if (config.auth.oidc) {
    oidc = new OidcVerifier(config.auth.oidc, deps.now);
    deps.log(
      `sign-in (AUTH_MODE=oidc): ${config.auth.oidc.issuer}, client ${config.auth.oidc.clientId}, audience ${config.auth.oidc.audience}`,
    );
    // Fetch the provider's keys early so a misconfiguration shows at start, not at the first join; not fatal.
    oidc.discovery().catch((e: Error) => deps.log(`sign-in: ${e.message}`));
  } else {
    dev = new DevTokens(loadDevSecret(config.dataDir, deps.log), deps.now, config.devRole);
    deps.log("development sign-in (AUTH_MODE=dev): anyone who can reach this server can join with any name and role");
  }
  if (config.auth.accessFile) deps.log(`sign-in: per-plant access lists from ${config.auth.accessFile}`);
  const gate = new SignInGate({
    verifier: (oidc ?? dev)!,
    access,
    journal: (e) => deps.store.append(e),
    now: deps.now,
    log: deps.log,
    onRefused: deps.onRefused,
    summaryMs: deps.summaryMs,
  });
  return { gate, dev, oidc, providerOrigin: oidc ? new URL(oidc.settings.issuer).origin : null };
}
