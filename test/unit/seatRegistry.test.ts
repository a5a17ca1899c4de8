/**
 * The seat state machine, exhaustively: every operation from every connection state, allowed or refused, with the
 * state it leaves behind; plus the invariant people rely on during a handoff (a seat has one driver, never two, never
 * none) and the kick rule (a removed device that comes back through reconnection is refused).
 */
import { describe, expect, it } from "vitest";
import { SeatRegistry, type ConnectionState } from "../../server/rooms/SeatRegistry.ts";
import type { Ticket } from "../../server/handoff/HandoffTickets.ts";

const SEAT = "S";
const ticket: Ticket = {
  token: "t".repeat(32),
  code: "123456",
  seat: SEAT,
  user: "ada",
  name: "Ada",
  room: "r1",
  plant: "demo",
  fromDevice: "desktop",
  createdAt: 0,
  expiresAt: 60_000,
  used: false,
  draft: "half a note",
};

/** A registry with connection "x" in `state`; "d" is the seat's other device where the state needs one. */
function withX(state: ConnectionState): SeatRegistry {
  const r = new SeatRegistry();
  const must = (t: { ok: boolean }) => expect(t.ok).toBe(true);
  must(r.connect("x", "headset"));
  if (state === "joining") return r;
  if (state === "pending") {
    must(r.connect("d", "desktop"));
    must(r.seat("d", SEAT, "ada"));
    must(r.pend("x", SEAT, ticket));
    return r;
  }
  must(r.seat("x", SEAT, "ada"));
  if (state === "driving") return r;
  if (state === "dropped") return (must(r.drop("x")), r);
  if (state === "kicked") return (must(r.kick(SEAT)), r);
  // moved: another device of the same person took the seat over
  must(r.connect("d", "desktop"));
  must(r.pend("d", SEAT, null));
  must(r.handOff("d"));
  return r;
}

const STATES: ConnectionState[] = ["joining", "pending", "driving", "dropped", "moved", "kicked"];
type Op = "connect" | "seat" | "pend" | "handOff" | "drop" | "reconnect" | "kick" | "leave";
const OPS: Op[] = ["connect", "seat", "pend", "handOff", "drop", "reconnect", "kick", "leave"];

function apply(r: SeatRegistry, op: Op): { ok: boolean } {
  switch (op) {
    case "connect":
      return r.connect("x", "tablet");
    case "seat":
      return r.seat("x", "NEW", "ada");
    case "pend":
      // a seat that exists in every state's registry except where x's own seat was removed
      if (!r.has(SEAT)) {
        r.connect("e", "desktop");
        r.seat("e", SEAT, "ada");
      }
      return r.pend("x", SEAT, null);
    case "handOff":
      return r.handOff("x");
    case "drop":
      return r.drop("x");
    case "reconnect":
      return r.reconnect("x");
    case "kick":
      return r.kick(r.connection("x")?.seat || SEAT);
    case "leave":
      return r.leave("x");
  }
}

/** The expected outcome of each operation from each state: the state x is in afterwards, or "refused". */
const EXPECTED: Record<ConnectionState, Record<Op, ConnectionState | "gone" | "refused">> = {
  joining: {
    connect: "refused",
    seat: "driving",
    pend: "pending",
    handOff: "refused",
    drop: "joining",
    reconnect: "joining",
    kick: "refused", // it has no seat to be removed from
    leave: "gone",
  },
  pending: {
    connect: "refused",
    seat: "driving", // "join separately"
    pend: "refused",
    handOff: "driving",
    drop: "pending",
    reconnect: "pending",
    kick: "kicked",
    leave: "gone",
  },
  driving: {
    connect: "refused",
    seat: "refused",
    pend: "refused",
    handOff: "refused",
    drop: "dropped",
    reconnect: "driving",
    kick: "kicked",
    leave: "gone",
  },
  dropped: {
    connect: "refused",
    seat: "refused",
    pend: "refused",
    handOff: "refused",
    drop: "refused",
    reconnect: "driving",
    kick: "kicked",
    leave: "gone",
  },
  moved: {
    connect: "refused",
    seat: "refused",
    pend: "refused",
    handOff: "driving", // take-back
    drop: "moved",
    reconnect: "moved",
    kick: "kicked",
    leave: "gone",
  },
  kicked: {
    connect: "refused",
    seat: "refused",
    pend: "refused",
    handOff: "refused",
    drop: "refused",
    reconnect: "refused",
    kick: "refused", // the seat is already gone
    leave: "gone",
  },
};

