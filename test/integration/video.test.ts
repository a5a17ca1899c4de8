/**
 * The call's camera through a real room with real SDK clients: who may share a camera, stills relayed to
 * everyone, strokes on a frame relayed and kept, and bad input (not JPEG, oversized, out of the frame, on a
 * still that is gone, from a viewer, too fast) refused with a sentence and a counter, never relayed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import { matchMaker } from "@colyseus/core";
import { MAX_STILL_CHARS, PLANT_ROOM, type ErrorMessage } from "../../shared/protocol.ts";
import type { MessageCounters } from "../../server/rooms/messagePolicy.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { devToken } from "../../kit/devSignIn.ts";
import { eventually, join, publisher, startServer, waitForState, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startServer({ DEV_ROLE: "operator" });
});
afterAll(async () => {
  await h?.server.stop();
});

type R = Room<unknown, PlantRoomState>;
const seatOf = (room: R, name: string) => [...(room.state?.seats.values() ?? [])].find((s) => s.name === name);
const JPEG =
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==";

function errorsOf(room: R): { list: string[]; next(): Promise<string> } {
  const list: string[] = [];
  let waiting: ((m: string) => void) | null = null;
  room.onMessage("error", (m: ErrorMessage) => {
    list.push(m.message);
    waiting?.(m.message);
    waiting = null;
  });
  return { list, next: () => new Promise((r) => (waiting = r)) };
}

describe("camera, stills and strokes through the room", () => {
  it("a technician in the call shares a camera; a still reaches everyone; a stroke on it reaches everyone", async () => {
    const tech = await join(h, "Tech");
    const expert = await join(h, "Expert");
    await waitForState(tech, () => !!seatOf(tech, "Expert"), "both seats");
    const techSeat = seatOf(tech, "Tech")!.id;
    const errors = errorsOf(tech);

    // Not in the call yet: no camera.
    const e = errors.next();
    tech.send("camera", { mode: "live" });
    expect(await e).toMatch(/Join the call before sharing a camera/);
    tech.send("voice", { inCall: true, muted: false, speaking: false });
    tech.send("camera", { mode: "live" });
    await waitForState(expert, () => seatOf(expert, "Tech")?.camera === "live", "camera live");

    const still = new Promise<{ id: string; jpeg: string; seat: string }>((r) => expert.onMessage("still", r));
    const asked = new Promise<{ from: string }>((r) => tech.onMessage("stillAsk", r));
    expert.send("stillAsk", { camera: techSeat });
    expect((await asked).from).toBe(seatOf(tech, "Expert")!.id);
    tech.send("still", { jpeg: JPEG, width: 640, height: 360 });
    const s = await still;
    expect(s).toMatchObject({ seat: techSeat, jpeg: JPEG });

    const stroke = new Promise<{ camera: string; still: string; points: number[] }>((r) => tech.onMessage("stroke", r));
    expert.send("stroke", { camera: techSeat, still: s.id, points: [0.1, 0.1, 0.5, 0.5], color: "#ff8800" });
    expect(await stroke).toMatchObject({ camera: techSeat, still: s.id, points: [0.1, 0.1, 0.5, 0.5] });
    for (const r of [tech, expert]) await r.leave();
  });

  it("drawings on a frozen still and on the live picture during an alarm are kept with their frames in that alarm's incident report", async () => {
    const tech = await join(h, "Tech");
    const expert = await join(h, "Expert");
    const supervisor = await join(h, "Supervisor");
    await waitForState(tech, () => !!seatOf(tech, "Expert") && !!seatOf(tech, "Supervisor"), "three seats");
    const techSeat = seatOf(tech, "Tech")!.id;
    tech.send("voice", { inCall: true, muted: false, speaking: false });
    tech.send("camera", { mode: "live" });
    await waitForState(expert, () => seatOf(expert, "Tech")?.camera === "live", "camera live");
    // The tank overfills: a limit alarm, the incident the report is about.
    const pub = await publisher();
    await pub.publishAsync(`${h.config.topicPrefix}gemba/demo/T102/level`, JSON.stringify({ v: 98.5 }));
    await pub.endAsync();
    await waitForState(expert, (s) => s.alarms.get("limit.level:T102")?.state === "unack-active", "alarm raised");

    const still = new Promise<{ id: string }>((r) => expert.onMessage("still", r));
    tech.send("still", { jpeg: JPEG, width: 640, height: 360 });
    const s = await still;
    const echoed = new Promise((r) => tech.onMessage("stroke", r));
    expert.send("stroke", { camera: techSeat, still: s.id, points: [0.25, 0.5, 0.75, 0.5], color: "#ff8800" });
    await echoed;
    // On the live picture: the camera's device answers the stroke with the frame it was drawn on (here the SDK
    // client stands in for the page, which does it in VideoCall).
    const live = new Promise<{ id: string }>((r) => tech.onMessage("stroke", r));
    supervisor.send("stroke", { camera: techSeat, still: "", points: [0.5, 0.25, 0.5, 0.75], color: "#3366ff" });
    tech.send("strokeFrame", { stroke: (await live).id, jpeg: JPEG, width: 640, height: 360 });

    const base = `http://127.0.0.1:${h.server.port}/api/plants/demo/incidents/limit.level:T102`;
    const signedIn = { headers: { authorization: `Bearer ${await devToken(h.endpoint, "Reader", "viewer")}` } };
    const html = await eventually(async () => {
      const text = await (await fetch(`${base}?format=html`, signedIn)).text();
      return text.includes("Drawn on the camera") && text;
    }, "the drawing in the report");
    expect(html).toContain(`href="data:image/jpeg;base64,${JPEG}"`);
    expect(html).toContain('<polyline points="120.0,135.0 360.0,135.0" fill="none" stroke="#ff8800"');
    expect(html).toContain("Tech&#39;s camera, still of");
    expect(html).toContain("Expert drew on Tech&#39;s camera, on a frozen still");
    expect(html).toContain("Supervisor drew on Tech&#39;s camera, on the live picture");
    const withLive = await eventually(async () => {
      const text = await (await fetch(`${base}?format=html`, signedIn)).text();
      return text.includes("live picture of") && text;
    }, "the live stroke's frame in the report");
    expect(withLive).toContain("Tech&#39;s camera, live picture of");
    expect(withLive).toContain('<polyline points="240.0,67.5 240.0,202.5" fill="none" stroke="#3366ff"');
    expect(html).not.toMatch(/<script|https?:\/\//);
    for (const r of [tech, expert, supervisor]) await r.leave();
  });

  it("refuses a camera from a viewer, stills that are not JPEG or too big, strokes off the frame or on a gone still, and floods", async () => {
    const viewer = await join(h, "Vic", { role: "viewer" });
    const tech = await join(h, "Tam");
    await waitForState(tech, () => !!seatOf(tech, "Vic"), "seats");
    const techSeat = seatOf(tech, "Tam")!.id;
    const ve = errorsOf(viewer);
    const te = errorsOf(tech);
    let relayed = 0;
    viewer.onMessage("still", () => relayed++);
    viewer.onMessage("stroke", () => relayed++);

    viewer.send("voice", { inCall: true, muted: false, speaking: false });
    let e = ve.next();
    viewer.send("camera", { mode: "live" });
    expect(await e).toMatch(/A viewer cannot share a camera/);

    tech.send("voice", { inCall: true, muted: false, speaking: false });
    tech.send("camera", { mode: "live" });
    await waitForState(viewer, () => seatOf(viewer, "Tam")?.camera === "live", "camera live");
    e = te.next();
    tech.send("still", { jpeg: "iVBORw0KGgo=", width: 640, height: 360 }); // a PNG
    expect(await e).toMatch(/base64 JPEG/);
    e = te.next();
    tech.send("still", { jpeg: "/9j/" + "A".repeat(MAX_STILL_CHARS), width: 640, height: 360 });
    expect(await e).toMatch(/at most/);
    e = te.next();
    tech.send("stroke", { camera: techSeat, still: "", points: [0.1, 0.1, 1.5, 0.5], color: "#ff8800" });
    expect(await e).toMatch(/0\.\.1 of the frame/);
    e = te.next();
    tech.send("stroke", { camera: techSeat, still: `${techSeat}-999`, points: [0.1, 0.1, 0.5, 0.5], color: "#ff8800" });
    expect(await e).toMatch(/no longer shown/);
    e = ve.next();
    viewer.send("stroke", { camera: techSeat, still: "", points: [0.1, 0.1, 0.5, 0.5], color: "#ff8800" });
    expect(await e).toMatch(/A viewer cannot draw on the video/);
    // A frame that is not a JPEG, or too big; for a stroke that does not exist, from a seat that is not the camera,
    // or twice: refused.
    e = te.next();
    tech.send("strokeFrame", { stroke: "x", jpeg: "iVBORw0KGgo=", width: 640, height: 360 });
    expect(await e).toMatch(/base64 JPEG/);
    e = te.next();
    tech.send("strokeFrame", { stroke: "x", jpeg: "/9j/" + "A".repeat(MAX_STILL_CHARS), width: 640, height: 360 });
    expect(await e).toMatch(/at most/);
    e = te.next();
    tech.send("strokeFrame", { stroke: `${techSeat}-s999`, jpeg: JPEG, width: 640, height: 360 });
    expect(await e).toMatch(/No stroke on your live picture is waiting/);
    const drawn = new Promise<{ id: string }>((r) => tech.onMessage("stroke", r));
    tech.send("stroke", { camera: techSeat, still: "", points: [0.1, 0.1, 0.5, 0.5], color: "#ff8800" });
    const strokeId = (await drawn).id;
    e = ve.next();
    viewer.send("strokeFrame", { stroke: strokeId, jpeg: JPEG, width: 640, height: 360 });
    expect(await e).toMatch(/No stroke on your live picture is waiting/);
    tech.send("strokeFrame", { stroke: strokeId, jpeg: JPEG, width: 640, height: 360 });
    // The second frame for it is refused too (counted below; the same sentence is told at most once a second).
    tech.send("strokeFrame", { stroke: strokeId, jpeg: JPEG, width: 640, height: 360 });
    // Two stills at once: the second is refused (at most twice a second).
    tech.send("still", { jpeg: JPEG, width: 640, height: 360 });
    e = te.next();
    tech.send("still", { jpeg: JPEG, width: 640, height: 360 });
    expect(await e).toMatch(/at most twice a second/);
    // Leaving the call turns the camera off.
    tech.send("voice", { inCall: false, muted: false, speaking: false });
    await waitForState(viewer, () => seatOf(viewer, "Tam")?.camera === "", "camera off with the call");
    expect(relayed).toBe(2);
    const [listing] = await matchMaker.query({ name: PLANT_ROOM });
    const room = matchMaker.getLocalRoomById(listing!.roomId) as unknown as { counters: MessageCounters };
    expect(room.counters.rejected["still"]).toBeGreaterThanOrEqual(3);
    expect(room.counters.rejected["stroke"]).toBeGreaterThanOrEqual(3);
    expect(room.counters.rejected["camera"]).toBeGreaterThanOrEqual(1);
    expect(room.counters.rejected["strokeFrame"]).toBe(5);
    for (const r of [viewer, tech]) await r.leave();
  });
});
