/**
 * Wires the parts of one Gemba server process: (embedded) MQTT broker, the plant
 * hub (ingest + working memory), the optional simulator, the Colyseus room server
 * and the HTTP routes, all on one port. `startGemba` is what `npm start` and the
 * tests call; `stop` undoes it in reverse order.
 */
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import mqtt from "mqtt";
import { Server, matchMaker } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { Encoder } from "@colyseus/schema";
import { PLANT_ROOM } from "../shared/protocol.ts";
import type { Health } from "../shared/protocol.ts";
import { EmbeddedBroker } from "./broker/EmbeddedBroker.ts";
import type { Config } from "./config.ts";
import { MqttConnection } from "./ingest/MqttConnection.ts";
import { HostState, SparkplugHost } from "./ingest/sparkplug/SparkplugHost.ts";
import { deviceLink } from "./http/deviceLink.ts";
import { logOpcUaTo } from "./ingest/opcua/opcuaLog.ts";
import { installRoutes, type SimControl } from "./http/routes.ts";
import { definePlantRoom } from "./rooms/PlantRoom.ts";
import { JoinLedger, restrictMatchmaking } from "./rooms/joinPolicy.ts";
import { PlantPresence } from "./rooms/plantPresence.ts";
import { PlantHub } from "./runtime/PlantHub.ts";
import { PlantSimulator, FAULTS, type FaultName } from "./sim/PlantSimulator.ts";
import { SimPublisher } from "./sim/SimPublisher.ts";
import { systemClock, type Clock } from "./twin/Clock.ts";
import { JournalStore } from "./store/JournalStore.ts";
import { JournalDamagedError } from "./store/journalIntegrity.ts";
import { HandoffTickets, type TicketBook } from "./handoff/HandoffTickets.ts";
import { SharedTickets } from "./store/SharedTickets.ts";
import { SharedJournal } from "./store/SharedJournal.ts";
import { PlantLease } from "./runtime/PlantLease.ts";
import { ReconnectTokens } from "./auth/ReconnectTokens.ts";
import { createServerLog } from "./log.ts";
import { createAuth, type Auth } from "./auth/createAuth.ts";
import { restrictCors } from "./http/corsPolicy.ts";
import { clusterServerOptions } from "./cluster/clusterOptions.ts";
import { installMetricsRoute } from "./http/metricsRoute.ts";
import "./runtime/nodeWebSocket.ts";
import { loadTls, type TlsMaterial } from "./tls/LocalCertificate.ts";
import { LogThrottle } from "./http/logThrottle.ts";
import { privateDir } from "./auth/privateFiles.ts";
import { SourceLimits } from "./http/sourceLimits.ts";
import { EdgeGuard } from "./http/edgeGuard.ts";
import { HostAllowList } from "./http/hostAllowList.ts";
import type { WebSocketServer } from "ws";
import { newApiErrorCounters } from "./http/apiErrors.ts";
import { startWorkOrders } from "./workorders/startWorkOrders.ts";
import { startDrills } from "./drills/startDrills.ts";

export interface GembaServer {
  url: string;
  port: number;
  mqttUrl: string;
  hub: PlantHub;
  /** The certificate in use when serving HTTPS. */
  tls: TlsMaterial | null;
  stop(): Promise<void>;
}

/** Where to open the app from a headset, and how to make its browser trust the local certificate. */
function logHttps(tls: TlsMaterial, host: string, port: number, log: (m: string) => void): void {
  const everywhere = host === "0.0.0.0" || host === "::";
  const lan = tls.names.filter((n) => /^\d+\.\d+\.\d+\.\d+$/.test(n) && n !== "127.0.0.1");
  if (!tls.caFile) {
    log(`HTTPS: serving the provided certificate (valid for ${tls.names.join(", ") || "its subject"})`);
    return;
  }
  log(`HTTPS: ${tls.generated ? "generated" : "using"} the local certificate authority ${tls.caFile}`);
  log(`HTTPS: SHA-256 fingerprint ${tls.fingerprint}`);
  log(
    "HTTPS: browsers warn until they trust it, once per device: download /gemba-local-ca.pem from this server " +
      "and import it as a certificate authority (Chrome/Edge: Settings > Privacy and security > Security > Manage certificates > " +
      "Authorities > Import; Quest: open the page, choose Advanced > Proceed, or install the file under Settings > Security). " +
      "See README, HTTPS on the plant LAN.",
  );
  if (everywhere) for (const ip of lan) log(`HTTPS: on the LAN, open https://${ip}:${port}/`);
}

