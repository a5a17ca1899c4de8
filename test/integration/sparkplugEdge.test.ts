/**
 * Gemba as a Sparkplug B host against the real Mosquitto, with Eclipse Tahu's reference edge-node
 * client (`sparkplug-client` 3.2.4) as the edge node. The edge node behaves as the spec's
 * "Commands" section asks (Sparkplug 3.0, Sparkplug_5_Operational_Behavior.adoc): its NBIRTH has
 * "Node Control/Rebirth" = false and no alias; on an NCMD "Node Control/Rebirth" = true it publishes
 * its NBIRTH again. Every test has its own Sparkplug group id, so concurrent runs never collide, and
 * the harness sets MQTT_TOPIC_PREFIX on every server: Sparkplug must work regardless.
 */
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { newClient, type UPayload } from "sparkplug-client";
import type { Health } from "../../shared/protocol.ts";
import { Quality } from "../../shared/status.ts";
import sparkplug from "sparkplug-payload";
import { tcpRelay } from "../support/tcpRelay.ts";
import { MOSQUITTO, eventually, join, publisher, startServer, waitForState, type Harness } from "./harness.ts";

import { demoPlantWithBindings } from "../unit/fixtures.ts";

/** Things each test started, stopped after it whatever happened. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A copy of the demo plant binding edge node `group`/Edge1's metrics Tank/Level and Pump/Flow. */
function sparkplugPlant(group: string): string {
  const { plantsDir } = demoPlantWithBindings([
    { format: "sparkplug", group, node: "Edge1", metrics: { "Tank/Level": "T101/level", "Pump/Flow": "P101/flow" } },
  ]);
  cleanups.push(() => fs.rmSync(plantsDir, { recursive: true, force: true }));
  return plantsDir;
}

async function gemba(group: string, env: Record<string, string> = {}): Promise<Harness> {
  const h = await startServer({ PLANTS_DIR: sparkplugPlant(group), ...env });
  cleanups.push(() => h.server.stop());
  return h;
}

interface Edge {
  /** Values its next NBIRTH reports. */
  level: number;
  flow: number;
  births: number;
  commands: UPayload[];
  /** NDATA by alias only, the way the spec has DATA sent once aliases are born. */
  data(alias: 1 | 2, value: number): void;
  /** NDATA carrying the metric name (and its datatype), the way Tahu's example edge node sends it. */
  dataByName(name: string, value: number): void;
}

/** A Tahu edge node `group`/Edge1; resolves once its first NBIRTH is published. */
function edgeNode(group: string, level: number, flow: number): Promise<Edge> {
  const client = newClient({
    serverUrl: MOSQUITTO,
    username: "",
    password: "",
    groupId: group,
    edgeNode: "Edge1",
    clientId: `gemba-test-tahu-${randomUUID().slice(0, 8)}`,
    publishDeath: true,
  });
  cleanups.push(() => client.stop());
  const edge: Edge = {
    level,
    flow,
    births: 0,
    commands: [],
    data: (alias, value) =>
      client.publishNodeData({ timestamp: Date.now(), metrics: [{ alias, type: "Double", value }] }),
    dataByName: (name, value) =>
      client.publishNodeData({ timestamp: Date.now(), metrics: [{ name, type: "Double", value }] }),
  };
  const birth = () => {
    edge.births++;
    client.publishNodeBirth({
      timestamp: Date.now(),
      metrics: [
        { name: "Node Control/Rebirth", type: "Boolean", value: false },
        { name: "Tank/Level", alias: 1, type: "Double", value: edge.level },
        { name: "Pump/Flow", alias: 2, type: "Double", value: edge.flow },
      ],
    });
  };
  client.on("ncmd", (p) => {
    edge.commands.push(p);
    if (p.metrics?.some((m) => m.name === "Node Control/Rebirth" && m.value === true)) birth();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the Tahu edge node did not connect")), 10_000);
    client.once("error", reject);
    client.once("birth", () => {
      clearTimeout(timer);
      birth();
      resolve(edge);
    });
  });
}

