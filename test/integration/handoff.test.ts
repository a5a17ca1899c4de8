import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import { devClient } from "../../kit/devSignIn.ts";
import { PROTOCOL_VERSION, type HandoffTicketInfo, type PendingMessage } from "../../shared/protocol.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { join, startServer, waitForState, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startServer({ RECONNECT_SECONDS: "3" });
});
afterAll(async () => {
  await h?.server.stop();
});

type R = Room<unknown, PlantRoomState>;
const seatsNamed = (room: R, name: string) => [...room.state.seats.values()].filter((s) => s.name === name);

async function joinById(
  roomId: string,
  options: Record<string, unknown>,
): Promise<{ room: R; pending: Promise<PendingMessage> }> {
  const client = await devClient(h.endpoint, String(options["name"]));
  const room = await client.joinById<PlantRoomState>(
    roomId,
    { protocol: PROTOCOL_VERSION, plant: "demo", ...options },
    PlantRoomState,
  );
  const pending = new Promise<PendingMessage>((resolve) => room.onMessage("pending", resolve));
  room.onMessage("welcome", () => {});
  room.onMessage("error", () => {});
  return { room, pending };
}

describe("moving a session across devices", () => {
  it("push by short code: make-before-break, one avatar throughout, selection and pose move, then take it back", async () => {
    const headset = await join(h, "Ada", { device: "headset" });
    const observer = await join(h, "Obs");
    const counts: number[] = [];
    observer.onStateChange((s) => counts.push([...s.seats.values()].filter((x) => x.name === "Ada").length));
    headset.send("select", { twin: "P201" });
    headset.send("pose", { h: [2, 1.6, -3, 0, 0.38268, 0, 0.92388] });
    await waitForState(
      observer,
      () => seatsNamed(observer, "Ada")[0]?.selection === "P201" && seatsNamed(observer, "Ada")[0]?.head.x === 2,
      "Ada's selection and pose",
    );
    const seatId = seatsNamed(observer, "Ada")[0]!.id;

    const ticket = await headset.request<object, HandoffTicketInfo>("handoffCreate", { draft: "half-written note" });
    const movedMsg = new Promise<{ toDevice: string }>((resolve) => headset.onMessage("moved", resolve));
    const { room: laptop, pending } = await joinById(headset.roomId, {
      name: "Ada",
      device: "desktop",
      handoff: ticket.code,
    });
    expect(await pending).toMatchObject({ seat: seatId, fromDevice: "headset", reason: "ticket" });
    // Pending: the laptop has the room state (plant, seat, pose) but nobody sees a second Ada.
    expect(seatsNamed(laptop, "Ada")).toHaveLength(1);
    const driving = new Promise<{ draft: string }>((resolve) => laptop.onMessage("driving", resolve));
    await laptop.request("handoffAccept", {});
    expect((await driving).draft).toBe("half-written note");
    expect((await movedMsg).toDevice).toBe("desktop");
    const after = await waitForState(
      observer,
      () => seatsNamed(observer, "Ada")[0]?.device === "desktop",
      "device icon changes",
    );
    const ada = [...after.seats.values()].find((s) => s.name === "Ada")!;
    expect(ada.id).toBe(seatId);
    expect(ada.selection).toBe("P201");
    expect(laptop.state.seats.get(seatId)!.head.x).toBe(2); // the laptop starts its camera at the headset's last head pose

    // The moved device can no longer drive; the new one can.
    headset.send("select", { twin: "T101" });
    laptop.send("select", { twin: "HX201" });
    await waitForState(observer, () => seatsNamed(observer, "Ada")[0]?.selection === "HX201", "laptop drives");

    await headset.request("handoffTakeBack", {});
    await waitForState(observer, () => seatsNamed(observer, "Ada")[0]?.device === "headset", "taken back");
    expect(counts.length).toBeGreaterThan(3);
    expect(counts.every((n) => n === 1)).toBe(true);

    // The ticket was single use.
    await expect(joinById(headset.roomId, { name: "Ada", handoff: ticket.code })).rejects.toThrow(/already used/); // one answer for wrong, used, expired codes
    for (const r of [headset, laptop, observer]) await r.leave();
  });

  it("another user's ticket is refused with a clear message", async () => {
    const ada = await join(h, "Ada2");
    const t = await ada.request<object, HandoffTicketInfo>("handoffCreate", {});
    await expect(joinById(ada.roomId, { name: "Mallory", handoff: t.token })).rejects.toThrow(/or for someone else/);
    await ada.leave();
  });

  it("1,000 guessed codes are refused and rate-limited", async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const res = await fetch(`http://127.0.0.1:${h.server.port}/api/handoff/${String(100000 + i * 7)}`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      await res.arrayBuffer();
    }
    expect(statuses.get(200)).toBeUndefined();
    expect(statuses.get(429)).toBeGreaterThanOrEqual(980);
  });

  it("pull: the same user on another device moves the session there with one request", async () => {
    const tablet = await join(h, "Bea", { device: "tablet" });
    const { room: desk, pending } = await joinById(tablet.roomId, { name: "Bea", device: "desktop" });
    expect((await pending).reason).toBe("same-user");
    await desk.request("handoffPull", {});
    await waitForState(desk, () => seatsNamed(desk, "Bea")[0]?.device === "desktop", "pulled");
    expect(seatsNamed(desk, "Bea")).toHaveLength(1);
    await tablet.leave();
    await desk.leave();
  });
});

