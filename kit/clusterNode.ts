/**
 * One process of a test cluster: the real server on a free port, sharing a development signing key (a token signed
 * by either process opens a room on either) and a Redis key prefix with its siblings. Used by the cluster tests.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer, type RunningServer } from "./appServer.ts";
import { freePort } from "./freePort.ts";

export type ClusterNode = RunningServer & { port: number };

export interface ClusterNodeOptions {
  devKey: string;
  redisUrl: string;
  keyPrefix: string;
  mqttUrl: string;
  topicPrefix: string;
  /** Where clients reach this process (default 127.0.0.1:<its port>). */
  publicAddress?: (port: number) => string;
  /** Anything else the test needs (PostgreSQL, limits). */
  env?: Record<string, string>;
}

export async function startClusterNode(o: ClusterNodeOptions): Promise<ClusterNode> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-cluster-"));
  fs.writeFileSync(path.join(dataDir, "dev-signing.key"), o.devKey, { mode: 0o600 });
  const server = await startAppServer({
    DATA_DIR: dataDir,
    PORT: String(port),
    MQTT_URL: o.mqttUrl,
    MQTT_TOPIC_PREFIX: o.topicPrefix,
    SIM: "off",
    REDIS_URL: `${o.redisUrl}?keyPrefix=${encodeURIComponent(o.keyPrefix)}`,
    PUBLIC_ADDRESS: o.publicAddress?.(port) ?? `127.0.0.1:${port}`,
    ...o.env,
  });
  return Object.assign(server, { port });
}
