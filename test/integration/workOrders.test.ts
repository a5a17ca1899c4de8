/**
 * Work-order hand-off through a real local HTTP receiver: closing an incident POSTs the incident report, the
 * procedure record and the anchored notes with the bearer token; a receiver that refuses at first is retried until
 * it accepts; one that is down is retried, also by the next server on the same data, once it comes up. The room
 * shows the delivery in the incident throughout.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import { startGemba, type GembaServer } from "../../server/app.ts";
import { incidentKey } from "../../shared/incidentState.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { join, publisher, refusalOf, testConfig, waitForState, type Harness } from "./harness.ts";

const TOKEN = "wo-secret-7f3a9c";

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on `port` (0: any) that answers each POST with the next status of `answers` (the last one repeats). */
async function receiver(answers: number[], port = 0) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      const status = answers[Math.min(got.length - 1, answers.length - 1)]!;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    got,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/work-orders`,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A port nothing listens on (taken, then released). */
async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const servers: GembaServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

async function start(env: Record<string, string>): Promise<Harness> {
  const config = testConfig(env);
  // Retries after 100, 200, 400 ms: the same backoff code as the 5 s default, on a test's time scale.
  config.workOrders!.retryBaseMs = 100;
  config.workOrders!.retryMaxMs = 400;
  const logs: string[] = [];
  const server = await startGemba(config, { log: (m) => logs.push(m) });
  servers.push(server);
  return { server, config, logs, endpoint: `ws://127.0.0.1:${server.port}` };
}

/** Raise the HIGH level alarm of `tank`, acknowledge it, and return its activation time. */
async function raiseAndAck(h: Harness, room: Room<unknown, PlantRoomState>, tank: string): Promise<number> {
  const pub = await publisher();
  await pub.publishAsync(`${h.config.topicPrefix}gemba/demo/${tank}/level`, JSON.stringify({ v: 98.5 }));
  await pub.endAsync();
  const alarm = `limit.level:${tank}`;
  const s = await waitForState(room, (st) => st.alarms.get(alarm)?.state === "unack-active", `${tank} level alarm`);
  const activeAt = s.alarms.get(alarm)!.activeAt;
  await waitForState(room, (st) => st.incidents.has(incidentKey(alarm, activeAt)), `${tank} incident listed`);
  expect(
    await refusalOf(room.request("incidentClose", { alarm, activeAt, summary: "Check the level transmitter" })),
  ).toEqual({ code: "invalid", message: "Acknowledge the alarm before closing its incident." });
  await room.request("ack", { alarm });
  return activeAt;
}

