/**
 * For the plant:discover tests: the demo plant's simulator publishing to a broker under a topic
 * prefix (as `npm start` runs it, minus the server), a Sparkplug edge node (Eclipse Tahu's client),
 * and `npm run plant:discover` as a child process that tells when it is subscribed (so a test can
 * publish an edge node's birth it must hear).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mqtt from "mqtt";
import { newClient } from "sparkplug-client";
import { loadPlantDir } from "../server/plant/loadPlant.ts";
import { PlantSimulator } from "../server/sim/PlantSimulator.ts";
import { SimPublisher } from "../server/sim/SimPublisher.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Publishes the demo plant's values at `<prefix>gemba/demo/<twin>/<point>`; returns its stop. */
export async function startDemoSimulator(url: string, prefix: string): Promise<() => Promise<void>> {
  const { model } = await loadPlantDir(path.join(ROOT, "assets/plants/demo"));
  const client = await mqtt.connectAsync(url, { clientId: `gemba-kit-sim-${process.pid}-${Date.now()}` });
  const publisher = new SimPublisher(
    new PlantSimulator(model, { seed: 1, startTime: Date.now() }),
    (topic, payload) => {
      if (client.connected) client.publish(topic, payload, { qos: 0 });
    },
    { topicFor: (twin, point) => `${prefix}gemba/demo/${twin}/${point}` },
  );
  publisher.start();
  return async () => {
    publisher.stop();
    await client.endAsync(true);
  };
}

export interface DiscoverRun {
  /** Resolves once it has subscribed (its "Listening to" line). */
  listening: Promise<void>;
  /** Exit code and everything it printed. */
  done: Promise<{ code: number | null; out: string }>;
}

export function runDiscover(args: string[], timeoutMs = 120_000): DiscoverRun {
  const p = spawn(process.execPath, ["--import", "tsx", "scripts/plant-discover.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let heard: () => void = () => {};
  const listening = new Promise<void>((resolve) => (heard = resolve));
  const onData = (d: Buffer) => {
    out += d.toString();
    if (out.includes("Listening to ")) heard();
  };
  p.stdout.on("data", onData);
  p.stderr.on("data", onData);
  const done = new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const t = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`plant:discover still running after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    p.on("exit", (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
  // A run that fails before subscribing must not leave `listening` hanging.
  void done.then(heard, heard);
  return { listening, done };
}

export interface FillerEdgeNode {
  /** Publish NBIRTH (Bottles/Count, Bowl Level, a text Serial) and the DBIRTH of device Capper1 (Torque). */
  birth(): void;
  /** NDATA naming its metric, as Tahu's example edge node sends it (readable by a host that missed the birth). */
  bowlLevel(value: number): void;
  stop(): Promise<void>;
}

/** Eclipse Tahu's reference edge node (`sparkplug-client`) "Filler1" in `group`; resolves once connected. */
export function startFillerEdgeNode(url: string, group: string): Promise<FillerEdgeNode> {
  const client = newClient({
    serverUrl: url,
    username: "",
    password: "",
    groupId: group,
    edgeNode: "Filler1",
    clientId: `gemba-kit-filler-${randomUUID().slice(0, 8)}`,
    publishDeath: true,
  });
  const node: FillerEdgeNode = {
    birth: () => {
      client.publishNodeBirth({
        timestamp: Date.now(),
        metrics: [
          { name: "Node Control/Rebirth", type: "Boolean", value: false },
          { name: "bdSeq", type: "UInt64", value: 0 },
          { name: "Bottles/Count", alias: 1, type: "UInt32", value: 1200 },
          { name: "Bowl Level", alias: 2, type: "Double", value: 61.5 },
          { name: "Serial", alias: 3, type: "String", value: "F-1" },
        ],
      });
      client.publishDeviceBirth("Capper1", {
        timestamp: Date.now(),
        metrics: [{ name: "Torque", alias: 4, type: "Float", value: 2.5 }],
      });
    },
    bowlLevel: (value) =>
      client.publishNodeData({ timestamp: Date.now(), metrics: [{ name: "Bowl Level", type: "Double", value }] }),
    stop: () => Promise.resolve(client.stop()),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the Tahu edge node did not connect")), 10_000);
    client.once("birth", () => {
      clearTimeout(timer);
      resolve(node);
    });
  });
}

/** A fresh folder under the system temp dir, removed by the cleanups the test runs after each case. */
export function tempDir(prefix: string, cleanups: (() => unknown)[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
