import { describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import { CloseCode, type RemovedMessage } from "../../shared/protocol.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { join, refusalOf, useServerAndPublisher, waitForState } from "./harness.ts";
import { devToken } from "../../kit/devSignIn.ts";

const ctx = useServerAndPublisher();

/** The close code and reason a connection ends with, and the `removed` message it got first (if any). */
function closed(room: Room<unknown, PlantRoomState>): Promise<{ code: number; removed: RemovedMessage | null }> {
  let removed: RemovedMessage | null = null;
  room.onMessage("removed", (m: RemovedMessage) => (removed = m));
  return new Promise((resolve) => room.onLeave((code) => resolve({ code, removed })));
}

/** The seat id of the participant called `name`, once `room` sees it. */
async function seatOf(room: Room<unknown, PlantRoomState>, name: string): Promise<string> {
  const s = await waitForState(room, (st) => [...st.seats.values()].some((x) => x.name === name), `${name}'s seat`);
  return [...s.seats.values()].find((x) => x.name === name)!.id;
}

async function journal(kind: string): Promise<{ kind: string; actor: string; data: Record<string, unknown> }[]> {
  const token = await devToken(ctx.h.endpoint, "Auditor", "admin");
  const res = await fetch(`http://127.0.0.1:${ctx.h.server.port}/api/plants/demo/journal?kind=${kind}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as { entries: { kind: string; actor: string; data: Record<string, unknown> }[] }).entries;
}

describe("an admin removes a participant (kick)", () => {
  it("closes every connection of the seat with KICKED, frees the seat for everyone at once, and journals it", async () => {
    const admin = await join(ctx.h, "Ada Admin", { role: "admin" });
    const viewer = await join(ctx.h, "Vic Viewer", { role: "viewer" });
    const olga = await join(ctx.h, "Olga Operator", { role: "operator" });
    const olgaSeat = await seatOf(olga, "Olga Operator");
    // Olga's second device joins pending on her seat (same user): it must go too.
    const tablet = await join(ctx.h, "Olga Operator", { role: "operator", device: "tablet" });
    tablet.onMessage("pending", () => {});
    await waitForState(viewer, (s) => s.seats.has(olgaSeat) && s.seats.size === 3, "three seats");
    const olgaClosed = closed(olga);
    const tabletClosed = closed(tablet);

    expect(await admin.request("kick", { seat: olgaSeat, reason: "Shift is over" })).toEqual({ seat: olgaSeat });
    expect(await olgaClosed).toEqual({ code: CloseCode.KICKED, removed: { by: "Ada Admin", reason: "Shift is over" } });
    expect((await tabletClosed).code).toBe(CloseCode.KICKED);
    await waitForState(viewer, (s) => !s.seats.has(olgaSeat), "the seat gone for the viewer");
    await waitForState(admin, (s) => !s.seats.has(olgaSeat) && s.seats.size === 2, "the seat gone for the admin");

    const kicks = await journal("kick");
    expect(kicks).toContainEqual(
      expect.objectContaining({
        actor: "Ada Admin",
        data: expect.objectContaining({ target: olgaSeat, name: "Olga Operator", reason: "Shift is over" }) as unknown,
      }),
    );
    await viewer.leave();
    await admin.leave();
  });

  it("refuses a viewer (journaled), an admin removing themselves, and an unknown seat, each with a sentence", async () => {
    const admin = await join(ctx.h, "Ada Two", { role: "admin" });
    const viewer = await join(ctx.h, "Val Viewer", { role: "viewer" });
    const adminSeat = await seatOf(admin, "Ada Two");
    await waitForState(viewer, (s) => s.seats.has(adminSeat), "the admin's seat");
    // Both see both seats before anything is refused, so "nobody was removed" below compares like with like.
    await waitForState(admin, (s) => s.seats.size === 2, "both seats at the admin");

    expect(await refusalOf(viewer.request("kick", { seat: adminSeat }))).toEqual({
      code: "forbidden",
      message: "A viewer cannot remove people; ask an administrator.",
    });
    const denied = await journal("denied");
    expect(denied).toContainEqual(
      expect.objectContaining({
        actor: "Val Viewer",
        data: expect.objectContaining({ action: "kick", target: adminSeat }) as unknown,
      }),
    );
    expect(await refusalOf(admin.request("kick", { seat: adminSeat }))).toMatchObject({
      code: "invalid",
      message: "You cannot remove yourself; leave the room instead.",
    });
    expect(await refusalOf(admin.request("kick", { seat: "nobody-here" }))).toEqual({
      code: "not-found",
      message: 'Nobody in this room has seat "nobody-here".',
    });
    expect(await refusalOf(admin.request("kick", { seat: adminSeat, reason: "x".repeat(201) }))).toMatchObject({
      code: "invalid",
    });
    // Nobody was removed.
    expect(admin.state.seats.size).toBe(2);
    await viewer.leave();
    await admin.leave();
  });
});
