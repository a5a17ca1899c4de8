/**
 * The per-connection rate limit (MAX_MESSAGES_PER_SECOND, default 60): a client
 * above it is closed with CloseCode.FLOODING and its seat freed at once, while
 * everyone else's live updates keep arriving; a client under it is untouched.
 */
import { describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import { CloseCode } from "../../shared/protocol.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { loadConfig } from "../../server/config.ts";
import { join, roomCounters, useServerAndPublisher, waitForState } from "./harness.ts";

// Default settings: the limit under test is the one users get.
const ctx = useServerAndPublisher();

const seatNamed = (room: Room<unknown, PlantRoomState>, name: string) =>
  [...room.state.seats.values()].find((s) => s.name === name);

describe("per-connection rate limit", () => {
  it("is 60 messages a second unless MAX_MESSAGES_PER_SECOND says otherwise, and refuses nonsense", () => {
    expect(loadConfig({}).maxMessagesPerSecond).toBe(60);
    expect(loadConfig({ MAX_MESSAGES_PER_SECOND: "500" }).maxMessagesPerSecond).toBe(500);
    expect(() => loadConfig({ MAX_MESSAGES_PER_SECOND: "0" })).toThrow(/MAX_MESSAGES_PER_SECOND/);
    expect(() => loadConfig({ MAX_MESSAGES_PER_SECOND: "fast" })).toThrow(/MAX_MESSAGES_PER_SECOND/);
  });

  it("closes a client sending above the limit with 4429 and frees its seat; another client keeps receiving patches", async () => {
    const watcher = await join(ctx.h, "Watcher");
    const flooder = await join(ctx.h, "Flooder");
    await waitForState(watcher, () => seatNamed(watcher, "Flooder") !== undefined, "the flooder's seat");
    const before = (await roomCounters()).floodCloses;
    const closed = new Promise<{ code: number; reason: string | undefined }>((resolve) =>
      flooder.onLeave((code, reason) => resolve({ code, reason })),
    );
    // 200 valid, harmless messages in one burst: well above 60 within one second.
    for (let i = 0; i < 200; i++) flooder.send("select", { twin: i % 2 ? "T101" : null });
    const { code, reason } = await closed;
    expect(code).toBe(CloseCode.FLOODING);
    expect(reason).toMatch(/too many messages/i);
    expect((await roomCounters()).floodCloses).toBe(before + 1);
    // Not held for reconnection as after a network drop: the seat goes at once.
    await waitForState(watcher, () => seatNamed(watcher, "Flooder") === undefined, "the flooder's seat freed");

    const topic = `${ctx.h.config.topicPrefix}gemba/demo/T101/level`;
    for (const v of [41, 42, 43]) {
      await ctx.pub.publishAsync(topic, JSON.stringify({ v }));
      await waitForState(watcher, (s) => s.twins.get("T101")?.points.get("level")?.v === v, `level ${v} live`);
    }
    await watcher.leave();
  });

  it("leaves a client under the limit connected and served", async () => {
    const busy = await join(ctx.h, "Busy");
    let leftWith: number | null = null;
    busy.onLeave((code) => (leftWith = code));
    // 50 in one burst plus the join handshake stays under 60 in any one-second window.
    for (let i = 0; i < 49; i++) busy.send("select", { twin: "P101" });
    busy.send("select", { twin: "T101" });
    await waitForState(busy, () => seatNamed(busy, "Busy")?.selection === "T101", "the last selection applied");
    expect(leftWith).toBeNull();
    await busy.leave();
  });
});
