import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import { CloseCode, type ErrorMessage } from "../../shared/protocol.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { join, refusalOf, startServer, waitForState, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startServer({ DEV_ROLE: "operator" });
});
afterAll(async () => {
  await h?.server.stop();
});

const seatOf = (room: Room<unknown, PlantRoomState>, name: string) =>
  [...room.state.seats.values()].find((s) => s.name === name);

describe("presence and pointing", () => {
  it("each participant sees the other's head pose and pointer, in plant coordinates", async () => {
    const a = await join(h, "Ana");
    const b = await join(h, "Ben", { device: "headset" });
    b.send("pose", {
      h: [1, 1.6, -2, 0, 0, 0, 1],
      r: [1.2, 1.2, -1.8, 0, 0, 0, 1],
      p: { o: [1.2, 1.2, -1.8], t: [-20, 1, 0], twin: "P201" },
    });
    const s = await waitForState(a, () => seatOf(a, "Ben")?.pointer.twin === "P201", "Ben's pointer on P201");
    const ben = [...s.seats.values()].find((x) => x.name === "Ben")!;
    expect([ben.head.x, ben.head.y, ben.head.z]).toEqual([1, expect.closeTo(1.6, 5), -2]);
    expect(ben.hands).toBe(2);
    expect([ben.pointer.tx, ben.pointer.ty, ben.pointer.tz]).toEqual([-20, 1, 0]);
    await a.leave();
    await b.leave();
  });

  it("a seat that has not sent a pose yet has a whole one (origin, upright), not missing numbers", async () => {
    const a = await join(h, "Early");
    const b = await join(h, "Late");
    await waitForState(a, () => !!seatOf(a, "Late"), "Late's seat");
    const late = seatOf(a, "Late")!;
    // Another page smooths an avatar toward these numbers: a missing one made it NaN for good.
    for (const p of [late.head, late.left, late.right])
      expect([p.x, p.y, p.z, p.qx, p.qy, p.qz, p.qw]).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect([late.pointer.ox, late.pointer.tx, late.pointer.active]).toEqual([0, 0, false]);
    await a.leave();
    await b.leave();
  });

  it("NaN and huge coordinates are refused with a reason and change nothing; others keep receiving", async () => {
    const a = await join(h, "Watcher");
    const bad = await join(h, "Glitchy");
    const errors: ErrorMessage[] = [];
    bad.onMessage("error", (m: ErrorMessage) => errors.push(m));
    bad.send("pose", { h: [5, 1.7, 5, 0, 0, 0, 1] });
    await waitForState(a, () => seatOf(a, "Glitchy")?.head.x === 5, "first good pose");
    bad.send("pose", { h: [Number.NaN, 1.7, 5, 0, 0, 0, 1] });
    bad.send("pose", { h: [1e9, 1.7, 5, 0, 0, 0, 1] });
    bad.send("pose", { h: [1, 1.7, 5, 0.5, 0.5, 0.5, 0.9] }); // not a unit quaternion
    const ok = await join(h, "Steady");
    ok.send("pose", { h: [7, 1.7, 7, 0, 0, 0, 1] });
    await waitForState(a, () => seatOf(a, "Steady")?.head.x === 7, "a well-behaved client's pose");
    expect(seatOf(a, "Glitchy")!.head.x).toBe(5);
    await new Promise<void>((resolve) => (errors.length ? resolve() : bad.onMessage("error", () => resolve())));
    expect(errors[0]!.message).toMatch(/Message "pose" refused: h\.0/);
    for (const r of [a, bad, ok]) await r.leave();
  });

  it("a client sending 1,000 poses a second is cut off; the others' updates keep flowing", async () => {
    const watcher = await join(h, "Observer");
    const calm = await join(h, "Calm");
    const flood = await join(h, "Flood");
    const closed = new Promise<number>((resolve) => flood.onLeave((code) => resolve(code)));
    const timer = setInterval(() => {
      for (let i = 0; i < 50; i++) flood.send("pose", { h: [i, 1.7, 0, 0, 0, 0, 1] });
    }, 50);
    try {
      const code = await closed;
      expect(code).toBe(CloseCode.FLOODING);
    } finally {
      clearInterval(timer);
    }
    calm.send("pose", { h: [3, 1.7, 3, 0, 0, 0, 1] });
    await waitForState(watcher, () => seatOf(watcher, "Calm")?.head.x === 3, "the calm client's pose after the flood");
    await watcher.leave();
    await calm.leave();
  });
});