/** Why the plant's values are not arriving, in words for the status panel and /healthz; "" while connected. */
export function plantOffline(url: string, conn: Pick<MqttConnection, "connected" | "lastError">): string {
  if (conn.connected) return "";
  return `No connection to the plant broker at ${url}${conn.lastError ? ` (${conn.lastError})` : ""}; retrying every second.`;
}

function prefixed(prefix: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${prefix}.${k}`, v]));
}

export class StartupError extends Error {
  override name = "StartupError";
}

const pkgVersion = (): string => {
  try {
    return (JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
      .version;
  } catch {
    return "0.0.0";
  }
};

// A plant's full state (and the first playback step, which fills the playback map) exceeds the
// 8 KB default encode buffer on the demo plant and by far on the 10x plant; size it once, up front.
Encoder.BUFFER_SIZE = Math.max(Encoder.BUFFER_SIZE, 512 * 1024);

export async function startGemba(
  config: Config,
  opts: { log?: (m: string) => void; clock?: Clock } = {},
): Promise<GembaServer> {
  const clock = opts.clock ?? systemClock;
  // Log lines of one kind at most 10 a minute, the rest as a count (a flood must not flood the log).
  const throttle = new LogThrottle(opts.log ?? createServerLog().line, { now: () => Date.now() });
  const log = throttle.log;
  const flushLog = setInterval(() => throttle.flush(), 15_000);
  flushLog.unref();
  const cleanups: (() => Promise<void> | void)[] = [
    () => {
      clearInterval(flushLog);
      throttle.flush(Infinity);
    },
  ];
  const stop = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (e) {
        log(`shutdown: ${(e as Error).message}`);
      }
    }
  };
  try {
    // 1. Broker
    let mqttUrl = config.mqttUrl;
    const embedded = mqttUrl === null;
    if (embedded) {
      const broker = new EmbeddedBroker();
      await broker.start(config.mqttPort);
      cleanups.push(() => broker.stop());
      mqttUrl = broker.url;
      log(`MQTT: embedded broker on ${mqttUrl}`);
    }
    const url = mqttUrl!;

    // 2. Plant data connection (read-only unless MQTT_WRITES=on) and the plant hub
    const hostId = config.mqtt.sparkplugHostId;
    // A Sparkplug primary host registers its STATE death as the will of every CONNECT (SparkplugHost.ts).
    const hostState = hostId ? new HostState(hostId, () => clock.now()) : null;
    const conn = new MqttConnection({
      url,
      ...config.mqtt,
      log,
      ...(hostState ? { will: () => hostState.will() } : {}),
    });
    cleanups.push(() => conn.close());
    // Until the primary host's STATE birth is out, no rebirth request may go first.
    const releasePublishes = hostState ? conn.holdPublishes() : () => {};
    try {
      // A plant broker that is down (or not up yet) must not keep the plant's people out: start, show the plant
      // offline with the reason, and connect when it comes. A certificate or credential it refuses still stops us.
      await conn.connect(embedded ? 5000 : 10_000, !embedded);
    } catch (e) {
      throw new StartupError(
        `Cannot start: ${(e as Error).message}. Check MQTT_URL, or unset it to use the embedded broker.`,
      );
    }
    if (!conn.connected) log(`MQTT: ${plantOffline(url, conn)}`);
    log(
      `MQTT: ${conn.connected ? "connected to" : "will connect to"} ${url}` +
        (embedded
          ? ""
          : config.mqtt.writesEnabled
            ? ` (MQTT_WRITES=on: only Sparkplug rebirth requests${hostId ? ` and the STATE of host "${hostId}"` : ""} are published)`
            : " (read-only: Gemba subscribes and never publishes here)"),
    );
    let store: JournalStore;
    let lease: PlantLease | undefined;
    try {
      // The journal, the signing key and the TLS keys live here: for the server's user only.
      privateDir(config.dataDir);
      store = config.databaseUrl
        ? await SharedJournal.open({
            databaseUrl: config.databaseUrl,
            schema: config.databaseSchema,
            redisUrl: config.redisUrl!,
            log,
          })
        : new JournalStore(path.join(config.dataDir, "gemba.db"));
    } catch (e) {
      if (config.databaseUrl) throw new StartupError(`Cannot start: ${(e as Error).message} (check DATABASE_URL).`);
      if (e instanceof JournalDamagedError) throw new StartupError(`Cannot start: ${e.message}`);
      throw new StartupError(
        `Cannot open the journal in ${config.dataDir}: ${(e as Error).message} (set DATA_DIR to a writable folder).`,
      );
    }
    cleanups.push(() => (store instanceof SharedJournal ? store.closeAsync() : store.close()));
    if (config.databaseUrl) {
      log(`journal: PostgreSQL (schema ${config.databaseSchema}), shared by every process of this cluster`);
      // One owner per plant: the lease says which process evaluates its rules and alarm lifecycle.
      lease = new PlantLease({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, log });
      lease.start();
      const l = lease;
      cleanups.push(() => l.stop());
    } else if (config.redisUrl) {
      log("journal: SQLite in DATA_DIR, one per process (set DATABASE_URL to share journal, alarms and notes)");
    }
    // Per-address budgets, checked at the edge before any token or database work (server/http/edgeGuard.ts).
    const limits = new SourceLimits(config.edge, config.redisUrl);
    cleanups.push(() => limits.close());
    // Sign-in: development tokens or an OpenID Connect provider, and per-plant access lists (server/auth).
    let auth: Auth;
    try {
      auth = createAuth(config, {
        store,
        now: () => clock.now(),
        log,
        onRefused: (from) => void limits.refused(from),
        summaryMs: config.edge.deniedSummaryMs,
      });
    } catch (e) {
      throw new StartupError(`Cannot start sign-in: ${(e as Error).message}`);
    }
    // Refusals are journaled as one full row and one summary per address and minute; the summaries on a timer.
    const flushDenied = setInterval(() => auth.gate.flushDenied(), Math.min(15_000, config.edge.deniedSummaryMs / 2));
    flushDenied.unref();
    cleanups.push(() => {
      clearInterval(flushDenied);
      auth.gate.flushDenied(Infinity);
    });
    restrictCors();
    restrictMatchmaking();
    const joins = new JoinLedger(config.maxJoinsPerUser, () => clock.now());
    // node-opcua's own messages become lines of this log (JSON when LOG_FORMAT=json), not raw console output.
    logOpcUaTo(log);
    const hub = new PlantHub({
      plantsDir: config.plantsDir,
      mqtt: conn,
      writesEnabled: config.mqtt.writesEnabled,
      clock,
      topicPrefix: config.topicPrefix,
      store,
      log,
      unloadIdle: config.redisUrl !== null,
      maxFutureMs: config.maxFutureMs,
      forecast: { usualMs: config.forecastUsualMs },
      ...(lease ? { lease } : {}),
      opcuaPkiDir: path.join(config.dataDir, "opcua-pki"),
    });
    cleanups.push(() => hub.close());
    // In a cluster a process ingests only the plants it hosts rooms for, so the default plant is only checked here
    // (a typo still fails at start); a single process loads it now and keeps it, alarms running with nobody watching.
    let plantModel;
    try {
      plantModel = config.redisUrl ? (await hub.model(config.plant)).model : (await hub.get(config.plant)).plant.model;
    } catch (e) {
      throw new StartupError(`Cannot start: ${(e as Error).message}`);
    }

    // The plant's Sparkplug subscriptions are in place: now the primary host may say it is online.
    let sparkplugHost: SparkplugHost | null = null;
    if (hostState) {
      const host = new SparkplugHost(conn, hostState, log);
      await host.start();
      cleanups.push(() => host.stop());
      sparkplugHost = host;
    }
    releasePublishes();

    // 3. Simulator: a separate MQTT client, like any plant-side publisher.
    let sim: SimControl | null = null;
    if (config.sim) {
      const simulator = new PlantSimulator(plantModel, { seed: config.simSeed, startTime: clock.now() });
      // Not awaited: with the plant broker away the simulator waits for it like the ingest does.
      const pubClient = mqtt.connect(url, {
        clientId: `gemba-sim-${process.pid}`,
        username: config.mqtt.username,
        password: config.mqtt.password,
        protocolVersion: config.mqtt.protocolVersion,
        ca: config.mqtt.ca,
        cert: config.mqtt.cert,
        key: config.mqtt.key,
        rejectUnauthorized: config.mqtt.rejectUnauthorized,
        reconnectPeriod: 1000,
      });
      cleanups.push(() => pubClient.endAsync(true));
      const plantId = plantModel.id;
      const publisher = new SimPublisher(
        simulator,
        (topic, payload) => {
          if (pubClient.connected) pubClient.publish(topic, payload, { qos: 0 });
        },
        { topicFor: (twin, point) => `${config.topicPrefix}gemba/${plantId}/${twin}/${point}`, clock },
      );
      publisher.start();
      cleanups.push(() => publisher.stop());
      sim = {
        running: () => true,
        faults: () => simulator.activeFaults(),
        inject: (name, target, slowdown = 1) => {
          if (!(FAULTS as readonly string[]).includes(name)) {
            throw new Error(`Unknown fault "${name}"; known faults: ${FAULTS.join(", ")}.`);
          }
          simulator.injectFault(name as FaultName, target, slowdown);
          log(`simulator: fault ${name} injected on ${target}${slowdown === 1 ? "" : ` (${slowdown}× slower)`}`);
        },
        clear: (name, target) => simulator.clearFault(name as FaultName | undefined, target),
        names: FAULTS,
      };
      log(`simulator: publishing plant "${plantId}" (seed ${config.simSeed})`);
    }

    const tickets: TicketBook =
      store instanceof SharedJournal
        ? new SharedTickets(
            store.pool,
            store.schema,
            () => clock.now(),
            (n) => randomBytes(n),
            config.handoffTtlMs,
          )
        : new HandoffTickets(
            () => clock.now(),
            (n) => randomBytes(n),
            config.handoffTtlMs,
          );

    // Drills run on sandbox twins of this process, fed by their own simulators (never the plant broker).
    const drills = startDrills({
      hub,
      store,
      dataDir: config.dataDir,
      seed: config.simSeed,
      clock,
      newId: () => randomBytes(5).toString("hex"),
      log,
    });
    cleanups.push(() => drills.close());
    // A drill the previous process left running ends here, recorded as stopped by the restart (docs/TRAINING.md).
    await drills.recover();

    // 4. HTTP(S) + Colyseus on one port. Colyseus owns the express app it routes non-matchmaking requests to.
    let tls: TlsMaterial | null = null;
    if (config.https) {
      try {
        tls = await loadTls(
          { certFile: config.tlsCert, keyFile: config.tlsKey, dir: path.join(config.dataDir, "tls") },
          log,
        );
      } catch (e) {
        throw new StartupError(`Cannot start HTTPS: ${(e as Error).message}`);
      }
    }
    const httpServer = tls ? https.createServer({ key: tls.key, cert: tls.cert }) : http.createServer();
    // 2 MiB: large enough that an oversized annotation reaches validation and gets a clear refusal, not a bare socket close.
    const reconnectTokens = new ReconnectTokens();
    const transport = new WebSocketTransport({
      server: httpServer,
      maxPayload: 2 * 1024 * 1024,
      // A page from another origin must not open a room connection with the user's network position.
      beforeUpgrade: (req, context) => {
        // A reconnection's token, for the room's onReconnect (Colyseus hands it only to onAuth, which it skips).
        reconnectTokens.note(req.url, context.ip ?? "?");
        const origin = req.headers.get("origin");
        const host = req.headers.get("host");
        if (origin && host && new URL(origin).host !== host) {
          log(`refused a WebSocket from origin ${origin.slice(0, 100)}`);
          return new Response("Cross-origin WebSocket refused.", { status: 403 });
        }
      },
    });
    const startedAt = clock.now();
    const apiErrors = newApiErrorCounters();
    const edgeGuard = new EdgeGuard({
      hosts: new HostAllowList(config.edge.allowedHosts),
      limits,
      trustProxy: config.edge.trustProxy,
      log,
    });
    const gameServer = new Server({
      transport,
      greet: false,
      gracefullyShutdown: false,
      // Colyseus' own messages join ours: throttled, scrubbed of tokens, one format (server/log.ts).
      logger: colyseusLogger(log),
      ...clusterServerOptions(config),
      express: (app) => {
        cleanups.push(
          installMetricsRoute(app, {
            hub,
            roomStats: () => matchMaker.stats.local,
            joins: () => joins.counts,
            gate: auth.gate,
            edge: () => ({
              ...prefixed("refused", edgeGuard.refused),
              ...prefixed("api-error", apiErrors.byReason),
              "denied.sign-in": auth.gate.denied,
            }),
          }),
        );
        installRoutes(app, {
          hub,
          clientDir: config.clientDir,
          version: pkgVersion(),
          startedAt,
          now: () => clock.now(),
          mqtt: (): Health["mqtt"] => ({
            url,
            embedded,
            connected: conn.connected,
            lastError: conn.lastError,
            offline: plantOffline(url, conn),
          }),
          sparkplugHost: () => sparkplugHost?.status() ?? null,
          roomStats: () => {
            const rooms = matchMaker.stats.local;
            return { rooms: rooms.roomCount, clients: rooms.ccu };
          },
          sim,
          defaultPlant: config.plant,
          tickets,
          auth,
          store,
          trustCertificate: tls?.caCert ?? null,
          deviceLink: (pageOrigin) => {
            const a = httpServer.address();
            const port = typeof a === "object" && a ? a.port : config.port;
            return deviceLink(
              { publicUrl: config.publicUrl, host: config.host, port, https: tls !== null },
              pageOrigin,
            );
          },
          log,
          apiErrors,
          https: tls !== null,
          drillScores: drills.scores,
        });
      },
    });
    const workOrders = startWorkOrders(config, clock, log);
    if (workOrders) cleanups.push(() => workOrders.stop());
    const RoomClass = definePlantRoom({
      hub,
      tickets,
      clock,
      reconnectSeconds: config.reconnectSeconds,
      patchRateMs: config.patchRateMs,
      interest: config.interest,
      maxClients: config.maxClientsPerRoom,
      maxMessagesPerSecond: config.maxMessagesPerSecond,
      auth: auth.gate,
      joins,
      presence: new PlantPresence(),
      offline: () => plantOffline(url, conn),
      now: () => clock.now(),
      log,
      reconnectTokens,
      iceServers: config.iceServers,
      workOrders,
      drills: drills.book,
    });
    gameServer.define(PLANT_ROOM, RoomClass).filterBy(["plant"]);
    try {
      // Colyseus only logs a listen error; race it against the HTTP server's own error event.
      await new Promise<void>((resolve, reject) => {
        httpServer.once("error", reject);
        gameServer.listen(config.port, config.host).then(() => {
          httpServer.off("error", reject);
          resolve();
        }, reject);
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new StartupError(
        err.code === "EADDRINUSE"
          ? `Cannot start: port ${config.port} is in use; stop the other program or set PORT to a free port.`
          : `Cannot start the web server on ${config.host}:${config.port}: ${err.message}`,
      );
    }
    cleanups.push(() => gameServer.gracefullyShutdown(false));
    // In front of Colyseus' and Express' listeners, which listen() has just added.
    edgeGuard.install(httpServer, (transport as unknown as { wss: WebSocketServer }).wss);
    const addr = httpServer.address();
    const port = typeof addr === "object" && addr ? addr.port : config.port;
    const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    if (tls) logHttps(tls, config.host, port, log);
    return { url: `${tls ? "https" : "http"}://${shownHost}:${port}`, port, mqttUrl: url, hub, stop, tls };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Colyseus logs with console-like calls; its debug chatter stays out, the rest becomes our sentences. */
function colyseusLogger(log: (m: string) => void) {
  const say = (...args: unknown[]) =>
    log(`colyseus: ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ")}`);
  return { debug: () => {}, trace: () => {}, info: say, warn: say, error: say };
}
