/**
 * The one door every request with a sign-in token goes through (room joins and
 * the protected HTTP routes): verify the token, apply the plant's access list,
 * count and journal what happened. Sign-ins are journaled once per token;
 * refusals (bad tokens, access-list and role refusals) are all counted, and
 * journaled through a digest: the first from an address about a plant in full,
 * the rest of that minute as one summary row (RefusalDigest), so a flood costs
 * no write per request.
 */
import { decodeJwt } from "jose";
import { can, type Action } from "../../shared/permissions.ts";
import { PlantJournal } from "../journal/PlantJournal.ts";
import type { NewJournalEntry } from "../store/JournalStore.ts";
import { AuthError, type AuthFailure, type Identity, type TokenVerifier } from "./identity.ts";
import type { AccessDecision } from "./AccessList.ts";
import type { AccessRules } from "./AccessListFile.ts";
import { RefusalDigest } from "./RefusalDigest.ts";

export interface GateDeps {
  verifier: TokenVerifier;
  access: AccessRules;
  journal: (e: NewJournalEntry) => void;
  now: () => number;
  log: (m: string) => void;
  /** Told of each refused sign-in, with the requester's address (the per-source refusal budget). */
  onRefused?: (from: string) => void;
  /** Length of a refusal summary window (default one minute). */
  summaryMs?: number;
}

/**
 * The journal's "plant" for what concerns the server as a whole (refusals with no plant in question, metrics
 * reads). Parentheses cannot appear in a plant id, so it never collides with a plant; admins read it at
 * GET /api/server/journal.
 */
export const SERVER_SCOPE = "(server)";

/** Remembered token ids, so a reconnecting or re-joining page is not a new sign-in each time. */
const SEEN_LIMIT = 10_000;

export class SignInGate {
  readonly refused: Record<AuthFailure, number> = {
    missing: 0,
    malformed: 0,
    forged: 0,
    expired: 0,
    "wrong-issuer": 0,
    "wrong-audience": 0,
    "no-role": 0,
    "not-allowed": 0,
    unavailable: 0,
  };
  signIns = 0;
  private readonly seen = new Set<string>();
  /** Every refusal, summed over reasons (the counters by reason are `refused`). */
  denied = 0;
  private readonly digest: RefusalDigest;

  constructor(private readonly deps: GateDeps) {
    this.digest = new RefusalDigest(deps.summaryMs ?? 60_000);
  }

  /** Journal the summaries of refusal windows that are over (from a timer; `Infinity` at shutdown). */
  flushDenied(now = this.deps.now()): void {
    for (const row of this.digest.flush(now)) this.record(row);
  }

  get mode(): "dev" | "oidc" {
    return this.deps.verifier.mode;
  }

  /**
   * Who `token` stands for in `plant`, with the role the access list allows there, or an AuthError
   * (counted, logged and journaled). `from` is the requester's address, `what` names the request for the journal.
   */
  async admit(token: string | undefined, plant: string, from: string, what = "join"): Promise<Identity> {
    let who: Identity;
    try {
      who = await this.deps.verifier.verify(token);
    } catch (e) {
      const err = e instanceof AuthError ? e : new AuthError("malformed", "That sign-in token cannot be read.");
      this.refuse(err, plant, from, what, token);
      throw err;
    }
    const d = this.deps.access.decide(plant, who);
    if (!d.ok) {
      const err = new AuthError("not-allowed", d.message);
      this.refuse(err, plant, from, what, token, who);
      throw err;
    }
    if (!this.seen.has(who.tokenId)) {
      if (this.seen.size >= SEEN_LIMIT) this.seen.clear();
      this.seen.add(who.tokenId);
      this.signIns++;
      this.record({
        plant,
        kind: "signin",
        actor: who.name,
        subject: who.user,
        data: { via: who.via, role: d.role, groups: who.groups.slice(0, 50), expiresAt: who.expiresAt, from },
      });
    }
    return { ...who, role: d.role };
  }

