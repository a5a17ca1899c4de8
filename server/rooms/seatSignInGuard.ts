/**
 * The room side of "role from the token, always" (issue #18, item 4; the rules are server/auth/SeatSignIns.ts):
 * every CHECK_MS the held sign-ins are swept and the events become what people see: a warning ("signin-expiring")
 * two minutes before a token ends, a close with CloseCode.SIGNED_OUT when it has ended or the access list no longer
 * admits the person, and a seat whose role changes with its driving connection's token. A reconnection is checked
 * like a join (its token, now), and "signin" carries a fresh token for a live connection.
 */
import { ServerError } from "@colyseus/core";
import { CloseCode, JoinError, type Refusal, type Role } from "../../shared/protocol.ts";
import { ClientRequest } from "../../shared/protocol.ts";
import type { SignInExpiring, SignInRefreshed } from "../../shared/auth.ts";
import type { SeatState } from "../../shared/state.ts";
import { CHECK_MS, SeatSignIns, WARN_MS } from "../auth/SeatSignIns.ts";
import { AuthError, type Identity } from "../auth/identity.ts";
import { authStatus, type SignInGate } from "../auth/SignInGate.ts";
import type { ComeBack } from "../auth/ReconnectTokens.ts";
import type { Clock } from "../twin/Clock.ts";
import { parseRequest } from "./messagePolicy.ts";

/** What the guard needs of the room. */
export interface GuardedRoom {
  /** The seat `session` drives (pending and moved connections drive none). */
  drivenSeat(session: string): SeatState | undefined;
  /** Tell `session` its sign-in ends soon ("signin-expiring"). */
  warn(session: string, message: SignInExpiring): void;
  /** Close a live connection; its seat is freed (no reconnection hold for CloseCode.SIGNED_OUT). */
  close(session: string, code: number, reason: string): void;
  journal(kind: string, seat: SeatState, data: Record<string, unknown>): void;
  log(m: string): void;
}

export const EXPIRED_SENTENCE = "Your sign-in has expired; sign in again to rejoin.";

export class SeatSignInGuard {
  private readonly rules: SeatSignIns;
  private readonly timer: unknown;

  constructor(
    private readonly plant: string,
    private readonly gate: SignInGate,
    private readonly clock: Clock,
    private readonly room: GuardedRoom,
    opts: { checkMs?: number; warnMs?: number } = {},
  ) {
    this.rules = new SeatSignIns(
      plant,
      (p, who) => gate.decide(p, who),
      () => clock.now(),
      opts.warnMs ?? WARN_MS,
    );
    this.timer = clock.setInterval(() => this.sweep(), opts.checkMs ?? CHECK_MS);
  }

  /** onJoin: the connection's token, admitted by the gate moments ago; the role it acts with. */
  joined(session: string, who: Identity): Role {
    return this.rules.hold(session, who);
  }

  /** The role `session`'s current token gives (a seat it takes over through a handoff takes this role). */
  roleOf(session: string): Role | undefined {
    return this.rules.roleOf(session);
  }

  left(session: string): void {
    this.rules.forget(session);
  }

  /**
   * onReconnect: the token the connection came back with is checked like a join's. A missing, bad or expired one,
   * or another person's, refuses the reconnection (Colyseus then ends the connection and the seat is freed).
   */
  async reconnected(session: string, back: ComeBack | undefined): Promise<void> {
    let who: Identity;
    try {
      who = await this.gate.admit(back?.token, this.plant, back?.from ?? "?", "reconnect");
    } catch (e) {
      this.rules.forget(session);
      if (e instanceof AuthError) throw new ServerError(authStatus(e), e.message);
      throw e;
    }
    const r = this.rules.comeBack(session, who);
    if (!r.ok) {
      this.rules.forget(session);
      throw new ServerError(JoinError.FORBIDDEN, r.message);
    }
    this.applyRole(session, r.role, r.was, "reconnect");
  }

  /** Request "signin": a fresh token for this connection's seat. */
  async refresh(
    session: string,
    raw: unknown,
    from: string,
  ): Promise<{ ok: true; value: SignInRefreshed } | { ok: false; refusal: Refusal }> {
    const p = parseRequest(ClientRequest.signin.payload, raw);
    if (!p.ok) return p;
    let who: Identity;
    try {
      who = await this.gate.admit(p.data.token, this.plant, from, "signin");
    } catch (e) {
      const message = e instanceof AuthError ? e.message : "That sign-in could not be checked.";
      return { ok: false, refusal: { code: "forbidden", message } };
    }
    const r = this.rules.refresh(session, who);
    if (!r.ok) return { ok: false, refusal: { code: "forbidden", message: r.message } };
    this.applyRole(session, r.role, r.was, "new sign-in");
    return { ok: true, value: { role: r.role, expiresAt: r.expiresAt } };
  }

  /** Run the periodic check now (the timer calls it every CHECK_MS). */
  sweep(): void {
    for (const e of this.rules.sweep()) {
      if (e.kind === "expiring") {
        const m: SignInExpiring = {
          expiresAt: e.expiresAt,
          message: "Your sign-in ends in two minutes; sign in again to keep your place.",
        };
        this.room.warn(e.session, m);
      } else if (e.kind === "role") {
        this.applyRole(e.session, e.role, e.was, "access list");
      } else {
        const seat = this.room.drivenSeat(e.session);
        const reason = e.kind === "expired" ? EXPIRED_SENTENCE : e.message;
        if (seat) this.room.journal("signout", seat, { reason: e.kind, user: seat.user });
        this.room.log(`room seat ${seat?.id ?? "-"}: signed out (${e.kind})`);
        this.room.close(e.session, CloseCode.SIGNED_OUT, reason);
      }
    }
  }

  dispose(): void {
    this.clock.clearInterval(this.timer);
  }

  private applyRole(session: string, role: Role, was: Role, why: string): void {
    const seat = this.room.drivenSeat(session);
    if (!seat || seat.role === role) return;
    const from = seat.role;
    seat.role = role;
    this.room.journal("role", seat, { from, to: role, why, user: seat.user, held: was });
  }
}
