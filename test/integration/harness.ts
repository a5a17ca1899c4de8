/**
 * Integration harness: a real Gemba server (startGemba) on a free port against a
 * real broker, real @colyseus/sdk clients, and a real mqtt.js publisher.
 * Each test file gets its own topic prefix so runs never see each other's data.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { Redis } from "ioredis";
import type { Room } from "@colyseus/sdk";
import { matchMaker } from "@colyseus/core";
import { joinPlant, type TestJoinOptions } from "../../kit/observer.ts";
import { devToken } from "../../kit/devSignIn.ts";
import { loadConfig, type Config } from "../../server/config.ts";
import { startGemba, type GembaServer } from "../../server/app.ts";
import type { Clock } from "../../server/twin/Clock.ts";
import { afterAll, beforeAll } from "vitest";
import {
  PLANT_ROOM,
  type Refusal,
  type RequestPayload,
  type RequestReply,
  type RequestType,
} from "../../shared/protocol.ts";
import type { MessageCounters } from "../../server/rooms/messagePolicy.ts";
import type { PlantRoomState } from "../../shared/state.ts";

export const MOSQUITTO = process.env["TEST_MQTT_URL"] ?? "mqtt://127.0.0.1:1883";
export const REDIS = process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379/0";

/** Removes a run's Redis keys (those under `prefix`): a killed server process could not remove its own. */
export async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: "0",
    MQTT_PORT: "0",
    MQTT_URL: MOSQUITTO,
    MQTT_TOPIC_PREFIX: `test-${randomUUID().slice(0, 8)}/`,
    SIM: "off",
    RECONNECT_SECONDS: "2",
    // A fresh journal per server: alarms and annotations from other runs must not leak in.
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "gemba-it-")),
    ...env,
  });
}

export interface Harness {
  server: GembaServer;
  config: Config;
  logs: string[];
  endpoint: string;
}

export interface ServerOptions {
  /** The server's clock (staleness, rule and alarm ticks, tokens); the system clock when absent. */
  clock?: Clock;
}

export async function startServer(env: Record<string, string> = {}, opts: ServerOptions = {}): Promise<Harness> {
  const config = testConfig(env);
  const logs: string[] = [];
  const server = await startGemba(config, { log: (m) => logs.push(m), ...(opts.clock ? { clock: opts.clock } : {}) });
  return { server, config, logs, endpoint: `ws://127.0.0.1:${server.port}` };
}

export async function join(
  h: Harness,
  name: string,
  extra: TestJoinOptions = {},
): Promise<Room<unknown, PlantRoomState>> {
  // Signed in the way the page does it: a development token for this name (and role, when the test asks for one).
  const room = await joinPlant(h.endpoint, name, { device: "desktop", ...extra });
  room.onMessage("error", () => {});
  return room;
}

/** Resolve when `predicate(state)` holds after a patch (or already holds). Rejects with `what` after timeoutMs. */
export function waitForState(
  room: Room<unknown, PlantRoomState>,
  predicate: (s: PlantRoomState) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<PlantRoomState> {
  return new Promise((resolve, reject) => {
    if (room.state && predicate(room.state)) return resolve(room.state);
    const timer = setTimeout(() => {
      room.onStateChange.remove(check);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const check = (s: PlantRoomState) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      room.onStateChange.remove(check);
      resolve(s);
    };
    room.onStateChange(check);
  });
}

export async function publisher(url = MOSQUITTO): Promise<MqttClient> {
  return mqtt.connectAsync(url, { clientId: `gemba-test-pub-${randomUUID().slice(0, 8)}` });
}

/** Poll an async condition (for HTTP-visible state with no event to await). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The next `count` messages of `type` the room receives, in order. Call it before sending what provokes them.
 * Rejects with `what` and what had arrived after timeoutMs.
 */
export function nextMessages<T>(
  room: Room<unknown, PlantRoomState>,
  type: string,
  count: number,
  what: string,
  timeoutMs = 10_000,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}: ${count} "${type}" messages, got ${JSON.stringify(got)}`));
    }, timeoutMs);
    const stop = room.onMessage(type, (m: T) => {
      got.push(m);
      if (got.length < count) return;
      clearTimeout(timer);
      stop();
      resolve(got);
    });
  });
}

/**
 * One real server and one MQTT publisher for a whole test file, started before
 * its tests and stopped after. Read them through the returned object's fields
 * once the tests run.
 */
export function useServerAndPublisher(
  env: Record<string, string> = {},
  opts: ServerOptions = {},
): { h: Harness; pub: MqttClient } {
  const ctx = {} as { h: Harness; pub: MqttClient };
  beforeAll(async () => {
    ctx.h = await startServer(env, opts);
    ctx.pub = await publisher();
  });
  afterAll(async () => {
    await ctx.pub?.endAsync();
    await ctx.h?.server.stop();
  });
  return ctx;
}

/** A room request typed by the shared table (the SDK's own answer is untyped). */
export function ask<K extends RequestType>(
  room: Room<unknown, PlantRoomState>,
  type: K,
  payload: RequestPayload<K>,
): Promise<RequestReply<K>> {
  return room.request<RequestPayload<K>, RequestReply<K>>(type, payload);
}

/** The message counters (accepted, rejected, dropped) of this process's room of `plant` (the demo's by default). */
export async function roomCounters(plant = "demo"): Promise<MessageCounters> {
  const listings = await matchMaker.query({ name: PLANT_ROOM });
  const listing = listings.find((l) => (l.metadata as { plant?: string } | undefined)?.plant === plant);
  if (!listing) throw new Error(`no room of "${plant}" on this process`);
  return (matchMaker.getLocalRoomById(listing.roomId) as unknown as { counters: MessageCounters }).counters;
}

/** The reason a room request was refused (`error.reason`), or null if it succeeded. */
export function refusalOf(p: Promise<unknown>): Promise<Refusal | null> {
  return p.then(
    () => null,
    (e: { reason?: Refusal }) => e.reason ?? null,
  );
}

/**
 * A server clock that moves only when the test moves it: `advance` runs every
 * interval that falls due, in time order, before it returns. The server's own
 * ticks (rule passes, alarm timers, staleness) then happen exactly when the
 * test says, with no wall-clock sleep. Network timers (Colyseus patches, MQTT)
 * stay on real time.
 */
export class ManualClock implements Clock {
  private readonly timers = new Map<number, { fn: () => void; ms: number; due: number }>();
  private nextId = 1;

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  setInterval(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { fn, ms, due: this.t + ms });
    return id;
  }

  clearInterval(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: { fn: () => void; ms: number; due: number } | undefined;
      for (const timer of this.timers.values()) if (timer.due <= end && (!next || timer.due < next.due)) next = timer;
      if (!next) break;
      this.t = next.due;
      next.due += next.ms;
      next.fn();
    }
    this.t = end;
  }
}

/** GET /api/metrics as an administrator (the route is admin-only: docs/SECURITY.md). */
export async function adminMetrics<T = unknown>(port: number): Promise<T> {
  const token = await devToken(`ws://127.0.0.1:${port}`, "Metrics reader", "admin");
  const res = await fetch(`http://127.0.0.1:${port}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`/api/metrics answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
