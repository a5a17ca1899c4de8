/**
 * Who may join a plant room, and how rooms of a plant are found: one room per plant until it is full.
 * - `authorizeJoin` (the room's static onAuth) validates options and sign-in, then holds a place in the person's
 *   join bound. One person may hold at most MAX_JOINS_PER_USER connections plus unused seat reservations in a
 *   process: without it one viewer's reservations (a reserved seat counts against MAX_CLIENTS for 15 s) filled
 *   room after room, and a plant's people ended up split across rooms where they no longer saw each other.
 * - `restrictMatchmaking` takes away the matchmaker's `create` (a new room on demand) and `join`: rooms are
 *   opened by `joinOrCreate` only, which opens a second room of a plant only when every other one is full.
 * - `admitToRoom` (onJoin) refuses a seat reserved for another plant (`joinById` names a room, the options a plant
 *   whose access list was checked) and marks the reservation used.
 */
import { matchMaker, ServerError, generateId } from "@colyseus/core";
import { JoinError, JoinOptions, PROTOCOL_VERSION, protocolMismatchMessage, type Role } from "../../shared/protocol.ts";
import type { TicketBook, Ticket } from "../handoff/HandoffTickets.ts";
import { AuthError, type Identity } from "../auth/identity.ts";
import { authStatus, type SignInGate } from "../auth/SignInGate.ts";
import type { PlantHub } from "../runtime/PlantHub.ts";
import { plantNotFoundMessage } from "../http/plantNotFound.ts";
import { HANDOFF_REFUSED } from "../http/handoffRefusal.ts";

/** How long an unused seat reservation holds its place: Colyseus' own reservation time (COLYSEUS_SEAT_RESERVATION_TIME). */
export const SEAT_RESERVATION_MS = Number(process.env["COLYSEUS_SEAT_RESERVATION_TIME"] || 15) * 1000;

/**
 * Per person: the connections they hold and the seat reservations they have not used yet, with a bound on both
 * together. Pure (clock and ids injected); the room tells it when a reservation is used (`joined`) and when a
 * connection ends (`left`); an unused reservation lapses after `reservationMs`, as the room's own does.
 */
export class JoinLedger {
  private readonly pending = new Map<string, { user: string; until: number }>();
  private readonly live = new Map<string, string>();
  private readonly byUser = new Map<string, Set<string>>();
  /** Joins refused because the person was at the bound (GET /api/metrics). */
  refused = 0;

  constructor(
    readonly maxPerUser: number,
    private readonly now: () => number,
    private readonly newId: () => string = () => generateId(),
    readonly reservationMs = SEAT_RESERVATION_MS,
  ) {}

  reserve(user: string): { ok: true; sessionId: string } | { ok: false; message: string } {
    const mine = this.sessions(user);
    const now = this.now();
    for (const id of mine) {
      const p = this.pending.get(id);
      if (p && p.until <= now) this.forget(id);
    }
    if (mine.size >= this.maxPerUser) {
      this.refused++;
      return {
        ok: false,
        message:
          `You already have ${this.maxPerUser} connections or joins in progress on this server (MAX_JOINS_PER_USER). ` +
          `Close a page or device you no longer use, or wait ${Math.ceil(this.reservationMs / 1000)} s for unfinished joins to lapse.`,
      };
    }
    const sessionId = this.newId();
    this.pending.set(sessionId, { user, until: now + this.reservationMs });
    mine.add(sessionId);
    return { ok: true, sessionId };
  }

  /** The reservation became a connection: it counts until `left`. */
  joined(sessionId: string): void {
    const p = this.pending.get(sessionId);
    if (!p) return;
    this.pending.delete(sessionId);
    this.live.set(sessionId, p.user);
  }

  left(sessionId: string): void {
    this.forget(sessionId);
  }

  /** For /api/metrics: reservations not yet used (lapsed ones included until their owner's next join) and connections. */
  get counts(): { pending: number; connections: number; refused: number } {
    return { pending: this.pending.size, connections: this.live.size, refused: this.refused };
  }

  private sessions(user: string): Set<string> {
    let s = this.byUser.get(user);
    if (!s) this.byUser.set(user, (s = new Set()));
    return s;
  }

  private forget(sessionId: string): void {
    const user = this.pending.get(sessionId)?.user ?? this.live.get(sessionId);
    this.pending.delete(sessionId);
    this.live.delete(sessionId);
    if (user === undefined) return;
    const s = this.byUser.get(user);
    s?.delete(sessionId);
    if (s?.size === 0) this.byUser.delete(user);
  }
}

export interface JoinContext {
  hub: PlantHub;
  tickets: TicketBook;
  auth: SignInGate;
  joins: JoinLedger;
}

