/**
 * `npx tsx bench/load.ts [--clients 200] [--per-room 20] [--rate 10000] [--processes 2]
 *   [--presence-hz 20] [--decoders 10] [--warmup 10] [--seconds 30] [--minutes N]`
 *
 * Load (#10): a cluster of Gemba processes sharing Redis (REDIS_URL, its own key
 * prefix) and the real Mosquitto; hundreds of @colyseus/sdk clients, each sending
 * a head pose at 20 Hz, matchmaking through the processes in turn and filling
 * rooms of MAX_CLIENTS; a paced publisher child; a bare mqtt.js subscriber on
 * the same stream at the same time as the baseline. Reports freshness p50/p99
 * (publish -> a client decodes the value), per process event-loop delay p99, CPU,
 * RSS, and WebSocket bytes per client per second -> bench/results/load.json.
 *
 * `--minutes N` is the soak: the same load for N minutes with memory sampled every
 * 30 s from each process's /api/metrics; growth is the last 2 minutes' median RSS
 * and heap over the median of the 2 minutes after warm-up (5 min, or N/6 if
 * shorter) -> bench/results/soak.json. Clients decode all along; freshness is not
 * recorded in a soak (that would grow the clients' own memory).
 *
 * Receivers that are not the bottleneck (issue #26 item 3): 200 clients that each decode every patch cannot
 * share 2 cores with the servers (one child of 100 decoders is busy 100 % of the time, and samples wait in it).
 * So by default `--decoders 10` clients decode (the freshness sample: one child of their own, spread one per
 * room as the rooms fill) and the rest are light clients: they join with the SDK and send their presence like
 * everyone, but only count the bytes they receive. The server does the same work for both (it encodes a
 * patch once per room and writes it to every socket). Each receiver child's event-loop utilisation is reported
 * beside the freshness; `--decoders 0` makes every client decode (the earlier method).
 *
 * Processes are reached directly at their PUBLIC_ADDRESS (the LAN topology of
 * docs/SCALING.md), so no proxy shares the two cores. Run under the bench lock.
 */
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { RedisPresence } from "@colyseus/redis-presence";
import type { Metrics } from "../server/http/metricsRoute.ts";
import { freePort } from "../kit/freePort.ts";
import { startNode, type ClusterNode } from "../scripts/clusterNodes.ts";
import { devToken } from "../kit/devSignIn.ts";
import {
  BROKER,
  demoPoints,
  machineInfo,
  median,
  nowMs,
  printTable,
  round,
  sleep,
  spawnChild,
  uniquePrefix,
  writeResult,
  type Child,
} from "./common.ts";
import { pacedRun } from "./latency.ts";
import type { LatencyStats } from "./clients.ts";

const REDIS = process.env["BENCH_REDIS_URL"] ?? "redis://127.0.0.1:6379/0";

interface Params {
  clients: number;
  perRoom: number;
  rate: number;
  processes: number;
  presenceHz: number;
  /** Clients that decode (the freshness sample); 0 or ≥ clients: all decode. */
  decoders: number;
  warmupS: number;
  seconds: number;
  minutes: number | null;
}

function parseArgs(argv: string[]): Params {
  const p: Params = {
    clients: 200,
    perRoom: 20,
    rate: 10_000,
    processes: 2,
    presenceHz: 20,
    decoders: 10,
    warmupS: 10,
    seconds: 30,
    minutes: null,
  };
  const keys: Record<string, keyof Params> = {
    "--clients": "clients",
    "--per-room": "perRoom",
    "--rate": "rate",
    "--processes": "processes",
    "--presence-hz": "presenceHz",
    "--decoders": "decoders",
    "--warmup": "warmupS",
    "--seconds": "seconds",
    "--minutes": "minutes",
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = keys[argv[i]!];
    const v = Number(argv[i + 1]);
    if (!key || !Number.isFinite(v) || v < 0) {
      throw new Error(
        `Unknown or bad option "${argv[i]} ${argv[i + 1] ?? ""}"; options: ${Object.keys(keys).join(" ")}.`,
      );
    }
    p[key] = v;
  }
  return p;
}

interface Sample {
  t: number;
  node: number;
  m: Metrics;
}

