/**
 * Gemba as a Sparkplug 3.0 primary host application (MQTT_WRITES=on, SPARKPLUG_HOST_ID) against the
 * real Mosquitto. What edge nodes rely on (Sparkplug_4_Topics.adoc, "Sparkplug Host Application";
 * Sparkplug_5_Operational_Behavior.adoc, host session establishment and termination):
 * spBv1.0/STATE/<host id> holds, retained and at QoS 1, {"online":true,"timestamp":t} while Gemba is
 * connected, t being the timestamp of the will {"online":false,"timestamp":t} registered in the same
 * CONNECT; the broker publishes that will when the connection is lost; a clean stop leaves
 * {"online":false} with the time of leaving. The network loss is real: Gemba reaches the broker
 * through a TCP relay whose sockets the test cuts.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import mqtt, { type MqttClient } from "mqtt";
import { MqttConnection } from "../../server/ingest/MqttConnection.ts";
import { tcpRelay, type TcpRelay } from "../support/tcpRelay.ts";
import type { Health } from "../../shared/protocol.ts";
import { MOSQUITTO, eventually, publisher, startServer, type Harness } from "./harness.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function relay(): Promise<TcpRelay> {
  const r = await tcpRelay(MOSQUITTO);
  cleanups.push(() => r.close());
  return r;
}

interface StateMessage {
  online: boolean;
  timestamp: number;
  retain: boolean;
  qos: number;
}

/** Everything published on `topic`, as a subscriber at QoS 1 sees it. */
async function watch(topic: string): Promise<{ seen: StateMessage[]; client: MqttClient }> {
  const client = await mqtt.connectAsync(MOSQUITTO, { clientId: `gemba-test-state-${randomUUID().slice(0, 8)}` });
  cleanups.push(() => client.endAsync(true));
  const seen: StateMessage[] = [];
  client.on("message", (_t, payload, packet) => {
    if (payload.length === 0) return; // a cleared retained message
    const body = JSON.parse(payload.toString("utf8")) as { online: boolean; timestamp: number };
    seen.push({ ...body, retain: packet.retain, qos: packet.qos });
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return { seen, client };
}

/** The retained STATE right now, as a subscriber arriving now gets it. */
async function retained(topic: string): Promise<StateMessage> {
  const w = await watch(topic);
  const m = await eventually(() => Promise.resolve(w.seen[0]), `a retained message on ${topic}`);
  await w.client.endAsync(true);
  return m;
}

/** A Gemba primary host reaching the broker at `url`; stopped after the test unless `stopsItself`. */
async function primaryHost(url: string, stopsItself = false): Promise<{ h: Harness; hostId: string; topic: string }> {
  const hostId = `gemba-test-${randomUUID().slice(0, 8)}`;
  const topic = `spBv1.0/STATE/${hostId}`;
  // Leave the shared broker as it was: an empty retained payload removes the retained STATE.
  cleanups.push(async () => {
    const pub = await publisher();
    await pub.publishAsync(topic, "", { qos: 1, retain: true });
    await pub.endAsync();
  });
  const h = await startServer({ MQTT_URL: url, MQTT_WRITES: "on", SPARKPLUG_HOST_ID: hostId });
  if (!stopsItself) cleanups.push(() => h.server.stop());
  expect(h.logs.some((l) => l.includes(`and the STATE of host "${hostId}" are published`))).toBe(true);
  return { h, hostId, topic };
}

const health = async (h: Harness): Promise<Health> =>
  (await (await fetch(`http://127.0.0.1:${h.server.port}/healthz`)).json()) as Health;

describe("Sparkplug primary host STATE on the real Mosquitto", () => {
  it("online while connected, the will on a network loss, online again after reconnecting, offline on a clean stop", async () => {
    const net1 = await relay();
    const t0 = Date.now();
    const { h, hostId, topic } = await primaryHost(net1.url, true);
    let stopped = false;
    cleanups.push(() => (stopped ? undefined : h.server.stop()));

    // The plant's subscriptions come first, then the STATE birth (tck-id-message-flow-phid-sparkplug-subscription).
    const listening = h.logs.findIndex((l) => l.startsWith('plant "demo":') && l.includes("listening on"));
    const online = h.logs.indexOf(`Sparkplug: primary host "${hostId}" online (${topic})`);
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(online).toBeGreaterThan(listening);
    const birth = await retained(topic);
    expect(birth).toMatchObject({ online: true, retain: true, qos: 1 });
    expect(birth.timestamp).toBeGreaterThanOrEqual(t0);
    expect(birth.timestamp).toBeLessThanOrEqual(Date.now());
    expect((await health(h)).sparkplugHost).toEqual({ id: hostId, online: true, timestamp: birth.timestamp });

    const live = await watch(topic);
    await eventually(() => Promise.resolve(live.seen.length === 1 || undefined), "the retained birth");
    net1.cut(); // no DISCONNECT reaches the broker: it publishes Gemba's will
    const will = await eventually(() => Promise.resolve(live.seen[1]), "the will after the network loss");
    // The will carries the timestamp of the CONNECT it came with, the same as the birth that followed.
    expect(will).toMatchObject({ online: false, timestamp: birth.timestamp, qos: 1 });

    const reborn = await eventually(() => Promise.resolve(live.seen[2]), "a new birth after reconnecting", 15_000);
    expect(reborn.online).toBe(true);
    expect(reborn.timestamp).toBeGreaterThan(birth.timestamp); // a new CONNECT, a new will, a new timestamp
    expect(await retained(topic)).toMatchObject({ online: true, timestamp: reborn.timestamp });
    expect(h.logs).toContain(`MQTT: reconnected to ${net1.url}`);

    stopped = true;
    await h.server.stop();
    const death = await retained(topic);
    expect(death).toMatchObject({ online: false, retain: true, qos: 1 });
    // The death published on leaving, not the older will (a clean DISCONNECT discards it).
    expect(death.timestamp).toBeGreaterThan(reborn.timestamp);
  });

  it("told it is offline on its own STATE topic, it publishes its birth again with the same timestamp", async () => {
    const { topic } = await primaryHost(MOSQUITTO);
    const birth = await retained(topic);
    const live = await watch(topic);
    await eventually(() => Promise.resolve(live.seen.length === 1 || undefined), "the retained birth");
    const pub = await publisher();
    cleanups.push(() => pub.endAsync());
    await pub.publishAsync(topic, JSON.stringify({ online: false, timestamp: birth.timestamp }), {
      qos: 1,
      retain: true,
    });
    const again = await eventually(
      () => Promise.resolve(live.seen.find((m, i) => i >= 2 && m.online)),
      "the birth published again",
    );
    expect(again.timestamp).toBe(birth.timestamp);
    expect(await retained(topic)).toMatchObject({ online: true, timestamp: birth.timestamp });
  });

  it("while held (until the STATE birth is out) a rebirth request is refused, not queued; released, it goes out", async () => {
    const conn = new MqttConnection({ url: MOSQUITTO, writesEnabled: true });
    cleanups.push(() => conn.close());
    await conn.connect();
    const ncmd = `spBv1.0/Gemba-${randomUUID().slice(0, 8)}/NCMD/Edge1`;
    const w = await mqtt.connectAsync(MOSQUITTO, { clientId: `gemba-test-ncmd-${randomUUID().slice(0, 8)}` });
    cleanups.push(() => w.endAsync(true));
    const got: string[] = [];
    w.on("message", (_t, p) => got.push(p.toString()));
    await w.subscribeAsync(ncmd);
    const release = conn.holdPublishes();
    expect(conn.publish(ncmd, "held")).toBe(false);
    release();
    expect(conn.publish(ncmd, "sent")).toBe(true);
    await eventually(() => Promise.resolve(got.length > 0 || undefined), "the released publish");
    expect(got).toEqual(["sent"]); // the held one was dropped, never delivered late
  });
});