describe("work-order hand-off", () => {
  it("a receiver that accepts gets the report, the procedure record and the notes, with the token; the incident shows it delivered", async () => {
    const rx = await receiver([201]);
    const h = await start({ WORK_ORDER_URL: rx.url, WORK_ORDER_TOKEN: TOKEN });
    const ada = await join(h, "Ada", { role: "operator" });
    const activeAt = await raiseAndAck(h, ada, "T102");
    const alarm = "limit.level:T102";
    await ada.request("annotate", { kind: "pin", twin: "T102", offset: [0, 1, 0], text: "Level gauge fogged", alarm });
    const { run } = await ada.request<object, { run: string }>("procedureStart", { procedure: "isolate-p401" });
    await ada.request("procedureStop", { run, reason: "Wrong pump: the alarm is on T102" });

    const viewer = await join(h, "Vi", { role: "viewer" });
    expect(
      await refusalOf(viewer.request("incidentClose", { alarm, activeAt, summary: "Check the level transmitter" })),
    ).toEqual({ code: "forbidden", message: "A viewer cannot close incidents; ask an operator." });

    const reply = await ada.request<object, { journalId: number; workOrder: string }>("incidentClose", {
      alarm,
      activeAt,
      summary: "Check the level transmitter",
    });
    expect(reply.workOrder).toMatch(/^wo-/);
    const key = incidentKey(alarm, activeAt);
    const seen = await waitForState(viewer, (s) => s.incidents.get(key)?.workOrder === "delivered", "delivered");
    expect(seen.incidents.get(key)).toMatchObject({ closedBy: "Ada", attempts: 1, lastError: "", nextAttemptAt: 0 });

    expect(rx.got).toHaveLength(1);
    const { headers, body } = rx.got[0]!;
    expect(headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["idempotency-key"]).toBe(reply.workOrder);
    const order = JSON.parse(body) as {
      incident: { alarm: object; lifecycle: { kind: string }[] };
      procedures: { chain: { ok: boolean } }[];
      notes: { text: string }[];
    };
    expect(order).toMatchObject({
      type: "gemba.work-order",
      version: 1,
      id: reply.workOrder,
      plant: "demo",
      asset: { id: "T102" },
      summary: "Check the level transmitter",
      closedBy: { name: "Ada", role: "operator" },
      alarm: { id: alarm },
    });
    expect(order.incident.alarm).toMatchObject({ id: alarm, twin: "T102", activeAt });
    expect(order.incident.lifecycle.map((e) => e.kind)).toEqual(["alarm.active", "alarm.ack"]);
    expect(order.procedures).toHaveLength(1);
    expect(order.procedures[0]).toMatchObject({ run, procedure: "isolate-p401", outcome: "stopped" });
    expect(order.procedures[0]!.chain.ok).toBe(true);
    expect(order.notes.map((n) => n.text)).toEqual(["Level gauge fogged"]);

    // Closed once: a second close is refused with who closed it; the journal has the row.
    expect(await refusalOf(ada.request("incidentClose", { alarm, activeAt, summary: "again" }))).toMatchObject({
      code: "invalid",
      message: expect.stringMatching(/^This incident was closed by Ada at \d\d:\d\d:\d\d UTC\.$/) as string,
    });
    const rows = (await h.server.hub.get("demo")).store.query({ plant: "demo", kinds: ["incident.close"] });
    expect(rows.map((r) => [r.actor, r.data["workOrder"]])).toEqual([["Ada", reply.workOrder]]);
    // The token is in no log line.
    expect(h.logs.some((l) => l.includes("delivered to http://127.0.0.1"))).toBe(true);
    expect(h.logs.filter((l) => l.includes(TOKEN))).toEqual([]);
    await ada.leave();
    await viewer.leave();
    await rx.close();
  });

  it("a receiver that refuses twice is retried until it accepts, the same order each time, the failures shown", async () => {
    const rx = await receiver([503, 503, 200]);
    const h = await start({ WORK_ORDER_URL: rx.url });
    const bo = await join(h, "Bo", { role: "operator" });
    const activeAt = await raiseAndAck(h, bo, "T103");
    const alarm = "limit.level:T103";
    const key = incidentKey(alarm, activeAt);
    const failing = waitForState(
      bo,
      (s) => s.incidents.get(key)?.workOrder === "failing" && s.incidents.get(key)?.attempts === 2,
      "two failed attempts shown",
    );
    const { workOrder } = await bo.request<object, { workOrder: string }>("incidentClose", {
      alarm,
      activeAt,
      summary: "Recalibrate LT-103",
    });
    const f = (await failing).incidents.get(key)!;
    expect(f.lastError).toBe("the receiver answered HTTP 503 Service Unavailable");
    expect(f.nextAttemptAt).toBeGreaterThan(0);
    const done = await waitForState(bo, (s) => s.incidents.get(key)?.workOrder === "delivered", "delivered at last");
    expect(done.incidents.get(key)!.attempts).toBe(3);
    expect(rx.got).toHaveLength(3);
    expect(new Set(rx.got.map((g) => g.headers["idempotency-key"]))).toEqual(new Set([workOrder]));
    expect(new Set(rx.got.map((g) => g.body)).size).toBe(1);
    // Without WORK_ORDER_TOKEN no Authorization header is sent.
    expect(rx.got[0]!.headers["authorization"]).toBeUndefined();
    await bo.leave();
    await rx.close();
  });

  it("a receiver that is down is retried, by the next server on the same data too, and gets the order once it is up", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/api/work-orders`;
    const h1 = await start({ WORK_ORDER_URL: url });
    const cy = await join(h1, "Cy", { role: "operator" });
    const activeAt = await raiseAndAck(h1, cy, "T102");
    const alarm = "limit.level:T102";
    const key = incidentKey(alarm, activeAt);
    await cy.request("incidentClose", { alarm, activeAt, summary: "Replace the level float" });
    const down = await waitForState(cy, (s) => (s.incidents.get(key)?.attempts ?? 0) >= 2, "failed attempts");
    expect(down.incidents.get(key)).toMatchObject({
      workOrder: "failing",
      lastError: "connection refused (nothing is listening there)",
    });
    await cy.leave();
    await h1.server.stop();
    servers.splice(servers.indexOf(h1.server), 1);

    // The next server on the same DATA_DIR resumes the order; the receiver comes up after it.
    const h2 = await start({ WORK_ORDER_URL: url, DATA_DIR: h1.config.dataDir });
    expect(h2.logs).toContain(`work orders: 1 not delivered yet; retrying to ${url}`);
    const dee = await join(h2, "Dee", { role: "viewer" });
    await waitForState(dee, (s) => s.incidents.get(key)?.closedBy === "Cy", "the closed incident after the restart");
    const rx = await receiver([202], port);
    const done = await waitForState(dee, (s) => s.incidents.get(key)?.workOrder === "delivered", "delivered", 15_000);
    expect(done.incidents.get(key)!.attempts).toBeGreaterThanOrEqual(3);
    expect(rx.got).toHaveLength(1);
    expect(JSON.parse(rx.got[0]!.body)).toMatchObject({ summary: "Replace the level float", closedBy: { name: "Cy" } });
    expect(fs.existsSync(`${h1.config.dataDir}/work-orders.db`)).toBe(true);
    await dee.leave();
    await rx.close();
  });
});
