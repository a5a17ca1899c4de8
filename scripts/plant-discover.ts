/**
 * `npm run plant:discover -- --mqtt mqtt://host:1883 [--seconds 30] [--out dir] [--topic filter]`:
 * listen to a plant broker for a while (read-only: subscribe, never publish), show what is found as
 * it comes (messages, topics, Sparkplug edge nodes and devices), then write a starter plant that
 * passes `npm run plant:check` and starts as it is. `--opcua opc.tcp://host:4840` browses an OPC UA
 * server instead (discover/discoverOpcUa.ts). Exit 0 written, 1 failed, 2 bad usage.
 */
import path from "node:path";
import { randomUUID } from "node:crypto";
import mqtt from "mqtt";
import { BrokerSurvey } from "./discover/BrokerSurvey.ts";
import { discoverOpcUa } from "./discover/discoverOpcUa.ts";
import { parseDiscoverArgs, shownUrl, USAGE, UsageError, type DiscoverOptions } from "./discover/options.ts";
import { buildStarterPlant, DiscoverError, writeStarterPlant } from "./discover/starterPlant.ts";

function progressLine(s: BrokerSurvey, elapsed: number, total: number): string {
  const p = s.progress();
  return (
    `${String(Math.round(elapsed)).padStart(4)} s of ${total}: ${p.messages} messages, ${p.topics} topics, ` +
    `${p.edgeNodes} Sparkplug edge node${p.edgeNodes === 1 ? "" : "s"}, ${p.devices} device${p.devices === 1 ? "" : "s"}`
  );
}

async function survey(o: DiscoverOptions & { mqtt: string }): Promise<BrokerSurvey> {
  const s = new BrokerSurvey();
  const client = mqtt.connect(o.mqtt, {
    clientId: `gemba-discover-${randomUUID().slice(0, 8)}`,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
  });
  // Attached before SUBSCRIBE: retained last-known values arrive right after it.
  client.on("message", (topic, payload) => s.observe(topic, payload, Date.now()));
  try {
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
      client.once("close", () => reject(new Error("the connection closed")));
    });
    await client.subscribeAsync(o.topics, { qos: 0 });
  } catch (e) {
    client.end(true);
    throw new DiscoverError(`Cannot listen to ${shownUrl(o.mqtt)}: ${(e as Error).message}.`);
  }
  console.error(`Listening to ${shownUrl(o.mqtt)} (${o.topics.join(", ")}) for ${o.seconds} s; nothing is published.`);
  const tty = process.stderr.isTTY;
  const started = Date.now();
  await new Promise<void>((resolve) => {
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      const elapsed = (Date.now() - started) / 1000;
      const done = elapsed >= o.seconds;
      if (tty) process.stderr.write(`\r${progressLine(s, elapsed, o.seconds)}${done ? "\n" : ""}`);
      else if (done || ticks % 5 === 0) process.stderr.write(`${progressLine(s, elapsed, o.seconds)}\n`);
      if (done) {
        clearInterval(timer);
        resolve();
      }
    }, 1000);
  });
  await client.endAsync();
  return s;
}

async function main(argv: string[]): Promise<number> {
  let o: DiscoverOptions;
  try {
    if (argv.includes("--help") || argv.includes("-h")) {
      console.log(USAGE);
      return 0;
    }
    o = parseDiscoverArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (o.opcua !== undefined) return discoverOpcUa({ ...o, opcua: o.opcua });
  const mqttUrl = o.mqtt!;
  try {
    const s = await survey({ ...o, mqtt: mqttUrl });
    const starter = buildStarterPlant(s, { id: o.id, name: o.name, source: shownUrl(mqttUrl), at: Date.now() });
    const out = path.resolve(o.out);
    writeStarterPlant(out, starter);
    const plant = starter.plant as { twins: unknown[]; areas: unknown[]; bindings: unknown[] };
    console.log(
      `Wrote ${out}: ${plant.twins.length} assets in ${plant.areas.length} areas, ${starter.interfaces.length} kinds of asset ` +
        `(models/), ${plant.bindings.length} bindings.`,
    );
    const f = starter.found;
    console.log(
      `  found: ${f.sparkplug} assets from Sparkplug B edge nodes and devices, ${f.json} from JSON topics (UNS), ` +
        `${f.opcua} from OPC UA PubSub JSON writers`,
    );
    for (const [why, r] of s.ignored) console.log(`  not used: ${r.count} × ${why} (e.g. ${r.example})`);
    for (const n of starter.notes) console.log(`  note: ${n}`);
    console.log(
      `Check it:  npm run plant:check -- ${o.out}\n` +
        `Start it:  PLANTS_DIR=${path.dirname(o.out)} PLANT=${o.id} MQTT_URL=${shownUrl(mqttUrl)} npm start`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof DiscoverError)) throw e;
    console.error(e.message);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
