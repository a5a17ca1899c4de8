/**
 * What-ifs through the real path: Mosquitto → twin; real @colyseus/sdk clients ask for a what-if; the prediction
 * reaches everyone in the room; the live values go on unchanged; and a subscriber on '#' at the broker sees nothing
 * published by the sandbox. Bad what-ifs are refused with a sentence and counted; each one is in the journal.
 */
import mqtt from "mqtt";
import { describe, expect, it } from "vitest";
import { matchMaker } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import { devToken } from "../../kit/devSignIn.ts";
import type { MessageCounters } from "../../server/rooms/messagePolicy.ts";
import { PLANT_ROOM, type RequestPayload, type RequestReply, type RequestType } from "../../shared/protocol.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { MOSQUITTO, join, refusalOf, useServerAndPublisher, waitForState } from "./harness.ts";

function ask<K extends RequestType>(
  room: Room<unknown, PlantRoomState>,
  type: K,
  payload: RequestPayload<K>,
): Promise<RequestReply<K>> {
  // A refusal's sentence in the failure message (the SDK's own error says only "request rejected").
  return room.request<RequestPayload<K>, RequestReply<K>>(type, payload).catch((e: { reason?: unknown }) => {
    throw Object.assign(new Error(`${type} refused: ${JSON.stringify(e.reason)}`), { reason: e.reason });
  });
}

async function roomCounters(): Promise<MessageCounters> {
  const [listing] = await matchMaker.query({ name: PLANT_ROOM });
  return (matchMaker.getLocalRoomById(listing!.roomId) as unknown as { counters: MessageCounters }).counters;
}

const ctx = useServerAndPublisher();

