/**
 * For the plant:discover tests: the demo plant's simulator publishing to a broker under a topic
 * prefix (as `npm start` runs it, minus the server), and `npm run plant:discover` as a child process
 * that tells when it is subscribed (so a test can start an edge node whose birth it must hear).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import mqtt from "mqtt";
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
