/**
 * Interest management against a real server and real SDK clients on the demo plant (3 areas) with INTEREST=on:
 * each client receives full values for the areas it watches and only the status of the rest; switching brings the
 * values in; a narrow client receives fewer bytes for the same stream; playback follows the same interest.
 */
import type { Room } from "@colyseus/sdk";
import { describe, expect, it } from "vitest";
import type { PlantRoomState } from "../../shared/state.ts";
import { join, nextMessages, useServerAndPublisher, waitForState } from "./harness.ts";

const ctx = useServerAndPublisher({ INTEREST: "on" });

const pubValue = (twin: string, point: string, v: number, ts = Date.now()) =>
  ctx.pub.publishAsync(`${ctx.h.config.topicPrefix}gemba/demo/${twin}/${point}`, JSON.stringify({ v, ts }));

/** The twin is known (its status arrived) but its values are not sent to this client. */
const summaryOnly = (s: PlantRoomState, twin: string) => s.twins.has(twin) && s.twins.get(twin)!.points === undefined;

/** Bytes read from the SDK client's socket so far. */
function socketBytes(room: Room<unknown, PlantRoomState>): number {
  const t = room.connection.transport as unknown as { ws?: { _socket?: { bytesRead: number } } };
  return t.ws?._socket?.bytesRead ?? 0;
}