describe("annotations anchored to assets", () => {
  it("appear for everyone live, anchored to the twin with a local offset", async () => {
    const a = await join(h, "Author");
    const b = await join(h, "Reader");
    const { id } = await a.request<object, { id: string }>("annotate", {
      kind: "pin",
      twin: "P101",
      offset: [0.2, 0.5, 0],
      text: "Flange weeping on the left <script>alert(1)</script>",
    });
    const s = await waitForState(b, (st) => st.annotations.has(id), "annotation at the reader");
    const n = s.annotations.get(id)!;
    expect(n).toMatchObject({
      twin: "P101",
      author: "Author",
      status: "open",
      text: "Flange weeping on the left <script>alert(1)</script>",
    });
    expect([n.ox, n.oy, n.oz].map((v) => Math.round(v * 10) / 10)).toEqual([0.2, 0.5, 0]);
    // only the author (or an expert) may resolve it
    expect(await refusalOf(b.request("annotationUpdate", { id, status: "resolved" }))).toMatchObject({
      code: "forbidden",
    });
    await a.request("annotationUpdate", { id, status: "resolved" });
    await waitForState(b, (st) => st.annotations.get(id)?.status === "resolved", "resolved");
    await a.leave();
    await b.leave();
  });

  it("1 MB of text is refused with a clear error, and so is an unknown asset", async () => {
    const a = await join(h, "Verbose");
    const big = await refusalOf(
      a.request("annotate", { kind: "pin", twin: "P101", offset: [0, 0, 0], text: "x".repeat(1024 * 1024) }),
    );
    expect(big).toEqual({ code: "invalid", message: "text: An annotation's text is at most 1000 characters." });
    const ghost = await refusalOf(a.request("annotate", { kind: "pin", twin: "GHOST", offset: [0, 0, 0], text: "hi" }));
    expect(ghost).toEqual({ code: "not-found", message: 'There is no asset "GHOST".' });
    await a.leave();
  });

  it("a viewer cannot annotate", async () => {
    const v = await join(h, "Viewer", { role: "viewer" });
    const r = await refusalOf(v.request("annotate", { kind: "pin", twin: "P101", offset: [0, 0, 0], text: "hi" }));
    expect(r).toEqual({ code: "forbidden", message: "A viewer cannot annotate." });
    await v.leave();
  });
});

describe("follow, share and summon", () => {
  it("follow points at a seat; share opens the asset for others; summon needs the expert role", async () => {
    const a = await join(h, "Lead", { role: "expert" });
    const b = await join(h, "Tech");
    const leadSeat = (await waitForState(b, () => !!seatOf(b, "Lead"), "lead seat")) && seatOf(b, "Lead")!.id;
    b.send("follow", { seat: leadSeat });
    await waitForState(a, () => seatOf(a, "Tech")?.following === leadSeat, "Tech follows Lead");

    const shared = new Promise<{ twin: string }>((resolve) => b.onMessage("share", resolve));
    a.send("share", { twin: "HX201" });
    expect((await shared).twin).toBe("HX201");

    const summoned = new Promise<{ twin: string }>((resolve) => b.onMessage("summon", resolve));
    a.send("summon", { twin: "T301" });
    expect((await summoned).twin).toBe("T301");

    const denied = new Promise<ErrorMessage>((resolve) => b.onMessage("error", resolve));
    b.send("summon", { twin: "T301" });
    expect((await denied).message).toBe("An operator cannot summon everyone.");
    await a.leave();
    await b.leave();
  });
});

describe("voice signalling through the room", () => {
  it("relays offers to the addressed seat with the sender stamped by the server", async () => {
    const a = await join(h, "Caller");
    const b = await join(h, "Callee");
    const bSeat = await waitForState(a, () => !!seatOf(a, "Callee"), "callee seat").then(() => seatOf(a, "Callee")!.id);
    const aSeat = seatOf(a, "Caller")!.id;
    const got = new Promise<{ from: string; kind: string; data: string }>((resolve) => b.onMessage("signal", resolve));
    a.send("signal", { to: bSeat, kind: "offer", data: "v=0 fake sdp" });
    expect(await got).toEqual({ from: aSeat, kind: "offer", data: "v=0 fake sdp" });
    await a.leave();
    await b.leave();
  });

  it("refuses malformed signals, signals to someone not in the room, and attempts to speak for another seat", async () => {
    const a = await join(h, "Mallory");
    const b = await join(h, "Victim");
    const c = await join(h, "Bystander");
    await waitForState(a, () => !!seatOf(a, "Victim") && !!seatOf(a, "Bystander"), "seats");
    const victim = seatOf(a, "Victim")!.id;
    const bystander = seatOf(a, "Bystander")!.id;
    const errors: string[] = [];
    a.onMessage("error", (m: ErrorMessage) => errors.push(m.message));
    let leaked = 0;
    c.onMessage("signal", () => leaked++);
    const nextError = () => new Promise<void>((resolve) => a.onMessage("error", () => resolve()));

    let e = nextError();
    a.send("signal", { to: bystander, kind: "offer", data: "x", from: victim }); // impersonation: "from" is not the client's to give
    await e;
    expect(errors.at(-1)).toMatch(/Message "signal" refused/);
    e = nextError();
    a.send("signal", { to: "nobody-here", kind: "offer", data: "x" });
    await e;
    expect(errors.at(-1)).toBe("That participant is not in the room (any more).");
    e = nextError();
    a.send("signal", { to: bystander, kind: "offer", data: "x".repeat(17 * 1024) });
    await e;
    expect(errors.at(-1)).toMatch(/at most 16 KB/);
    expect(leaked).toBe(0);
    for (const r of [a, b, c]) await r.leave();
  });
});