export interface SeatAuth {
  name: string;
  user: string;
  role: Role;
  handoff: Ticket | null;
  separate: boolean;
  device: string;
  plant: string;
  /** The verified sign-in behind this join: the room keeps checking it (expiry, access list; seatSignInGuard.ts). */
  identity: Identity;
  /** Chosen here so the join ledger can follow this reservation (Colyseus uses `auth.sessionId` when present). */
  sessionId: string;
}

/**
 * Validate join options and the sign-in token before a seat is reserved. Throws a ServerError whose message the UI
 * shows. Who joins (user id, display name, role) comes from the verified token, never from the options.
 */
export async function authorizeJoin(
  ctx: JoinContext,
  token: string | undefined,
  options: unknown,
  requester = "?",
): Promise<SeatAuth> {
  const raw = (options ?? {}) as Record<string, unknown>;
  const protocol = raw["protocol"];
  if (protocol !== PROTOCOL_VERSION) {
    throw new ServerError(
      JoinError.PROTOCOL_MISMATCH,
      typeof protocol === "number"
        ? protocolMismatchMessage(protocol)
        : "The client did not say which protocol it speaks. Reload the page.",
    );
  }
  const parsed = JoinOptions.safeParse(options);
  if (!parsed.success) {
    throw new ServerError(JoinError.BAD_JOIN, parsed.error.issues.map((i) => i.message).join(" "));
  }
  let who: Identity;
  try {
    who = await ctx.auth.admit(token, parsed.data.plant, requester);
  } catch (e) {
    if (e instanceof AuthError) throw new ServerError(authStatus(e), e.message);
    throw e;
  }
  // After the token (hardening, docs/SECURITY.md): whether a plant exists is for those who may list plants.
  // Only check the plant exists: this runs in whichever process took the HTTP request, and loading here would make
  // that process ingest a plant whose room may be created on another one (see docs/SCALING.md).
  try {
    ctx.hub.check(parsed.data.plant);
  } catch {
    throw new ServerError(JoinError.UNKNOWN_PLANT, plantNotFoundMessage(parsed.data.plant));
  }
  let handoff: Ticket | null = null;
  if (parsed.data.handoff) {
    const r = await ctx.tickets.peek(parsed.data.handoff, requester);
    // One answer for wrong, used, expired and someone else's codes: no oracle for live codes (docs/SECURITY.md).
    if (!r.ok && r.code === "rate-limited") throw new ServerError(JoinError.FORBIDDEN, r.message);
    if (!r.ok || r.ticket.user !== who.user) throw new ServerError(JoinError.BAD_JOIN, HANDOFF_REFUSED);
    handoff = r.ticket;
  }
  // Last: only a join that passed every other check holds a place in the person's bound.
  const held = ctx.joins.reserve(who.user);
  if (!held.ok) throw new ServerError(JoinError.TOO_MANY_JOINS, held.message);
  return {
    sessionId: held.sessionId,
    name: who.name,
    user: who.user,
    handoff,
    separate: parsed.data.separate === true,
    role: who.role,
    device: parsed.data.device,
    plant: parsed.data.plant,
    identity: who,
  };
}

/** onJoin: a seat reserved for plant A cannot be used in a room of plant B; the reservation is now a connection. */
export function admitToRoom(joins: JoinLedger, sessionId: string, auth: SeatAuth, roomPlant: string): void {
  if (auth.plant !== roomPlant) {
    joins.left(sessionId);
    throw new ServerError(
      JoinError.BAD_JOIN,
      `This room is for plant "${roomPlant}", not "${auth.plant}"; join the plant you were admitted to.`,
    );
  }
  joins.joined(sessionId);
}

/** Matchmaker methods the page uses: joinOrCreate (join), joinById (handoff), reconnect. */
const ALLOWED = ["joinOrCreate", "joinById", "reconnect"];

/**
 * Process-wide (the controller is a singleton, like restrictCors): refuse `create` and `join` with a sentence.
 * `create` would open a new room of a plant whenever asked, splitting its people.
 */
export function restrictMatchmaking(): void {
  const c = matchMaker.controller;
  if (c.exposedMethods.length === ALLOWED.length) return;
  const invoke = c.invokeMethod.bind(c);
  c.exposedMethods = [...ALLOWED];
  c.invokeMethod = (method, roomName, clientOptions, authOptions) => {
    if (!ALLOWED.includes(method)) {
      return Promise.reject(
        new ServerError(
          JoinError.FORBIDDEN,
          `"${method}" is not offered: rooms are opened by the server, one per plant until it is full. Use joinOrCreate.`,
        ),
      );
    }
    return invoke(method, roomName, clientOptions, authOptions);
  };
}