describe("interest management", () => {
  it("each client gets full values for its areas and status for the rest; switching areas brings the values in", async () => {
    const proc = await join(ctx.h, "Pia");
    const pack = await join(ctx.h, "Kai");
    // A client that says nothing keeps every area (what an SDK script expects).
    await pubValue("T101", "level", 41);
    await waitForState(pack, (s) => s.twins.get("T101")?.points?.get("level")?.v === 41, "all areas before interest");

    proc.send("interest", { areas: ["process"] });
    pack.send("interest", { areas: ["packaging"] });
    await waitForState(pack, (s) => summaryOnly(s, "T101"), "process values leave Kai");
    await waitForState(proc, (s) => summaryOnly(s, "CV11"), "packaging values leave Pia");

    await pubValue("T101", "level", 42);
    await pubValue("CV11", "speed", 1.25);
    const p = await waitForState(proc, (s) => s.twins.get("T101")?.points?.get("level")?.v === 42, "Pia: T101");
    const k = await waitForState(pack, (s) => s.twins.get("CV11")?.points?.get("speed")?.v === 1.25, "Kai: CV11");
    // The summary is everywhere: every twin with its status, values only where watched.
    expect(p.twins.size).toBe(51);
    expect(k.twins.size).toBe(51);
    expect(p.twins.get("CV11")!.points).toBeUndefined();
    expect(k.twins.get("T101")!.points).toBeUndefined();
    expect(k.twins.get("T101")!.status).toBe(p.twins.get("T101")!.status);
    expect([...k.twins.values()].filter((t) => t.points).length).toBe(16);

    // A status change out of interest still reaches Kai: T101 level far above its alarm limit.
    await pubValue("T101", "level", 99.5);
    await waitForState(pack, (s) => s.twins.get("T101")?.status === 2, "Kai sees T101 in alarm (status only)");
    expect(pack.state.twins.get("T101")!.points).toBeUndefined();

    // Kai walks to the process area: add it first, then drop packaging; the current value is there at once.
    pack.send("interest", { areas: ["packaging", "process"] });
    await waitForState(pack, (s) => s.twins.get("T101")?.points?.get("level")?.v === 99.5, "Kai gets T101 on arrival");
    pack.send("interest", { areas: ["process"] });
    await waitForState(pack, (s) => summaryOnly(s, "CV11"), "packaging leaves Kai");
    expect(pack.state.twins.get("T101")!.points.get("level")!.v).toBe(99.5);

    // A named twin (the selection) comes along outside the areas.
    proc.send("interest", { areas: ["process"], twins: ["CV11"] });
    await waitForState(proc, (s) => s.twins.get("CV11")?.points?.get("speed")?.v === 1.25, "selected CV11 for Pia");
    await Promise.all([proc.leave(), pack.leave()]);
  });

  it("refuses unknown areas and assets whole, and keeps the previous interest", async () => {
    const room = await join(ctx.h, "Uma");
    room.send("interest", { areas: ["utilities"] });
    await waitForState(room, (s) => summaryOnly(s, "T101"), "utilities only");
    const refusals = nextMessages<{ code: string; message: string }>(room, "error", 2, "both refusals");
    room.send("interest", { areas: ["process", "moon-base"] });
    room.send("interest", { areas: ["process"], twins: ["NOPE1"] });
    const errors = await refusals;
    expect(errors.map((e) => e.code)).toEqual(["unknown-area", "unknown-twin"]);
    expect(errors[0]!.message).toMatch(/no area "moon-base"/);
    await pubValue("AC501", "pressure", 7.1);
    await waitForState(room, (s) => s.twins.get("AC501")?.points?.get("pressure")?.v === 7.1, "utilities still live");
    expect(room.state.twins.get("T101")!.points).toBeUndefined();
    await room.leave();
  });

  it("a seat's interest moves with it to another device", async () => {
    const desk = await join(ctx.h, "Ada", { device: "desktop" });
    desk.send("interest", { areas: ["utilities"] });
    await waitForState(desk, (s) => summaryOnly(s, "T101"), "desk narrowed");
    const tablet = await join(ctx.h, "Ada", { device: "tablet" });
    await waitForState(
      tablet,
      (s) => s.twins.get("T101")?.points !== undefined,
      "pending device starts with everything",
    );
    await tablet.request("handoffPull", {});
    await waitForState(tablet, (s) => summaryOnly(s, "T101"), "the tablet now watches what the desk watched");
    expect(tablet.state.twins.get("AC501")!.points).toBeDefined();
    await Promise.all([desk.leave(), tablet.leave()]);
  });

  it("a client watching one area receives fewer bytes for the same stream than one watching all", async () => {
    const all = await join(ctx.h, "Al");
    const one = await join(ctx.h, "Oni");
    one.send("interest", { areas: ["utilities"] });
    await waitForState(one, (s) => summaryOnly(s, "T101"), "narrowed");
    const a0 = socketBytes(all);
    const o0 = socketBytes(one);
    const base = Date.now();
    for (let i = 0; i < 20; i++) {
      for (const [twin, point] of [
        ["T101", "temperature"],
        ["P101", "flow"],
        ["CV11", "speed"],
        ["AC501", "pressure"],
      ] as const) {
        await pubValue(twin, point, 5 + i / 10, base + i);
      }
    }
    // The last sample of the stream reached both (AC501 is in both interests).
    const last = 5 + 19 / 10;
    await Promise.all([
      waitForState(all, (s) => s.twins.get("AC501")?.points?.get("pressure")?.v === last, "all: last sample"),
      waitForState(one, (s) => s.twins.get("AC501")?.points?.get("pressure")?.v === last, "one: last sample"),
    ]);
    await waitForState(all, (s) => s.twins.get("CV11")?.points?.get("speed")?.v === last, "all: CV11 last");
    const allBytes = socketBytes(all) - a0;
    const oneBytes = socketBytes(one) - o0;
    expect(oneBytes).toBeGreaterThan(0);
    expect(oneBytes).toBeLessThan(allBytes);
    await Promise.all([all.leave(), one.leave()]);
  });

  it("playback shows past values for the twins a client watches, status for the rest", async () => {
    const expert = await join(ctx.h, "Eve", { role: "expert" });
    expert.send("interest", { areas: ["process"] });
    const now = Date.now();
    await pubValue("T102", "level", 30, now - 30_000);
    await pubValue("CV12", "speed", 0.5, now - 30_000);
    await pubValue("T102", "level", 70, now - 1000);
    await waitForState(expert, (s) => s.twins.get("T102")?.points?.get("level")?.v === 70, "live T102");
    await expert.request("playback", { action: "seek", t: now - 20_000 });
    const s = await waitForState(
      expert,
      (st) => st.viewTime > 0 && st.playback.get("T102")?.points?.get("level")?.v === 30,
      "T102 at t",
    );
    expect(s.playback.size).toBe(51);
    expect(s.playback.get("CV12")!.points).toBeUndefined();
    // Walking into packaging during playback brings its past values, not live ones.
    expert.send("interest", { areas: ["process", "packaging"] });
    await waitForState(expert, (st) => st.playback.get("CV12")?.points?.get("speed")?.v === 0.5, "CV12 at t");
    await expert.request("playback", { action: "live" });
    await expert.leave();
  });
});