  /**
   * Who `token` stands for, with no plant in question (the plant list): a refusal is counted and
   * journaled under the server scope. Which plants they may see is `mayJoin`.
   */
  async identify(token: string | undefined, from: string, what: string): Promise<Identity> {
    try {
      return await this.deps.verifier.verify(token);
    } catch (e) {
      const err = e instanceof AuthError ? e : new AuthError("malformed", "That sign-in token cannot be read.");
      this.refuse(err, SERVER_SCOPE, from, what, token);
      throw err;
    }
  }

  /**
   * For what belongs to the server rather than a plant (process metrics, the server's own journal): any valid
   * token whose own role may do `action`; refusals are journaled under the server scope.
   */
  async requireOnServer(token: string | undefined, from: string, action: Action): Promise<Identity> {
    const who = await this.identify(token, from, action);
    if (!can(who.role, action)) {
      this.deny(
        {
          plant: SERVER_SCOPE,
          kind: "denied",
          actor: who.name,
          subject: who.user,
          data: { action, role: who.role, from },
        },
        from,
        "role",
      );
      throw new AuthError("not-allowed", `${who.name} (${who.role}) may not ${ACTION_TEXT[action] ?? action}.`);
    }
    return who;
  }

  /** Whether the access list lets `who` into `plant` (no journal: the plant list just leaves the others out). */
  mayJoin(plant: string, who: Identity): boolean {
    return this.deps.access.decide(plant, who).ok;
  }

  /**
   * The role `who` has in `plant` by the access list as it is now (a live seat's periodic check, a token refresh):
   * no journal row and no count, the caller records what changed.
   */
  decide(plant: string, who: Identity): AccessDecision {
    return this.deps.access.decide(plant, who);
  }

  /** `admit`, then require a role that may do `action`; a refusal is journaled as a role denial. */
  async require(token: string | undefined, plant: string, from: string, action: Action): Promise<Identity> {
    const who = await this.admit(token, plant, from, action);
    if (!can(who.role, action)) {
      this.deny(
        { plant, kind: "denied", actor: who.name, subject: who.user, data: { action, role: who.role, from } },
        from,
        "role",
      );
      throw new AuthError("not-allowed", `${who.name} (${who.role}) may not ${ACTION_TEXT[action] ?? action}.`);
    }
    return who;
  }

  private refuse(
    err: AuthError,
    plant: string,
    from: string,
    what: string,
    token: string | undefined,
    who?: Identity,
  ): void {
    this.refused[err.code]++;
    // What the token claims, for the auditor: unverified, so stored as "claimed".
    let claimed: string | undefined = who?.user;
    if (!claimed && token) {
      try {
        const p = decodeJwt(token);
        claimed = typeof p.sub === "string" ? p.sub.slice(0, 200) : undefined;
      } catch {
        claimed = undefined;
      }
    }
    this.deny(
      {
        plant,
        kind: "denied",
        actor: who?.name ?? "",
        subject: who?.user ?? "",
        data: { action: what, reason: err.code, message: err.message, from, ...(claimed ? { claimed } : {}) },
      },
      from,
      err.code,
    );
    this.deps.onRefused?.(from);
    // The log line goes through the server's throttled log (server/http/logThrottle.ts): a flood is one line a minute.
    this.deps.log(`auth: refused ${what} on plant ${plant} from ${from}: ${err.code}`);
  }

  private deny(row: Omit<NewJournalEntry, "ts" | "device">, from: string, reason: string): void {
    this.denied++;
    for (const r of this.digest.note(row, from, reason, this.deps.now())) this.record(r);
  }

  /** Sign-ins happen before any device is known: the row names the person and no device. */
  private record(e: Omit<NewJournalEntry, "ts" | "device">): void {
    try {
      const who = { name: e.actor, device: "" };
      this.deps.journal(new PlantJournal(e.plant, this.deps.now).entry(e.kind, who, e.subject, e.data));
    } catch (x) {
      this.deps.log(`journal: could not record ${e.kind}: ${(x as Error).message}`);
    }
  }
}

const ACTION_TEXT: Partial<Record<Action, string>> = {
  audit: "read or export the journal",
  report: "download incident reports",
  simulate: "inject or clear simulator faults",
};

/** The HTTP status for a refused sign-in. */
export function authStatus(e: AuthError): 401 | 403 | 503 {
  return e.code === "unavailable" ? 503 : e.code === "no-role" || e.code === "not-allowed" ? 403 : 401;
}
