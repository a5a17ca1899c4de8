import { describe, expect, it } from "vitest";
import { admitToRoom, JoinLedger, type SeatAuth } from "../../server/rooms/joinPolicy.ts";
import { PlantPresence } from "../../server/rooms/plantPresence.ts";

/** A ledger on an injected clock with predictable session ids. */
function ledger(max = 3) {
  let now = 1_000_000;
  let n = 0;
  const l = new JoinLedger(
    max,
    () => now,
    () => `s${++n}`,
    15_000,
  );
  return { l, advance: (ms: number) => (now += ms) };
}

const auth = (plant: string): SeatAuth => ({
  name: "Vic",
  user: "dev:vic",
  role: "viewer",
  handoff: null,
  separate: false,
  device: "desktop",
  plant,
  sessionId: "s1",
  identity: {
    user: "dev:vic",
    name: "Vic",
    role: "viewer",
    groups: [],
    email: null,
    via: "dev",
    expiresAt: 2_000_000,
    tokenId: "t1",
  },
});

describe("join bound per person (MAX_JOINS_PER_USER)", () => {
  it("refuses a person's join past the bound with a sentence and counts it; other people are not affected", () => {
    const { l } = ledger(3);
    expect([l.reserve("vic"), l.reserve("vic"), l.reserve("vic")].map((r) => r.ok)).toEqual([true, true, true]);
    const r = l.reserve("vic");
    expect(r).toEqual({
      ok: false,
      message:
        "You already have 3 connections or joins in progress on this server (MAX_JOINS_PER_USER). " +
        "Close a page or device you no longer use, or wait 15 s for unfinished joins to lapse.",
    });
    expect(l.reserve("ola").ok).toBe(true);
    expect(l.counts).toEqual({ pending: 4, connections: 0, refused: 1 });
  });

  it("an unused reservation lapses after the reservation time; a used one counts until the connection leaves", () => {
    const { l, advance } = ledger(2);
    const a = l.reserve("vic");
    const b = l.reserve("vic");
    if (!a.ok || !b.ok) throw new Error("the first two joins must be granted");
    l.joined(a.sessionId);
    advance(14_999);
    expect(l.reserve("vic").ok).toBe(false);
    advance(1);
    // b lapsed; a is a live connection and still counts.
    expect(l.reserve("vic").ok).toBe(true);
    expect(l.reserve("vic").ok).toBe(false);
    l.left(a.sessionId);
    expect(l.reserve("vic").ok).toBe(true);
    expect(l.counts.connections).toBe(0);
  });

  it("a seat reserved for one plant is refused in another plant's room and frees its place", () => {
    const { l } = ledger(1);
    const r = l.reserve("dev:vic");
    if (!r.ok) throw new Error("granted");
    expect(() => admitToRoom(l, r.sessionId, auth("north"), "south")).toThrow(
      'This room is for plant "south", not "north"; join the plant you were admitted to.',
    );
    expect(l.counts).toEqual({ pending: 0, connections: 0, refused: 0 });
    const again = l.reserve("dev:vic");
    if (!again.ok) throw new Error("granted");
    admitToRoom(l, again.sessionId, auth("south"), "south");
    expect(l.counts).toEqual({ pending: 0, connections: 1, refused: 0 });
  });
});

describe("people on a plant across its rooms", () => {
  it("each room counts the seats of the plant's other rooms, not its own nor other plants'", () => {
    const p = new PlantPresence();
    let a = 50;
    const closeA = p.enter("demo", "A", () => a);
    p.enter("demo", "B", () => 3);
    p.enter("other", "C", () => 7);
    expect(p.elsewhere("demo", "A")).toBe(3);
    expect(p.elsewhere("demo", "B")).toBe(50);
    a = 49;
    expect(p.elsewhere("demo", "B")).toBe(49);
    closeA();
    expect(p.elsewhere("demo", "B")).toBe(0);
    expect(p.roomCount("demo")).toBe(1);
  });
});
