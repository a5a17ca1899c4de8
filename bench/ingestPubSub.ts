/**
 * Ingest bench, OPC UA PubSub JSON (issue #15 acceptance): messages/s and points/s absorbed into the twin when the
 * plant's data arrives as OPC Publisher NetworkMessages (several DataSetMessages per message, several fields each),
 * beside a bare mqtt.js subscriber in the same process on the same stream (counting, and counting + JSON.parse).
 *
 *   npx tsx bench/ingestPubSub.ts [--count 20000] [--reps 3] [--writers 3] [--fields 10]
 *
 * The demo plant is copied with its bindings replaced by one `opcua-json` binding per DataSetWriter (bench/
 * pubsubLayout.ts): its 300 points in 10 writer groups (topics) of 3 writers × 10 fields, so one NetworkMessage
 * carries 30 points. The publisher child sends --count NetworkMessages as fast as it can at QoS 0, the groups in
 * turn; the rate is taken between the first and the last change of the receiver's counter (bench/ingest.ts's
 * method), variants alternating order over repetitions; medians are reported. Results: bench/results/ingest-pubsub.json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  BROKER,
  ROOT,
  countersSince,
  demoPoints,
  machineInfo,
  median,
  numberArg,
  printTable,
  round,
  sleep,
  spawnChild,
  startBenchServer,
  uniquePrefix,
  writeResult,
} from "./common.ts";
import { bareSubscriber, measure } from "./ingest.ts";
import { bindings, layout } from "./pubsubLayout.ts";
import type { PublishReport } from "./publisher.ts";

const COUNT = numberArg("count", 20_000);
const REPS = numberArg("reps", 3);
const WRITERS = numberArg("writers", 3);
const FIELDS = numberArg("fields", 10);

type Variant = "gemba" | "bare" | "bare+parse";
const VARIANTS: Variant[] = ["gemba", "bare", "bare+parse"];

async function main(): Promise<void> {
  const points = await demoPoints();
  const plantsDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-bench-pubsub-"));
  fs.cpSync(path.join(ROOT, "assets/plants/demo"), path.join(plantsDir, "demo"), { recursive: true });
  const plantFile = path.join(plantsDir, "demo", "plant.json");
  const doc = JSON.parse(fs.readFileSync(plantFile, "utf8")) as { bindings: unknown[] };
  doc.bindings = bindings(layout(points, "", WRITERS, FIELDS), points, "");
  fs.writeFileSync(plantFile, JSON.stringify(doc));

  const srv = await startBenchServer({ PLANTS_DIR: plantsDir });
  const rt = srv.server.hub.loaded()[0];
  if (!rt) throw new Error("ingest-pubsub bench: the server has no plant loaded");
  const pub = spawnChild("publisher.ts");
  const runs: {
    variant: Variant;
    rep: number;
    sent: number;
    messagesPerS: number;
    pointsPerS: number;
    handledOverSent: number;
    outcomes?: Record<string, number>;
  }[] = [];
  try {
    for (let rep = 0; rep < REPS; rep++) {
      const order = rep % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        const prefix = variant === "gemba" ? srv.prefix : uniquePrefix("bps");
        const groups = layout(points, prefix, WRITERS, FIELDS);
        const perMessage = points.length / groups.length;
        pub.send({ type: "config", url: BROKER, prefix, points, tsFormat: "float" });
        await pub.next("ready");
        pub.send({ type: "pubsub", groups });
        await pub.next("ready");
        if (variant === "gemba") {
          const before = { ...rt.ingest.counters };
          pub.send({ type: "burst", count: COUNT });
          const m = await measure(() => rt.ingest.counters.samplesApplied, pub.next<PublishReport>("done", 180_000));
          const outcomes = countersSince(before, rt.ingest.counters);
          runs.push({
            variant,
            rep,
            sent: m.report.sent,
            messagesPerS: Math.round(m.rate / perMessage),
            pointsPerS: Math.round(m.rate),
            handledOverSent: round((outcomes["applied"] ?? 0) / m.report.sent, 4),
            outcomes,
          });
        } else {
          const sub = await bareSubscriber(`${prefix}opcpublisher/+`, variant === "bare+parse");
          pub.send({ type: "burst", count: COUNT });
          const m = await measure(sub.count, pub.next<PublishReport>("done", 180_000));
          const n = sub.count();
          await sub.end();
          runs.push({
            variant,
            rep,
            sent: m.report.sent,
            messagesPerS: Math.round(m.rate),
            pointsPerS: Math.round(m.rate * perMessage),
            handledOverSent: round(n / m.report.sent, 4),
          });
        }
        console.log(JSON.stringify(runs[runs.length - 1]));
        await sleep(300);
      }
    }
  } finally {
    await pub.stop();
    await srv.stop();
    fs.rmSync(plantsDir, { recursive: true, force: true });
  }
  const med = (v: Variant, k: "messagesPerS" | "pointsPerS" | "handledOverSent") =>
    median(runs.filter((r) => r.variant === v).map((r) => r[k]));
  const table = VARIANTS.map((v) => ({
    receiver: v === "gemba" ? "Gemba (opcua-json into the twin)" : v,
    "messages/s": Math.round(med(v, "messagesPerS")),
    "points/s": Math.round(med(v, "pointsPerS")),
    "× bare": round(med(v, "messagesPerS") / med("bare", "messagesPerS"), 2),
    "handled/sent": med(v, "handledOverSent"),
  }));
  const title = `Ingest, OPC UA PubSub JSON: ${WRITERS} DataSetMessages × ${FIELDS} fields per NetworkMessage (median of ${REPS})`;
  printTable(title, table);
  const file = writeResult("ingest-pubsub", {
    bench: "ingest-pubsub",
    at: new Date().toISOString(),
    machine: machineInfo(),
    params: { count: COUNT, reps: REPS, writersPerMessage: WRITERS, fieldsPerWriter: FIELDS, points: points.length },
    runs,
    table,
  });
  console.log(`wrote ${file}`);
}

await main();
process.exit(0);