async function metricsOf(node: ClusterNode): Promise<Metrics | null> {
  try {
    // /api/metrics is for administrators (docs/SECURITY.md); the bench's nodes use development sign-in.
    const token = await devToken(node.url, "Bench admin", "admin");
    const res = await fetch(`${node.url}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
    return (await res.json()) as Metrics;
  } catch {
    return null;
  }
}

/** Polls every process's /api/metrics every `everyMs` until stopped. */
function poller(nodes: ClusterNode[], everyMs: number) {
  const samples: Sample[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const t = nowMs();
      const ms = await Promise.all(nodes.map(metricsOf));
      ms.forEach((m, i) => m && samples.push({ t, node: nodes[i]!.index, m }));
      await sleep(Math.max(0, everyMs - (nowMs() - t)));
    }
  })();
  return {
    samples,
    stop: async () => {
      on = false;
      await loop;
    },
  };
}

const mib = (b: number) => round(b / 2 ** 20, 1);

/** Per process over [from, to]: CPU share of one core, event-loop lag p99 (worst 10 s window inside), RSS at the end. */
function perProcess(samples: Sample[], nodes: ClusterNode[], from: number, to: number) {
  return nodes.map((node) => {
    const mine = samples.filter((s) => s.node === node.index);
    const inside = mine.filter((s) => s.t >= from && s.t <= to + 5000);
    const first = inside[0];
    const last = inside[inside.length - 1];
    const cpu =
      first && last && last.t > first.t
        ? (last.m.cpuUserMicros + last.m.cpuSystemMicros - first.m.cpuUserMicros - first.m.cpuSystemMicros) /
          1000 /
          (last.t - first.t)
        : Number.NaN;
    // A 10 s delay window lies inside the measured window when it was read at least 10 s after `from`.
    const windows = inside.filter((s) => s.t >= from + 10_000 && s.m.eventLoopDelay.lastWindow);
    const p99s = windows.map((s) => s.m.eventLoopDelay.lastWindow!.p99Ms);
    return {
      process: node.index,
      rooms: last?.m.rooms ?? 0,
      clients: last?.m.clients ?? 0,
      plants: last?.m.plants.map((p) => p.id) ?? [],
      cpuCoreFraction: round(cpu, 3),
      eventLoopDelayP99Ms: p99s.length ? Math.max(...p99s) : Number.NaN,
      eventLoopDelayP99MedianMs: p99s.length ? median(p99s) : Number.NaN,
      rssMiB: last ? mib(last.m.rssBytes) : Number.NaN,
      heapUsedMiB: last ? mib(last.m.heapUsedBytes) : Number.NaN,
    };
  });
}

function shift(s: LatencyStats, by: number): LatencyStats {
  const f = (x: number) => round(x + by, 2);
  return {
    ...s,
    meanMs: f(s.meanMs),
    p50Ms: f(s.p50Ms),
    p95Ms: f(s.p95Ms),
    p99Ms: f(s.p99Ms),
    p999Ms: f(s.p999Ms),
    maxMs: f(s.maxMs),
  };
}

async function cleanRedis(keyPrefix: string): Promise<void> {
  const presence = new RedisPresence(REDIS);
  // RedisPresence has no KEYS/DEL-many; its ioredis client does.
  const redis = (
    presence as unknown as { pub: { keys(p: string): Promise<string[]>; del(...k: string[]): Promise<number> } }
  ).pub;
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length) await redis.del(...keys);
  presence.shutdown();
}

async function startCluster(p: Params, prefix: string, keyPrefix: string, dataRoot: string): Promise<ClusterNode[]> {
  const devKey = randomBytes(32).toString("base64url") + "\n";
  const nodes: ClusterNode[] = [];
  for (let i = 1; i <= p.processes; i++) {
    const port = await freePort();
    nodes.push(
      await startNode({
        index: i,
        port,
        publicAddress: `127.0.0.1:${port}`,
        dataDir: path.join(dataRoot, `node-${i}`),
        devKey,
        env: {
          ...process.env,
          HOST: "127.0.0.1",
          MQTT_URL: BROKER,
          MQTT_TOPIC_PREFIX: prefix,
          SIM: "off",
          MAX_CLIENTS: String(p.perRoom),
          REDIS_URL: `${REDIS}?keyPrefix=${encodeURIComponent(keyPrefix)}`,
        },
      }),
    );
  }
  return nodes;
}

/** Clients matchmake through the processes in turn, one clients child per process. */
function clientSetups(p: Params, nodes: ClusterNode[]) {
  return nodes.map((node, i) => async (cli: Child) => {
    const n = Math.floor(p.clients / nodes.length) + (i < p.clients % nodes.length ? 1 : 0);
    cli.send({
      type: "sdk",
      endpoint: node.url.replace(/^http/, "ws"),
      clients: n,
      presenceHz: p.presenceHz,
      namePrefix: `n${node.index}-`,
    });
    await cli.next("ready", 600_000);
  });
}

/**
 * Light clients and the decoding sample, room by room in a fixed order: each round fills one room (rooms fill
 * before a new one opens), with its share of decoders first, so the sample is spread over the rooms and processes.
 */
function splitSetup(p: Params, nodes: ClusterNode[]) {
  return async (clis: Child[]) => {
    const light = clis.slice(0, nodes.length);
    const decoders = clis[nodes.length]!;
    const rooms = Math.ceil(p.clients / p.perRoom);
    let left = p.decoders;
    for (let i = 0; i < rooms; i++) {
      const size = Math.min(p.perRoom, p.clients - i * p.perRoom);
      const d = Math.min(size, left, Math.ceil(left / (rooms - i)));
      const node = nodes[i % nodes.length]!;
      const endpoint = node.url.replace(/^http/, "ws");
      const join = async (cli: Child, n: number, decode: boolean) => {
        if (n <= 0) return;
        const namePrefix = `${decode ? "d" : "l"}${i}-`;
        cli.send({ type: "sdk", endpoint, clients: n, presenceHz: p.presenceHz, namePrefix, decode });
        await cli.next("ready", 600_000);
      };
      await join(decoders, d, true);
      await join(light[i % nodes.length]!, size - d, false);
      left -= d;
    }
  };
}

async function runLoad(p: Params, nodes: ClusterNode[], prefix: string) {
  const points = await demoPoints();
  const pub = spawnChild("publisher.ts");
  const poll = poller(nodes, 5000);
  const split = p.decoders > 0 && p.decoders < p.clients;
  const roles = split ? [...nodes.map(() => "light"), "decoders", "bare"] : [...nodes.map(() => "decoders"), "bare"];
  const bareSetup = async (cli: Child) => {
    cli.send({ type: "mqtt", url: BROKER, filter: `${prefix}gemba/demo/+/+` });
    await cli.next("ready");
  };
  try {
    const r = await pacedRun({
      pub,
      points,
      prefix,
      setups: split ? roles.map(() => async () => {}) : [...clientSetups(p, nodes), bareSetup],
      ...(split
        ? {
            setupAll: async (clis: Child[]) => {
              await splitSetup(p, nodes)(clis);
              await bareSetup(clis[clis.length - 1]!);
            },
          }
        : {}),
      rate: p.rate,
      warmupMs: p.warmupS * 1000,
      durationMs: p.seconds * 1000,
      srv: null,
    });
    await poll.stop();
    const { from, to, sent } = r.pubReport.window;
    const sdkRuns = r.receivers.filter((_, i) => roles[i] === "decoders");
    const lightRuns = r.receivers.filter((_, i) => roles[i] === "light");
    const bare = r.receivers[roles.length - 1]!;
    const sdk = sdkRuns.map((s) => shift(s.report.sdk!.latency, s.correction));
    const bareLatency = shift(bare.report.mqtt!.latency, bare.correction);
    const socketBytes = [
      ...sdkRuns.flatMap((s) => s.report.sdk!.socketBytes),
      ...lightRuns.flatMap((s) => s.report.light?.socketBytes ?? []),
    ];
    const decoding = sdkRuns.reduce((n, s) => n + s.report.sdk!.socketBytes.length, 0);
    const receiversLoad = r.receivers.map((s, i) => ({
      role: roles[i]!,
      clients: (s.report.sdk?.socketBytes.length ?? 0) + (s.report.light?.socketBytes.length ?? 0),
      eventLoopUtilization: s.report.load?.eventLoopUtilization ?? Number.NaN,
      cpuCoreFraction: s.report.load?.cpuCoreFraction ?? Number.NaN,
    }));
    const secs = (to - from) / 1000;
    const processes = perProcess(poll.samples, nodes, from, to);
    const freshness = {
      /** The worse of the clients children (each holds the clients that matchmade through one process). */
      p50Ms: Math.max(...sdk.map((s) => s.p50Ms)),
      p99Ms: Math.max(...sdk.map((s) => s.p99Ms)),
      perChild: sdk,
      bare: bareLatency,
    };
    const bytesPerClientPerS = round(socketBytes.reduce((a, b) => a + b, 0) / socketBytes.length / secs, 0);
    return {
      sentInWindow: sent,
      windowSeconds: round(secs, 1),
      freshness,
      seenPerClientOverSent: round(
        sdkRuns.reduce((n, s) => n + s.report.sdk!.samples, 0) / Math.max(1, decoding) / Math.max(1, sent),
        4,
      ),
      bareReceivedOverSent: round(bare.report.mqtt!.samples / Math.max(1, sent), 4),
      bytesPerClientPerS,
      decodingClients: decoding,
      lightClients: socketBytes.length - decoding,
      /** Distinct rooms the decoding sample sat in. */
      decoderRooms: new Set(sdkRuns.flatMap((s) => s.report.sdkRooms)).size,
      receiversLoad,
      /** A receiver child busier than this is a bottleneck: its samples wait in it, and freshness describes the bench. */
      receiversSaturated: receiversLoad.some((l) => l.eventLoopUtilization > 0.8),
      processes,
      points: points.length,
    };
  } finally {
    await poll.stop();
    await pub.stop();
  }
}

async function runSoak(p: Params, nodes: ClusterNode[], prefix: string) {
  const minutes = p.minutes!;
  const points = await demoPoints();
  const pub = spawnChild("publisher.ts");
  const clis = nodes.map(() => spawnChild("clients.ts"));
  const poll = poller(nodes, 30_000);
  try {
    await Promise.all(clientSetups(p, nodes).map((setup, i) => setup(clis[i]!)));
    pub.send({ type: "config", url: BROKER, prefix, points, tsFormat: "float" });
    await pub.next("ready");
    const t0 = nowMs();
    pub.send({ type: "paced", rate: p.rate, warmupMs: 0, durationMs: minutes * 60_000 });
    await pub.next("done", minutes * 60_000 + 120_000);
    await poll.stop();
    const warm = Math.min(5, minutes / 6) * 60_000;
    const series = nodes.map((node) => {
      const mine = poll.samples.filter((s) => s.node === node.index && s.t >= t0);
      const at = (a: number, b: number) => mine.filter((s) => s.t >= t0 + a && s.t < t0 + b);
      const base = at(warm, warm + 2 * 60_000);
      const end = at(minutes * 60_000 - 2 * 60_000, Infinity);
      const med = (xs: Sample[], f: (m: Metrics) => number) => median(xs.map((s) => f(s.m)));
      const rss0 = med(base, (m) => m.rssBytes);
      const rss1 = med(end, (m) => m.rssBytes);
      const heap0 = med(base, (m) => m.heapUsedBytes);
      const heap1 = med(end, (m) => m.heapUsedBytes);
      return {
        process: node.index,
        samples: mine.map((s) => ({
          minute: round((s.t - t0) / 60_000, 2),
          rssMiB: mib(s.m.rssBytes),
          heapUsedMiB: mib(s.m.heapUsedBytes),
          eventLoopP99Ms: s.m.eventLoopDelay.lastWindow?.p99Ms ?? null,
          rooms: s.m.rooms,
          clients: s.m.clients,
        })),
        afterWarmup: { rssMiB: mib(rss0), heapUsedMiB: mib(heap0) },
        atEnd: { rssMiB: mib(rss1), heapUsedMiB: mib(heap1) },
        rssGrowthPct: round(((rss1 - rss0) / rss0) * 100, 1),
        heapGrowthPct: round(((heap1 - heap0) / heap0) * 100, 1),
      };
    });
    return { warmupMinutes: round(warm / 60_000, 2), series, points: points.length };
  } finally {
    await poll.stop();
    for (const c of clis) {
      c.send({ type: "report" });
      await c.next("report", 60_000).catch(() => {});
    }
    await Promise.all(clis.map((c) => c.stop()));
    await pub.stop();
  }
}

async function main(): Promise<void> {
  const p = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  const prefix = uniquePrefix("lod");
  const keyPrefix = `gemba-bench-${prefix.slice(10, 18)}:`;
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-load-"));
  const t0 = performance.now();
  const nodes = await startCluster(p, prefix, keyPrefix, dataRoot);
  try {
    if (p.minutes) {
      console.log(
        `soak: ${p.minutes} min, ${p.clients} clients (${p.perRoom}/room, ${p.presenceHz} Hz presence), ${p.rate} updates/s`,
      );
      const soak = await runSoak(p, nodes, prefix);
      printTable(
        `Soak: memory per process after ${soak.warmupMinutes} min warm-up and at the end (${p.minutes} min)`,
        soak.series.map((s) => ({
          process: s.process,
          "RSS after warm-up MiB": s.afterWarmup.rssMiB,
          "RSS end MiB": s.atEnd.rssMiB,
          "RSS growth %": s.rssGrowthPct,
          "heap after warm-up MiB": s.afterWarmup.heapUsedMiB,
          "heap end MiB": s.atEnd.heapUsedMiB,
          "heap growth %": s.heapGrowthPct,
        })),
      );
      const worst = Math.max(...soak.series.map((s) => s.rssGrowthPct));
      const file = writeResult("soak", {
        bench: "soak",
        machine,
        loadAvg1mAtEnd: round(os.loadavg()[0]!, 2),
        seconds: round((performance.now() - t0) / 1000, 1),
        params: { ...p, broker: BROKER, redis: REDIS, topology: "processes reached directly at PUBLIC_ADDRESS" },
        ...soak,
        ratios: { goal: "RSS growth < 10% after warm-up", worstRssGrowthPct: worst, goalMet: worst < 10 },
      });
      console.log(
        `goal: RSS growth < 10% after warm-up -> ${worst < 10 ? "met" : "MISSED"} (worst ${worst}%)\nwrote ${file}`,
      );
    } else {
      console.log(
        `load: ${p.clients} clients (${p.perRoom}/room, ${p.presenceHz} Hz presence), ${p.rate} updates/s, ${p.processes} processes`,
      );
      const r = await runLoad(p, nodes, prefix);
      printTable(`Load: ${p.clients} SDK clients, ${p.rate} updates/s, ${p.processes} processes (ms)`, [
        {
          decoding: `${r.decodingClients} in ${r.decoderRooms} rooms`,
          light: r.lightClients,
          "fresh p50": r.freshness.p50Ms,
          "fresh p99": r.freshness.p99Ms,
          "bare p50": r.freshness.bare.p50Ms,
          "bare p99": r.freshness.bare.p99Ms,
          "seen/sent": r.seenPerClientOverSent,
          "bytes/client/s": r.bytesPerClientPerS,
        },
      ]);
      printTable(
        "Receivers (child processes)",
        r.receiversLoad.map((l) => ({
          role: l.role,
          clients: l.clients,
          "loop utilisation": l.eventLoopUtilization,
          "CPU (cores)": l.cpuCoreFraction,
        })),
      );
      if (r.receiversSaturated)
        console.log("receivers saturated (loop utilisation > 0.8): the freshness above describes the bench too");
      printTable(
        "Per process",
        r.processes.map((s) => ({
          process: s.process,
          rooms: s.rooms,
          clients: s.clients,
          plants: s.plants.join(",") || "-",
          "CPU (cores)": s.cpuCoreFraction,
          "loop lag p99 ms": s.eventLoopDelayP99Ms,
          "RSS MiB": s.rssMiB,
        })),
      );
      const ok = r.freshness.p99Ms <= 100;
      const file = writeResult("load", {
        bench: "load",
        machine,
        loadAvg1mAtEnd: round(os.loadavg()[0]!, 2),
        seconds: round((performance.now() - t0) / 1000, 1),
        params: { ...p, broker: BROKER, redis: REDIS, topology: "processes reached directly at PUBLIC_ADDRESS" },
        ...r,
        ratios: {
          goal: `freshness p99 <= 100 ms at ${p.rate} updates/s with ${p.clients} clients on ${p.processes} processes`,
          p99OverBareP99: round(r.freshness.p99Ms / r.freshness.bare.p99Ms, 1),
          goalMet: ok,
          receiversSaturated: r.receiversSaturated,
        },
      });
      console.log(`goal: freshness p99 <= 100 ms -> ${ok ? "met" : "MISSED"}\nwrote ${file}`);
    }
  } catch (e) {
    for (const n of nodes) console.error(`--- process ${n.index} output (tail) ---\n${n.output().slice(-3000)}`);
    throw e;
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await cleanRedis(keyPrefix).catch((e: Error) => console.error(`redis cleanup: ${e.message}`));
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
