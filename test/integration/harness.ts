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
import type { Room } from "@colyseus/sdk";
import { joinPlant } from "../../kit/observer.ts";
import { loadConfig, type Config } from "../../server/config.ts";
import { startGemba, type GembaServer } from "../../server/app.ts";
import { afterAll, beforeAll } from "vitest";
import type { JoinOptions, Refusal } from "../../shared/protocol.ts";
import type { PlantRoomState } from "../../shared/state.ts";

export const MOSQUITTO = process.env["TEST_MQTT_URL"] ?? "mqtt://127.0.0.1:1883";

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

export async function startServer(env: Record<string, string> = {}): Promise<Harness> {
  const config = testConfig(env);
  const logs: string[] = [];
  const server = await startGemba(config, { log: (m) => logs.push(m) });
  return { server, config, logs, endpoint: `ws://127.0.0.1:${server.port}` };
}

export async function join(
  h: Harness,
  name: string,
  extra: Partial<JoinOptions> = {},
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
 * One real server and one MQTT publisher for a whole test file, started before
 * its tests and stopped after. Read them through the returned object's fields
 * once the tests run.
 */
export function useServerAndPublisher(env: Record<string, string> = {}): { h: Harness; pub: MqttClient } {
  const ctx = {} as { h: Harness; pub: MqttClient };
  beforeAll(async () => {
    ctx.h = await startServer(env);
    ctx.pub = await publisher();
  });
  afterAll(async () => {
    await ctx.pub?.endAsync();
    await ctx.h?.server.stop();
  });
  return ctx;
}

/** The reason a room request was refused (`error.reason`), or null if it succeeded. */
export function refusalOf(p: Promise<unknown>): Promise<Refusal | null> {
  return p.then(
    () => null,
    (e: { reason?: Refusal }) => e.reason ?? null,
  );
}
