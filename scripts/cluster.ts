/**
 * `npm run start:cluster [-- N]`: N Gemba processes (default 2, or CLUSTER_SIZE)
 * behind one address on this machine, against an external broker (MQTT_URL)
 * and Redis (REDIS_URL). The front address is PORT (default 2567); process i
 * listens on PORT+i and is reached through `<front>/n<i>` (docs/SCALING.md).
 * Only process 1 runs the simulator (when SIM=on). A process that dies is
 * reported and not restarted; SIGINT/SIGTERM stop them all.
 */
import path from "node:path";
import { ensureSharedDevKey, startNode, type ClusterNode } from "./clusterNodes.ts";
import { startFrontProxy, type Backend } from "./frontProxy.ts";

function fail(sentence: string): never {
  console.error(`Gemba cluster: ${sentence}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const env = process.env;
  if (!env["REDIS_URL"]?.trim()) {
    fail("set REDIS_URL (e.g. redis://127.0.0.1:6379): the processes find each other's rooms through Redis.");
  }
  if (!env["MQTT_URL"]?.trim()) {
    fail(
      "set MQTT_URL (e.g. mqtt://127.0.0.1:1883): every process must reach the same broker, so the embedded one cannot be used.",
    );
  }
  const raw = process.argv[2] ?? env["CLUSTER_SIZE"] ?? "2";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) fail(`the number of processes must be 1 to 64, got "${raw}".`);
  const front = Number(env["PORT"] || 2567);
  if (!Number.isInteger(front) || front < 1 || front + n > 65535) fail(`PORT must leave room for ${n} ports after it.`);
  const host = env["HOST"]?.trim() || "127.0.0.1";
  const everywhere = host === "0.0.0.0" || host === "::";
  const publicHost = env["PUBLIC_HOST"]?.trim() || (everywhere ? "localhost" : host);
  const dataRoot = path.resolve(env["DATA_DIR"] || "data");
  const devKey = ensureSharedDevKey(dataRoot);
  const sim = ["on", "1", "true", "yes"].includes((env["SIM"] ?? "").toLowerCase());

  const backends: Backend[] = [];
  const nodes: ClusterNode[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    stopping = true;
    await Promise.all(nodes.map((p) => p.stop()));
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    for (let i = 1; i <= n; i++) {
      const node = await startNode({
        index: i,
        port: front + i,
        publicAddress: `${publicHost}:${front}/n${i}`,
        dataDir: path.join(dataRoot, `node-${i}`),
        devKey,
        // Processes talk to the proxy, not to people: they stay on this machine's loopback unless HOST says otherwise.
        env: { ...env, HOST: host, SIM: sim && i === 1 ? "on" : "off" },
        onLine: (l) => console.log(`[n${i}] ${l}`),
      });
      nodes.push(node);
      const backend: Backend = { index: i, port: node.port, alive: true };
      backends.push(backend);
      node.proc.once("exit", (code, signal) => {
        backend.alive = false;
        if (stopping) return;
        const left = backends.filter((b) => b.alive).length;
        console.error(
          `Gemba cluster: process ${i} (pid ${node.proc.pid}) exited (${signal ?? `code ${code}`}); it is not restarted. ` +
            `Its rooms are gone; their clients reconnect through the ${left} process(es) left.`,
        );
        if (left === 0) void stopAll(1);
      });
    }
  } catch (e) {
    console.error(`Gemba cluster: ${(e as Error).message}`);
    await stopAll(1);
  }
  await startFrontProxy(host, front, backends, (m) => console.log(`[proxy] ${m}`)).catch(async (e: Error) => {
    console.error(`Gemba cluster: cannot listen on ${host}:${front}: ${e.message}`);
    await stopAll(1);
  });
  console.log(`\n  Gemba cluster: ${n} process(es) behind http://${publicHost}:${front}/`);
  for (const node of nodes)
    console.log(`    n${node.index}: pid ${node.proc.pid}, ${node.url}, reached as /n${node.index}`);
  const journal = env["DATABASE_URL"]?.trim()
    ? "one shared journal in PostgreSQL"
    : "a SQLite journal per process (set DATABASE_URL to share it)";
  console.log(`  Redis ${env["REDIS_URL"]}, broker ${env["MQTT_URL"]}, ${journal}${sim ? ", simulator on n1" : ""}\n`);
}

void main();
