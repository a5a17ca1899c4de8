/**
 * Beside the tool a plant engineer would pick instead: Node-RED 4 running the flow people build for live values in a
 * browser (mqtt in → json → websocket out), fed by the same publisher at the same rates as Gemba, with the same number
 * of WebSocket receivers, in the same run. Per system and rate: server CPU per delivered value, publish → client
 * latency, bytes per client. Gemba sends the latest value of each point per patch (coalescing) and Node-RED forwards
 * every message, so both "per delivered" and "per published" CPU are given.
 */
import {
  BROKER,
  demoPoints,
  median,
  nowMs,
  round,
  shift,
  spawnChild,
  startBenchServer,
  uniquePrefix,
  type PointSpec,
} from "./common.ts";
import type { ClientsReport } from "./clients.ts";
import { pacedRun, receivers, type ReceiverRun } from "./latency.ts";
import { ensureNodeRed, processCpuMs, startNodeRed } from "./nodeRedProcess.ts";
import type { Child } from "./common.ts";

export interface NodeRedParams {
  rates: number[];
  clients: number;
  warmupMs: number;
  durationMs: number;
  reps: number;
}

type System = "Gemba" | "Node-RED";

interface Row {
  system: System;
  rate: number;
  rep: number;
  sent: number;
  delivered: number;
  serverCpuCores: number;
  cpuUsPerDelivered: number;
  cpuUsPerPublished: number;
  deliveredPerClientOverSent: number;
  p50Ms: number;
  p99Ms: number;
  bytesPerClientPerS: number;
  bytesPerClientOverRawMqtt: number;
}

function row(
  system: System,
  rate: number,
  rep: number,
  p: NodeRedParams,
  r: { receivers: ReceiverRun[]; pubReport: { window: { sent: number; mqttBytesUnprefixed: number } } },
  pick: (rep: ClientsReport) => ClientsReport["sdk"],
  cpuMs: number,
): Row {
  const recv = r.receivers[0]!;
  const rr = pick(recv.report)!;
  const secs = p.durationMs / 1000;
  const sent = r.pubReport.window.sent;
  const latency = shift(rr.latency, recv.correction);
  const bytesPerClient = median(rr.socketBytes);
  return {
    system,
    rate,
    rep,
    sent,
    delivered: rr.samples,
    serverCpuCores: round(cpuMs / 1000 / secs, 3),
    cpuUsPerDelivered: round((cpuMs * 1000) / Math.max(1, rr.samples), 2),
    cpuUsPerPublished: round((cpuMs * 1000) / Math.max(1, sent), 2),
    deliveredPerClientOverSent: round(rr.samples / p.clients / Math.max(1, sent), 3),
    p50Ms: round(latency.p50Ms, 1),
    p99Ms: round(latency.p99Ms, 1),
    bytesPerClientPerS: Math.round(bytesPerClient / secs),
    bytesPerClientOverRawMqtt: round(bytesPerClient / Math.max(1, r.pubReport.window.mqttBytesUnprefixed), 3),
  };
}

async function gembaRun(pub: Child, points: PointSpec[], p: NodeRedParams, rate: number, rep: number): Promise<Row> {
  const srv = await startBenchServer();
  try {
    const r = await pacedRun({
      pub,
      points,
      prefix: srv.prefix,
      setups: [receivers({ type: "sdk", endpoint: srv.endpoint, clients: p.clients })],
      rate,
      warmupMs: p.warmupMs,
      durationMs: p.durationMs,
      srv,
    });
    // The server runs in this process; its CPU over the window is measured by pacedRun.
    const cpuMs = (r.server?.load.cpuCoreFraction ?? Number.NaN) * p.durationMs;
    return row("Gemba", rate, rep, p, r, (c) => c.sdk, cpuMs);
  } finally {
    await srv.stop();
  }
}

async function nodeRedRun(pub: Child, points: PointSpec[], p: NodeRedParams, rate: number, rep: number): Promise<Row> {
  const prefix = uniquePrefix("red");
  const red = await startNodeRed(`${prefix}gemba/demo/+/+`);
  try {
    let cpu0 = Number.NaN;
    let cpuMs = Number.NaN;
    const r = await pacedRun({
      pub,
      points,
      prefix,
      setups: [receivers({ type: "ws", url: red.url, clients: p.clients })],
      rate,
      warmupMs: p.warmupMs,
      durationMs: p.durationMs,
      srv: null,
      onWindow: (from, to) => {
        setTimeout(() => (cpu0 = processCpuMs(red.pid)), Math.max(0, from - nowMs()));
        setTimeout(() => (cpuMs = processCpuMs(red.pid) - cpu0), Math.max(0, to - nowMs()));
      },
    });
    return row("Node-RED", rate, rep, p, r, (c) => c.ws, cpuMs);
  } finally {
    await red.stop();
  }
}