const health = async (h: Harness): Promise<Health> =>
  (await (await fetch(`http://127.0.0.1:${h.server.port}/healthz`)).json()) as Health;
const nodeState = async (h: Harness) => (await health(h)).plants[0]!.sparkplug[0]!;
const point = (h: Harness, twin: string, p: string) => {
  const tw = h.server.hub.loaded()[0]!.twin;
  return tw.points[tw.indexOf(twin, p)!]!;
};
const group = () => `Gemba-${randomUUID().slice(0, 8)}`;

describe("Sparkplug B with Eclipse Tahu's edge node on the real Mosquitto", () => {
  it("Gemba started before the edge node: its birth and data reach a room client, though MQTT_TOPIC_PREFIX is set", async () => {
    const g = group();
    const h = await gemba(g);
    expect(h.config.topicPrefix).not.toBe(""); // the harness isolates JSON topics with a prefix
    expect(h.logs).toContain(
      `plant "demo": MQTT_TOPIC_PREFIX "${h.config.topicPrefix}" is not applied to Sparkplug topics: the spBv1.0 namespace is fixed by the specification`,
    );
    expect(
      h.logs.some((l) => l.includes(`listening on ${h.config.topicPrefix}gemba/demo/+/+, spBv1.0/${g}/+/Edge1/#`)),
    ).toBe(true);
    const room = await join(h, "Sparky");
    const edge = await edgeNode(g, 42.5, 2.25);
    await waitForState(room, (s) => s.twins.get("T101")?.points.get("level")?.v === 42.5, "T101 level from NBIRTH");
    edge.data(1, 43.75);
    const s = await waitForState(
      room,
      (st) => st.twins.get("T101")?.points.get("level")?.v === 43.75,
      "T101 level from NDATA",
    );
    expect(s.twins.get("P101")!.points.get("flow")).toMatchObject({ v: 2.25, q: Quality.GOOD });
    expect(await nodeState(h)).toMatchObject({ group: g, node: "Edge1", state: "online", rebirthRequests: 0 });
    await room.leave();
  });

  it("Gemba started after the edge node, writes on: it asks for a rebirth and the edge node's new birth brings the values", async () => {
    const g = group();
    const edge = await edgeNode(g, 10, 1); // its birth goes out before Gemba exists
    const h = await gemba(g, { MQTT_WRITES: "on" });
    expect(point(h, "T101", "level").value).toBeNaN();
    edge.level = 66.5;
    edge.flow = 3.5;
    edge.data(1, 11); // by alias: meaningless to a host that missed the birth
    await eventually(
      () => Promise.resolve(point(h, "T101", "level").value === 66.5 ? true : undefined),
      "T101 level from the rebirth",
    );
    expect(point(h, "P101", "flow")).toMatchObject({ value: 3.5, q: Quality.GOOD });
    expect(edge.commands).toHaveLength(1);
    expect(edge.commands[0]!.metrics).toEqual([
      expect.objectContaining({ name: "Node Control/Rebirth", type: "Boolean", value: true }),
    ]);
    expect(edge.births).toBe(2);
    expect(await nodeState(h)).toMatchObject({ state: "online", rebirthRequests: 1, bdSeq: 0 });
    expect(h.logs).toContain(`Sparkplug: asked ${g}/Edge1 to rebirth (data before birth)`);
  });

  it("Gemba started after the edge node, writes off: the node shows 'waiting for birth' in /healthz and in the room's plant status; named metrics still apply", async () => {
    const g = group();
    const edge = await edgeNode(g, 10, 1);
    const h = await gemba(g);
    expect(await nodeState(h)).toMatchObject({ state: "not seen" });
    // The page's plant status panel reads the room state: the node is listed before anything is heard from it.
    const room = await join(h, "Status");
    const first = await waitForState(room, (st) => st.edgeNodes.size > 0, "the room to list the edge node");
    expect(first.edgeNodes.get(`${g}/Edge1`)).toMatchObject({ group: g, node: "Edge1", state: "not seen", since: 0 });
    edge.data(1, 12);
    const waiting = await eventually(async () => {
      const n = await nodeState(h);
      return n.state === "waiting for birth" ? n : undefined;
    }, "the node to wait for its birth");
    expect(waiting).toMatchObject({ group: g, node: "Edge1", rebirthRequests: 0 });
    const seen = await waitForState(
      room,
      (st) => st.edgeNodes.get(`${g}/Edge1`)?.state === "waiting for birth",
      "the room to say the node waits for its birth",
    );
    expect(seen.edgeNodes.get(`${g}/Edge1`)!.since).toBe(waiting.since);
    await room.leave();
    expect(point(h, "T101", "level").value).toBeNaN(); // an alias without its birth means nothing
    edge.dataByName("Pump/Flow", 4.5);
    await eventually(
      () => Promise.resolve(point(h, "P101", "flow").value === 4.5 ? true : undefined),
      "P101 flow from a named NDATA metric",
    );
    expect(edge.commands).toEqual([]); // read-only: no rebirth request was sent
    expect((await health(h)).plants[0]!.ingest).toMatchObject({ "no-birth": 1, applied: 1 });
    expect((await nodeState(h)).state).toBe("waiting for birth");
  });

  it("a sequence gap (a lost NDATA), writes on: Gemba asks for a rebirth and the node's state is rebuilt", async () => {
    const g = group();
    const h = await gemba(g, { MQTT_WRITES: "on" });
    const edge = await edgeNode(g, 20, 2);
    await eventually(() => Promise.resolve(point(h, "T101", "level").value === 20 || undefined), "the first birth");
    // An NDATA whose seq skips ahead, as when the broker dropped messages in between.
    const pub = await publisher();
    cleanups.push(() => pub.endAsync());
    const spb = sparkplug.get("spBv1.0")!;
    const skipped = spb.encodePayload({
      timestamp: Date.now(),
      seq: 9,
      metrics: [{ alias: 1, type: "Double", value: 21 }],
    });
    edge.level = 22.5;
    await pub.publishAsync(`spBv1.0/${g}/NDATA/Edge1`, Buffer.from(skipped));
    await eventually(
      () => Promise.resolve(point(h, "T101", "level").value === 22.5 || undefined),
      "the value of the rebirth after the gap",
    );
    expect(edge.births).toBe(2);
    expect(h.logs).toContain(`Sparkplug: asked ${g}/Edge1 to rebirth (seq gap)`);
    expect((await health(h)).plants[0]!.ingest).toMatchObject({ "seq-gap": 1, birth: 2 });
  });

  it("Gemba's own link to the broker drops: the node's values turn bad, and after reconnecting its rebirth refreshes them", async () => {
    const g = group();
    const link = await tcpRelay(MOSQUITTO);
    cleanups.push(() => link.close());
    const h = await gemba(g, { MQTT_URL: link.url, MQTT_WRITES: "on" });
    const edge = await edgeNode(g, 30, 3);
    await eventually(() => Promise.resolve(point(h, "T101", "level").value === 30 || undefined), "the first birth");
    link.cut();
    await eventually(
      () => Promise.resolve(point(h, "T101", "level").q === Quality.BAD || undefined),
      "T101 level bad while Gemba is cut off",
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${h.logs.join("\n")}`);
    });
    expect(point(h, "P101", "flow")).toMatchObject({ value: 3, q: Quality.BAD });
    expect(h.logs).toContain(`plant "demo": 1 Sparkplug edge node(s) marked bad until they report again`);
    await eventually(async () => (await health(h)).mqtt.connected || undefined, "Gemba reconnected", 15_000);
    edge.flow = 3.25;
    edge.data(1, 31); // the node's next message after the reconnect
    await eventually(
      () => Promise.resolve(point(h, "P101", "flow").value === 3.25 || undefined),
      "P101 flow from the rebirth",
    );
    expect(point(h, "P101", "flow").q).toBe(Quality.GOOD);
    expect(point(h, "T101", "level").q).toBe(Quality.GOOD);
    expect(h.logs).toContain(`Sparkplug: asked ${g}/Edge1 to rebirth (Gemba reconnected to the broker)`);
  });
});