describe("SeatRegistry: every operation from every connection state", () => {
  for (const from of STATES) {
    for (const op of OPS) {
      const want = EXPECTED[from][op];
      it(`${op} from ${from} → ${want}`, () => {
        const r = withX(from);
        const t = apply(r, op);
        expect(t.ok).toBe(want !== "refused");
        const after = r.connection("x")?.state ?? "gone";
        expect(after).toBe(want === "refused" ? from : want);
      });
    }
  }

  it("refuses every operation on a connection that is not in the room, with a reason", () => {
    const r = new SeatRegistry();
    for (const t of [
      r.seat("x", "A", "u"),
      r.pend("x", "A", null),
      r.handOff("x"),
      r.drop("x"),
      r.reconnect("x"),
      r.leave("x"),
    ]) {
      expect(t).toEqual({ ok: false, reason: "connection x is not in the room" });
    }
    expect(r.kick("A")).toEqual({ ok: false, reason: "seat A is not in the room" });
  });
});

describe("SeatRegistry: one driver per seat, through handoffs, drops and departures", () => {
  it("a handoff swaps the driver in one step: the new device drives, the old one is moved, and take-back swaps again", () => {
    const r = withX("driving");
    r.connect("laptop", "desktop");
    expect(r.pend("laptop", SEAT, ticket)).toEqual({ ok: true, value: undefined });
    expect(r.connection("laptop")?.ticket).toBe(ticket);
    expect(r.driverOf(SEAT)).toBe("x");
    expect(r.handOff("laptop")).toEqual({ ok: true, value: { seat: SEAT, previous: "x" } });
    expect([r.driverOf(SEAT), r.drivenBy("laptop"), r.drivenBy("x")]).toEqual(["laptop", SEAT, undefined]);
    expect(r.connection("laptop")?.ticket).toBeNull();
    expect(r.handOff("x")).toEqual({ ok: true, value: { seat: SEAT, previous: "laptop" } });
    expect([r.driverOf(SEAT), r.connection("laptop")?.state]).toEqual(["x", "moved"]);
  });

  it("a dropped driver still holds its seat; the seat is released only when the hold ends (leave)", () => {
    const r = withX("driving");
    expect(r.drop("x")).toEqual({ ok: true, value: { seatHeld: SEAT } });
    expect([r.has(SEAT), r.drivenBy("x"), r.seatOfUser("ada")]).toEqual([true, SEAT, SEAT]);
    expect(r.leave("x")).toEqual({ ok: true, value: { released: SEAT } });
    expect([r.has(SEAT), r.driverOf(SEAT), r.seatOfUser("ada")]).toEqual([false, undefined, undefined]);
  });

  it("a dropped driver that comes back drives its seat again", () => {
    const r = withX("dropped");
    expect(r.reconnect("x")).toEqual({ ok: true, value: { seatBack: SEAT } });
    expect(r.drivenBy("x")).toBe(SEAT);
  });

  it("a pending or moved device leaving changes nothing for the seat", () => {
    const pending = withX("pending");
    expect(pending.leave("x")).toEqual({ ok: true, value: { released: null } });
    expect(pending.driverOf(SEAT)).toBe("d");
    const moved = withX("moved");
    expect(moved.leave("x")).toEqual({ ok: true, value: { released: null } });
    expect(moved.driverOf(SEAT)).toBe("d");
  });

  it("a pending device cannot take over a seat whose driver left meanwhile", () => {
    const r = withX("pending");
    r.leave("d");
    expect(r.handOff("x")).toEqual({ ok: false, reason: `seat ${SEAT} has left the room` });
  });

  it("a seat id is never given twice, and nobody waits on a seat that does not exist", () => {
    const r = withX("driving");
    r.connect("y", "phone");
    expect(r.seat("y", SEAT, "bo")).toEqual({ ok: false, reason: `seat ${SEAT} already exists` });
    expect(r.pend("y", "nope", null)).toEqual({ ok: false, reason: "seat nope is not in the room" });
  });

  it("a kick removes the seat and every device on it at once, and a kicked device coming back is refused", () => {
    const r = withX("driving");
    r.connect("laptop", "desktop");
    r.pend("laptop", SEAT, null);
    r.connect("other", "desktop");
    r.seat("other", "O", "bo");
    r.drop("x"); // inside its reconnection hold: no live socket, still removed
    expect(r.kick(SEAT)).toEqual({ ok: true, value: { connections: ["x", "laptop"] } });
    expect([r.has(SEAT), r.driverOf(SEAT), r.drivenBy("x")]).toEqual([false, undefined, undefined]);
    expect(r.reconnect("x")).toEqual({ ok: false, reason: "removed by an administrator" });
    expect(r.leave("x")).toEqual({ ok: true, value: { released: null } });
    expect(r.drivenBy("other")).toBe("O");
  });
});