export async function runNodeRed(p: NodeRedParams) {
  const nodeRedVersion = ensureNodeRed();
  const points = await demoPoints();
  const pub = spawnChild("publisher.ts");
  const rows: Row[] = [];
  try {
    for (let rep = 0; rep < p.reps; rep++) {
      for (const rate of p.rates) {
        // Alternate who goes first, so a machine that slows down over the run does not favour one system.
        const order = rep % 2 === 0 ? [gembaRun, nodeRedRun] : [nodeRedRun, gembaRun];
        for (const run of order) rows.push(await run(pub, points, p, rate, rep));
      }
    }
  } finally {
    await pub.stop();
  }
  const summary = [];
  for (const rate of p.rates) {
    for (const system of ["Gemba", "Node-RED"] as const) {
      const rs = rows.filter((r) => r.rate === rate && r.system === system);
      const med = (f: (r: Row) => number, d = 2) => round(median(rs.map(f)), d);
      summary.push({
        system,
        rate,
        reps: rs.length,
        serverCpuCores: med((r) => r.serverCpuCores, 3),
        cpuUsPerDelivered: med((r) => r.cpuUsPerDelivered),
        cpuUsPerPublished: med((r) => r.cpuUsPerPublished),
        deliveredPerClientOverSent: med((r) => r.deliveredPerClientOverSent, 3),
        p50Ms: med((r) => r.p50Ms, 1),
        p99Ms: med((r) => r.p99Ms, 1),
        bytesPerClientPerS: med((r) => r.bytesPerClientPerS, 0),
        bytesPerClientOverRawMqtt: med((r) => r.bytesPerClientOverRawMqtt, 3),
      });
    }
  }
  const table = summary.map((s) => ({
    system: s.system,
    "updates/s": s.rate,
    "server cores": s.serverCpuCores,
    "CPU µs / delivered": s.cpuUsPerDelivered,
    "CPU µs / published": s.cpuUsPerPublished,
    "delivered/sent per client": s.deliveredPerClientOverSent,
    "p50 ms": s.p50Ms,
    "p99 ms": s.p99Ms,
    "bytes/s per client": s.bytesPerClientPerS,
    "bytes ÷ raw MQTT": s.bytesPerClientOverRawMqtt,
  }));
  const ratios: Record<string, number | string | boolean | null> = {};
  for (const rate of p.rates) {
    const g = summary.find((s) => s.rate === rate && s.system === "Gemba")!;
    const n = summary.find((s) => s.rate === rate && s.system === "Node-RED")!;
    ratios[`cpuPerPublishedGembaOverNodeRed@${rate}`] = round(g.cpuUsPerPublished / n.cpuUsPerPublished, 2);
    ratios[`p99GembaOverNodeRed@${rate}`] = round(g.p99Ms / n.p99Ms, 2);
    ratios[`bytesPerClientGembaOverNodeRed@${rate}`] = round(g.bytesPerClientPerS / n.bytesPerClientPerS, 3);
  }
  ratios["goal"] =
    "side by side, no pass mark: Gemba's server CPU per published value, p99 and bytes per client over Node-RED's";
  ratios["goalMet"] = null;
  const perRep = rows.map((r) => ({
    system: r.system,
    "updates/s": r.rate,
    rep: r.rep,
    "server cores": r.serverCpuCores,
    "CPU µs / delivered": r.cpuUsPerDelivered,
    "p99 ms": r.p99Ms,
    "delivered/sent per client": r.deliveredPerClientOverSent,
    "bytes/s per client": r.bytesPerClientPerS,
  }));
  return {
    params: { ...p, points: points.length, qos: 0, broker: BROKER, nodeRedVersion },
    rows,
    summary,
    ratios,
    table,
    extraTables: [{ title: "Gemba beside Node-RED: every repetition", rows: perRep }],
  };
}