describe("what-if sandbox in a room", () => {
  it("fork → change → the predicted values differ, the live ones do not, and nothing is published", async () => {
    const { h, pub } = ctx;
    const prefix = h.config.topicPrefix;
    const topic = (twin: string, point: string) => `${prefix}gemba/demo/${twin}/${point}`;
    const send = (twin: string, point: string, v: number, ts: number) =>
      pub.publishAsync(topic(twin, point), JSON.stringify({ v, ts }));
    const ada = await join(h, "Ada", { role: "operator" });
    const bo = await join(h, "Bo", { role: "viewer" });
    // Both watch the process area, so live values of P101, L101 and T201 reach them.
    ada.send("interest", { areas: ["process"], twins: ["P101", "L101", "T201"] });
    bo.send("interest", { areas: ["process"], twins: ["P101", "L101", "T201"] });

    // The broker as the plant sees it: everything on '#' from now on.
    const watcher = await mqtt.connectAsync(MOSQUITTO, { clean: true });
    const seen: string[] = [];
    watcher.on("message", (t) => seen.push(t));
    await watcher.subscribeAsync("#", { qos: 1 });
    const marker = `${prefix}test-marker`;
    const markerSeen = () => seen.includes(marker);

    const t0 = Date.now() - 30_000;
    for (let s = 0; s <= 30; s += 5) {
      await send("P101", "speed", 2900, t0 + s * 1000);
      await send("L101", "flow", 12, t0 + s * 1000);
      await send("L101", "pressure", 3.2, t0 + s * 1000);
      await send("T201", "level", 60, t0 + s * 1000);
      await send("XV101", "position", 100, t0 + s * 1000);
      await send("P101", "flow", 12, t0 + s * 1000);
    }
    await waitForState(ada, (s) => s.twins.get("T201")?.points?.get("level")?.v === 60, "live T201 level");
    await waitForState(bo, (s) => s.twins.get("L101")?.points?.get("flow")?.v === 12, "Bo's live L101 flow");
    const live = (s: PlantRoomState) =>
      ["P101/speed", "L101/flow", "L101/pressure", "T201/level"].map((k) => {
        const [tw, pt] = k.split("/") as [string, string];
        return s.twins.get(tw)!.points.get(pt)!.v;
      });
    const before = live(ada.state);
    const mark = seen.length;

    // Half speed on P101 for 10 minutes.
    const { id, journalId } = await ask(ada, "whatIf", { twin: "P101", point: "speed", value: 1450, horizonS: 600 });
    expect(journalId).toBeGreaterThan(0);
    const shared = await waitForState(bo, (s) => s.whatIfs.has(id), "Bo sees the what-if");
    const w = shared.whatIfs.get(id)!;
    expect(w).toMatchObject({
      by: "Ada",
      twin: "P101",
      point: "speed",
      was: 2900,
      value: 1450,
      past: false,
      horizonS: 600,
    });
    expect([...w.series.keys()]).toEqual(["P101/speed", "L101/flow", "L101/pressure", "T201/level"]);
    const end = (k: string) => w.series.get(k)!.values.at(-1);
    // Predicted: half the flow (12 → 6 L/s), less pressure, and the blend tank falls with the lost inflow.
    expect(end("L101/flow")).toBeCloseTo(6, 2);
    expect(end("L101/pressure")).toBeCloseTo(3.2 - 0.00116 * 1450, 2);
    expect(end("T201/level")).toBeLessThan(60 - 50);
    expect(w.series.get("T201/level")!.limit).toBe("lowWarning");
    expect(w.series.get("T201/level")!.limitAfterS).toBeGreaterThan(0);

    // Live values: exactly what the plant sent, for both people, after the what-if.
    expect(live(ada.state)).toEqual(before);
    expect(live(bo.state)).toEqual([2900, 12, 3.2, 60]);
    // Live data keeps flowing: a new sample after the fork arrives as usual.
    await send("L101", "flow", 11.5, Date.now());
    await waitForState(bo, (s) => s.twins.get("L101")?.points?.get("flow")?.v === 11.5, "live flow moves on");
    expect(bo.state.whatIfs.get(id)!.series.get("L101/flow")!.values.at(-1)).toBeCloseTo(6, 2);

    // The broker: a marker from this test proves the watcher was listening; nothing else under this server's
    // prefix (the only namespace its MQTT client publishes in) arrived since the what-if was asked for.
    await pub.publishAsync(marker, "end", { qos: 1 });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("marker never seen at the broker")), 10_000);
      const check = () => (markerSeen() ? (clearTimeout(timer), resolve()) : setTimeout(check, 20));
      check();
    });
    const fromSandbox = seen
      .slice(mark)
      .filter((t) => t.startsWith(prefix) && t !== marker && !t.endsWith("L101/flow"));
    expect(fromSandbox).toEqual([]);
    await watcher.endAsync();

    // A second what-if to compare, then removed; the journal holds both and the removal.
    const second = await ask(ada, "whatIf", { twin: "XV101", point: "position", value: 50, horizonS: 300 });
    await waitForState(bo, (s) => s.whatIfs.size === 2, "two what-ifs side by side");
    await ask(ada, "whatIfRemove", { id: second.id });
    await waitForState(bo, (s) => s.whatIfs.size === 1 && s.whatIfs.has(id), "the second one removed");
    const http = h.endpoint.replace("ws:", "http:");
    const admin = await devToken(http, "Auditor", "admin");
    const res = await fetch(`${http}/api/plants/demo/journal?kind=whatif&kind=whatif.remove`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const rows = ((await res.json()) as { entries: { kind: string; actor: string; data: Record<string, unknown> }[] })
      .entries;
    expect(rows.map((r) => r.kind).sort()).toEqual(["whatif", "whatif", "whatif.remove"]);
    const first = rows.find((r) => r.data["id"] === id)!;
    expect(first).toMatchObject({ actor: "Ada", data: { point: "speed", was: 2900, value: 1450, role: "operator" } });
    expect((first.data["predicted"] as Record<string, { end: number }>)["L101/flow"]!.end).toBeCloseTo(6, 2);

    // A viewer may look, not ask.
    expect(await refusalOf(ask(bo, "whatIf", { twin: "P101", point: "speed", value: 1000, horizonS: 600 }))).toEqual({
      code: "forbidden",
      message: "A viewer cannot run what-ifs; ask an operator.",
    });
    await ask(ada, "whatIfRemove", { id });
    await ada.leave();
    await bo.leave();
  });

  it("refuses bad what-ifs with a sentence and counts them: unknown asset or point, out of range, too far, too many", async () => {
    const { h, pub } = ctx;
    const ts = Date.now();
    const send = (twin: string, point: string, v: number) =>
      pub.publishAsync(`${h.config.topicPrefix}gemba/demo/${twin}/${point}`, JSON.stringify({ v, ts }));
    for (const [tw, pt, v] of [
      ["XV103", "position", 100],
      ["P103", "flow", 3],
      ["P103", "speed", 2900],
      ["L103", "flow", 3],
      ["T201", "level", 60],
    ] as const)
      await send(tw, pt, v);
    const cy = await join(h, "Cy", { role: "operator" });
    const before = (await roomCounters()).rejected["whatIf"] ?? 0;
    const refused = (p: RequestPayload<"whatIf">) => refusalOf(ask(cy, "whatIf", p));
    expect(await refused({ twin: "P999", point: "speed", value: 1, horizonS: 600 })).toEqual({
      code: "not-found",
      message: 'There is no asset "P999".',
    });
    expect(await refused({ twin: "P103", point: "sped", value: 1, horizonS: 600 })).toEqual({
      code: "not-found",
      message: 'P103 has no point "sped".',
    });
    expect(await refused({ twin: "P103", point: "current", value: 1, horizonS: 600 })).toEqual({
      code: "invalid",
      message:
        "The plant's process model has nothing that follows P103 Motor current (on this asset a what-if can set: speed).",
    });
    expect(await refused({ twin: "P103", point: "speed", value: 4000, horizonS: 600 })).toEqual({
      code: "invalid",
      message: "P103 Speed can be set between 0 and 2900 rpm, not 4000 rpm.",
    });
    expect(await refused({ twin: "P103", point: "speed", value: 1000, horizonS: 7200 })).toEqual({
      code: "invalid",
      message: "horizonS: A what-if looks at most 30 minutes ahead.",
    });
    expect((await roomCounters()).rejected["whatIf"]).toBe(before + 5);
    // A room compares at most four.
    const made: string[] = [];
    for (const v of [500, 1000, 1500, 2000])
      made.push((await ask(cy, "whatIf", { twin: "XV103", point: "position", value: v / 25, horizonS: 120 })).id);
    expect(await refused({ twin: "P103", point: "speed", value: 2500, horizonS: 600 })).toEqual({
      code: "invalid",
      message: "This room already compares 4 what-ifs; remove one first.",
    });
    expect((await roomCounters()).rejected["whatIf"]).toBe(before + 6);
    for (const id of made) await ask(cy, "whatIfRemove", { id });
    expect(await refusalOf(ask(cy, "whatIfRemove", { id: made[0]! }))).toEqual({
      code: "not-found",
      message: "That what-if is no longer in the room.",
    });
    await cy.leave();
  });

  it("injects a fault through the process model: cavitation cuts the line's flow, a drifting valve moves the pump's; bearing wear is refused and counted", async () => {
    const { h, pub } = ctx;
    const ts = Date.now();
    const send = (twin: string, point: string, v: number) =>
      pub.publishAsync(`${h.config.topicPrefix}gemba/demo/${twin}/${point}`, JSON.stringify({ v, ts }));
    for (const [tw, pt, v] of [
      ["P101", "speed", 2900],
      ["L101", "flow", 12],
      ["L101", "pressure", 3.2],
      ["T201", "level", 60],
      ["XV101", "position", 100],
      ["P101", "flow", 12],
    ] as const)
      await send(tw, pt, v);
    const di = await join(h, "Di", { role: "operator" });
    di.send("interest", { areas: ["process"], twins: ["P101", "L101", "T201"] });
    await waitForState(di, (s) => s.twins.get("T201")?.points?.get("level")?.v === 60, "live T201 level");
    const before = (await roomCounters()).rejected["whatIf"] ?? 0;

    const cav = await ask(di, "whatIf", { twin: "P101", fault: "cavitation", horizonS: 600 });
    const w = (await waitForState(di, (s) => s.whatIfs.has(cav.id), "the cavitation what-if")).whatIfs.get(cav.id)!;
    expect(w).toMatchObject({ twin: "P101", point: "speed", fault: "cavitation", was: 2900 });
    expect(w.value).toBeCloseTo(1740, 3);
    // 40 % less flow into the blend tank: 12 → 7.2 L/s.
    expect(w.series.get("L101/flow")!.values.at(-1)).toBeCloseTo(7.2, 1);
    expect(di.state.twins.get("L101")!.points.get("flow")!.v).toBe(12);

    const drift = await ask(di, "whatIf", {
      twin: "XV101",
      point: "position",
      fault: "drift",
      perMinute: -10,
      horizonS: 300,
    });
    const d = (await waitForState(di, (s) => s.whatIfs.has(drift.id), "the drift what-if")).whatIfs.get(drift.id)!;
    expect(d).toMatchObject({ fault: "drifting -10 %/min", was: 100, value: 50 });
    expect(d.series.get("P101/flow")!.values.at(-1)).toBeCloseTo(6, 1);

    expect(await refusalOf(ask(di, "whatIf", { twin: "P101", fault: "bearing-wear", horizonS: 600 }))).toEqual({
      code: "invalid",
      message:
        "Bearing wear shows in P101's vibration and bearing temperature; the plant's process model has no link from either, so it cannot say what follows. The alarm forecast watches them.",
    });
    expect(await refusalOf(ask(di, "whatIf", { twin: "P101", point: "speed", fault: "drift", horizonS: 600 }))).toEqual(
      { code: "invalid", message: "perMinute: Say how far the point drifts per minute." },
    );
    expect((await roomCounters()).rejected["whatIf"]).toBe(before + 2);

    // The journal row says which fault was predicted.
    const http = h.endpoint.replace("ws:", "http:");
    const admin = await devToken(http, "Auditor", "admin");
    const res = await fetch(`${http}/api/plants/demo/journal?kind=whatif`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const rows = ((await res.json()) as { entries: { data: Record<string, unknown> }[] }).entries;
    expect(rows.find((r) => r.data["id"] === cav.id)?.data).toMatchObject({ point: "speed", fault: "cavitation" });
    for (const id of [cav.id, drift.id]) await ask(di, "whatIfRemove", { id });
    await di.leave();
  });
});
