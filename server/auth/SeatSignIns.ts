/**
 * The sign-in behind every room connection, kept for as long as the connection lives: the role a seat acts with is
 * always the one its driving connection's CURRENT token and the plant's access list give, never one copied from
 * another seat or remembered from the join (issue #18, item 4). Pure: the clock and the access decision are injected;
 * the room adapter (server/rooms/seatSignInGuard.ts) turns the events of `sweep` into messages, role changes and closes.
 *
 * - `hold` when a connection joins, `refresh` when it sends a fresh token (same person only), `forget` when it leaves.
 * - `sweep` (every CHECK_MS): a token within `warnMs` of its expiry is warned once; an expired one ends the connection;
 *   the access list is asked again, so a lowered `maxRole` or a removal from the list takes effect within CHECK_MS.
 */
import type { Role } from "../../shared/protocol.ts";
import type { AccessDecision } from "./AccessList.ts";
import type { Identity } from "./identity.ts";

/** How often held sign-ins are checked: a demotion by the access list takes effect within this. */
export const CHECK_MS = 15_000;
/** How long before its token expires a connection is told to bring a fresh one. */
export const WARN_MS = 2 * 60_000;

export type SeatSignInEvent =
  | { kind: "expiring"; session: string; expiresAt: number }
  | { kind: "expired"; session: string }
  | { kind: "role"; session: string; role: Role; was: Role }
  | { kind: "revoked"; session: string; message: string };

interface Held {
  who: Identity;
  role: Role;
  warned: boolean;
}

export type RefreshResult = { ok: true; role: Role; was: Role; expiresAt: number } | { ok: false; message: string };

export class SeatSignIns {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly plant: string,
    private readonly decide: (plant: string, who: Identity) => AccessDecision,
    private readonly now: () => number,
    private readonly warnMs = WARN_MS,
  ) {}

  /** A connection joined with `who` (already admitted by the gate): the role it acts with. */
  hold(session: string, who: Identity): Role {
    const d = this.decide(this.plant, who);
    const role = d.ok ? d.role : "viewer";
    this.held.set(session, { who, role, warned: false });
    return role;
  }

  /** The role this connection's current token gives here (undefined for a connection never held). */
  roleOf(session: string): Role | undefined {
    return this.held.get(session)?.role;
  }

  /** Whose token this connection holds. */
  userOf(session: string): string | undefined {
    return this.held.get(session)?.who.user;
  }

  expiresAt(session: string): number | undefined {
    return this.held.get(session)?.who.expiresAt;
  }

  /**
   * A fresh token for a live connection (already verified and admitted by the gate). It must be the same person's:
   * a seat is never handed to someone else by a token swap. Its role replaces the old one, lower or higher.
   */
  refresh(session: string, who: Identity): RefreshResult {
    const h = this.held.get(session);
    if (!h) return { ok: false, message: "This connection has no seat to sign in again for." };
    if (h.who.user !== who.user) {
      return {
        ok: false,
        message: `That sign-in is for ${who.name}, not ${h.who.name}; a seat keeps its person. Join as ${who.name} instead.`,
      };
    }
    const d = this.decide(this.plant, who);
    if (!d.ok) return { ok: false, message: d.message };
    const was = h.role;
    this.held.set(session, { who, role: d.role, warned: false });
    return { ok: true, role: d.role, was, expiresAt: who.expiresAt };
  }

  /**
   * A dropped connection came back presenting `who` (verified and admitted by the gate). Same person only. The SDK
   * comes back with the token it first joined with, so a token older than the one held (refreshed since) does not
   * replace it: a person demoted by a fresh token cannot win the old role back by dropping the connection. A newer
   * one replaces it, lower role or higher. Either way the role is decided again now.
   */
  comeBack(session: string, who: Identity): RefreshResult {
    const h = this.held.get(session);
    if (!h) return { ok: false, message: "Your sign-in for this seat has ended; sign in again to rejoin." };
    if (h.who.user !== who.user) return this.refresh(session, who); // refused there, with the sentence
    return this.refresh(session, who.expiresAt >= h.who.expiresAt ? who : h.who);
  }

  forget(session: string): void {
    this.held.delete(session);
  }

  /** Check every held sign-in against the clock and the access list as they are now. */
  sweep(): SeatSignInEvent[] {
    const now = this.now();
    const out: SeatSignInEvent[] = [];
    for (const [session, h] of this.held) {
      if (now >= h.who.expiresAt) {
        this.held.delete(session);
        out.push({ kind: "expired", session });
        continue;
      }
      const d = this.decide(this.plant, h.who);
      if (!d.ok) {
        this.held.delete(session);
        out.push({ kind: "revoked", session, message: d.message });
        continue;
      }
      if (d.role !== h.role) {
        out.push({ kind: "role", session, role: d.role, was: h.role });
        h.role = d.role;
      }
      if (!h.warned && now >= h.who.expiresAt - this.warnMs) {
        h.warned = true;
        out.push({ kind: "expiring", session, expiresAt: h.who.expiresAt });
      }
    }
    return out;
  }
}