describe("the voice call follows the seat", () => {
  it("the seat's voice epoch changes when its new device joins the call (peers re-link to it), not before; the old device's voice messages are ignored", async () => {
    const tablet = await join(h, "Cal", { device: "tablet" });
    const listener = await join(h, "Lis");
    const cal = () => seatsNamed(listener, "Cal")[0];
    tablet.send("voice", { inCall: true, muted: false, speaking: false });
    await waitForState(listener, () => cal()?.inCall === true, "Cal in the call");
    const first = cal()!.voiceEpoch;
    expect(first).toBeGreaterThan(0);

    const { room: desk, pending } = await joinById(tablet.roomId, { name: "Cal", device: "desktop" });
    await pending;
    await desk.request("handoffPull", {});
    await waitForState(listener, () => cal()?.device === "desktop", "pulled");
    // The seat is still in the call (the tablet keeps talking until the desk joins): same epoch.
    expect(cal()!.inCall).toBe(true);
    expect(cal()!.voiceEpoch).toBe(first);
    // The moved tablet hanging up changes nothing: it no longer speaks for the seat.
    tablet.send("voice", { inCall: false, muted: false, speaking: false });
    desk.send("voice", { inCall: true, muted: true, speaking: false });
    await waitForState(listener, () => cal()!.voiceEpoch !== first, "new epoch");
    expect(cal()!.voiceEpoch).toBe(first + 1);
    expect(cal()!.inCall).toBe(true);
    expect(cal()!.muted).toBe(true);
    // The same device saying it again (mute toggles, speaking) keeps the epoch.
    desk.send("voice", { inCall: true, muted: false, speaking: true });
    await waitForState(listener, () => cal()!.muted === false, "unmuted");
    expect(cal()!.voiceEpoch).toBe(first + 1);
    await tablet.leave();
    await desk.leave();
    await listener.leave();
  });
});

describe("reconnecting", () => {
  it("a dropped socket keeps the seat (marked reconnecting) and the client resumes it; after the window the seat is released", async () => {
    const watcher = await join(h, "Watch");
    const flaky = await join(h, "Flaky");
    flaky.reconnection.minUptime = 0;
    const seatId =
      (await waitForState(watcher, () => seatsNamed(watcher, "Flaky").length === 1, "flaky seat")) &&
      seatsNamed(watcher, "Flaky")[0]!.id;
    const back = new Promise<void>((resolve) => flaky.onReconnect(() => resolve()));
    flaky.connection.close(4010, "network blip"); // not a consented leave: the SDK treats it like a dropped network
    await waitForState(watcher, (s) => s.seats.get(seatId)?.presence === "reconnecting", "marked reconnecting");
    await back;
    await waitForState(watcher, (s) => s.seats.get(seatId)?.presence === "online", "online again, same seat");

    flaky.reconnection.enabled = false;
    flaky.connection.close(4010, "gone for good");
    await waitForState(watcher, (s) => s.seats.get(seatId)?.presence === "reconnecting", "reconnecting again");
    await waitForState(watcher, (s) => !s.seats.has(seatId), "seat released after the window", 10_000);
    await watcher.leave();
  });
});
