/**
 * Who holds which seat in a plant room, as one state machine: plain TypeScript, no Colyseus, no clock, so every
 * transition and every refusal is unit-tested (test/unit/seatRegistry.test.ts). A seat is a participant (avatar,
 * voice, journal actor); a connection is one device's socket. A connection is in exactly one state:
 *
 *   joining  ──seat()──▶ driving ◀──reconnect()── dropped ◀──drop()── driving
 *      │                   ▲  │
 *      └──pend()──▶ pending ┘  └──handOff() to another connection──▶ moved ──takeBack()──▶ driving
 *                      │
 *                      └──separate()──▶ driving (a seat of its own)
 *
 *   kick(seat): every connection of the seat ──▶ kicked (the seat is released at once; a kicked connection that
 *   comes back through reconnection is refused). leave(): any state ──▶ gone (a driver's leave releases its seat).
 *
 * Invariant: a seat has exactly one driver (a connection driving it, or dropped and held for reconnection) from the
 * moment it is created until it is released; a handoff swaps the driver in one step, never two, never none.
 */
import type { Ticket } from "../handoff/HandoffTickets.ts";

export type ConnectionState = "joining" | "pending" | "driving" | "dropped" | "moved" | "kicked";

export interface Connection {
  state: ConnectionState;
  /** The device kind it joined with; a seat's device follows its driver. */
  device: string;
  /** The seat it drives, waits to take over (pending), moved away from, or was removed from ("" while joining). */
  seat: string;
  /** The handoff ticket a pending connection opened (null: the same user on another device). */
  ticket: Ticket | null;
}

export type Transition<T = undefined> = { ok: true; value: T } | { ok: false; reason: string };

function ok(): Transition;
function ok<T>(value: T): Transition<T>;
function ok<T>(value?: T): Transition<T | undefined> {
  return { ok: true, value };
}
function refused(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** What a handoff changed: the connection that drove the seat before (now moved), if there was one. */
export interface Switched {
  seat: string;
  previous: string;
}

export class SeatRegistry {
  private readonly conns = new Map<string, Connection>();
  /** Seat id -> its user and its one driver. */
  private readonly seats = new Map<string, { user: string; driver: string }>();

  /** A connection is admitted to the room (onJoin) and has no seat yet. */
  connect(conn: string, device: string): Transition {
    if (this.conns.has(conn)) return refused(`connection ${conn} is already in the room`);
    this.conns.set(conn, { state: "joining", device, seat: "", ticket: null });
    return ok();
  }

  /** A joining (or pending, choosing "join separately") connection gets a new seat of its own and drives it. */
  seat(conn: string, seat: string, user: string): Transition {
    const c = this.conns.get(conn);
    if (!c) return refused(`connection ${conn} is not in the room`);
    if (c.state !== "joining" && c.state !== "pending")
      return refused(`a ${c.state} connection cannot take a new seat`);
    if (this.seats.has(seat)) return refused(`seat ${seat} already exists`);
    this.seats.set(seat, { user, driver: conn });
    Object.assign(c, { state: "driving", seat, ticket: null });
    return ok();
  }

  /** A joining connection waits on an existing seat (make-before-break): nobody sees it until it takes over. */
  pend(conn: string, seat: string, ticket: Ticket | null): Transition {
    const c = this.conns.get(conn);
    if (!c) return refused(`connection ${conn} is not in the room`);
    if (c.state !== "joining") return refused(`a ${c.state} connection cannot wait on a seat`);
    if (!this.seats.has(seat)) return refused(`seat ${seat} is not in the room`);
    Object.assign(c, { state: "pending", seat, ticket });
    return ok();
  }

  /**
   * The atomic switch: a pending connection (handoff accepted or pulled) or a moved one (take-back) becomes the
   * seat's driver; the previous driver becomes moved.
   */
  handOff(conn: string): Transition<Switched> {
    const c = this.conns.get(conn);
    if (!c) return refused(`connection ${conn} is not in the room`);
    if (c.state !== "pending" && c.state !== "moved") return refused(`a ${c.state} connection cannot take a seat over`);
    const s = this.seats.get(c.seat);
    if (!s) return refused(`seat ${c.seat} has left the room`);
    const previous = s.driver;
    s.driver = conn;
    Object.assign(c, { state: "driving", ticket: null });
    const p = this.conns.get(previous);
    if (p) p.state = "moved";
    return ok({ seat: c.seat, previous });
  }

  /** The socket closed without consent. A driver's seat is held for it ("reconnecting"); others just wait. */
  drop(conn: string): Transition<{ seatHeld: string | null }> {
    const c = this.conns.get(conn);
    if (!c) return refused(`connection ${conn} is not in the room`);
    if (c.state === "dropped" || c.state === "kicked") return refused(`a ${c.state} connection cannot drop`);
    if (c.state !== "driving") return ok({ seatHeld: null });
    c.state = "dropped";
    return ok({ seatHeld: c.seat });
  }

  /** The same connection came back within the hold. A kicked one is refused: the room closes it again. */
  reconnect(conn: string): Transition<{ seatBack: string | null }> {
    const c = this.conns.get(conn);
    if (!c) return refused(`connection ${conn} is not in the room`);
    if (c.state === "kicked") return refused("removed by an administrator");
    if (c.state !== "dropped") return ok({ seatBack: null });
    c.state = "driving";
    return ok({ seatBack: c.seat });
  }

  /** Remove every connection's claim on a seat and release it now (no reconnection hold). */
  kick(seat: string): Transition<{ connections: string[] }> {
    if (!this.seats.has(seat)) return refused(`seat ${seat} is not in the room`);
    const connections: string[] = [];
    for (const [id, c] of this.conns) {
      if (c.seat !== seat || c.state === "kicked" || c.state === "joining") continue;
      c.state = "kicked";
      connections.push(id);
    }
    this.seats.delete(seat);
    return ok({ connections });
  }

  /** The connection is gone for good. Returns the seat released by it: only a driver's leave frees its seat. */
  leave(conn: string): Transition<{ released: string | null }> {
    const c = this.conns.get(conn);
    if (!c) return refused(`connection ${conn} is not in the room`);
    this.conns.delete(conn);
    const s = this.seats.get(c.seat);
    if ((c.state !== "driving" && c.state !== "dropped") || !s || s.driver !== conn) return ok({ released: null });
    this.seats.delete(c.seat);
    return ok({ released: c.seat });
  }

  // ---- reading ----

  connection(conn: string): Readonly<Connection> | undefined {
    return this.conns.get(conn);
  }

  /** The seat this connection drives (pending, moved and kicked connections drive nothing). */
  drivenBy(conn: string): string | undefined {
    const c = this.conns.get(conn);
    return c && (c.state === "driving" || c.state === "dropped") ? c.seat : undefined;
  }

  /** The connection driving a seat (it may be dropped and held for reconnection). */
  driverOf(seat: string): string | undefined {
    return this.seats.get(seat)?.driver;
  }

  /** A seat of `user` in this room, if any (a second device of the same person is offered to take it over). */
  seatOfUser(user: string): string | undefined {
    for (const [id, s] of this.seats) if (s.user === user) return id;
    return undefined;
  }

  has(seat: string): boolean {
    return this.seats.has(seat);
  }
}
