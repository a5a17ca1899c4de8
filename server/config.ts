/**
 * Configuration from environment variables, validated once at start-up.
 * Every variable is listed in README.md; a bad value ends start-up with one sentence.
 */
import path from "node:path";
import { checkSchemaName } from "./store/sharedSchema.ts";
import { ROLES, type Role } from "../shared/protocol.ts";
import { parseMqttEnv, type MqttEnv } from "./ingest/mqttOptions.ts";
import { INTEREST_SETTINGS, type InterestSetting } from "./rooms/InterestSync.ts";
import { parseAuthEnv, type AuthSettings } from "./auth/authConfig.ts";
import { parsePublicUrl } from "./http/deviceLink.ts";
import { hostOnly } from "./http/hostAllowList.ts";
import { parseEdgeEnv, type EdgeSettings } from "./http/edgeConfig.ts";
import { IceServers, type IceServer } from "../shared/iceServers.ts";
import { firstIssue } from "../shared/zodIssue.ts";
import { parseWorkOrderEnv, type WorkOrderSettings } from "./workorders/workOrderConfig.ts";

export interface Config {
  host: string;
  port: number;
  /** External broker URL, or null to run the embedded broker. */
  mqttUrl: string | null;
  mqttPort: number;
  /** Protocol version, credentials, TLS and the write switch for the plant broker. */
  mqtt: MqttEnv;
  topicPrefix: string;
  plant: string;
  plantsDir: string;
  sim: boolean;
  simSeed: number;
  reconnectSeconds: number;
  patchRateMs: number;
  clientDir: string;
  maxClientsPerRoom: number;
  /** Room messages one connection may send per second; above it the connection is closed with CloseCode.FLOODING. */
  maxMessagesPerSecond: number;
  /** Samples stamped more than this ahead of the server clock are refused as "future" (MAX_FUTURE_SECONDS). */
  maxFutureMs: number;
  /** History that says what is usual for a point before its alarm forecast may warn (FORECAST_USUAL_MINUTES; 0: no such check). */
  forecastUsualMs: number;
  /** Connections plus unused seat reservations one signed-in person may hold in this process (MAX_JOINS_PER_USER). */
  maxJoinsPerUser: number;
  /** Where the journal database (SQLite) lives. */
  dataDir: string;
  /** Role given to development sign-ins that do not ask for one. */
  devRole: Role;
  /** Interest management (INTEREST): per-client full-rate values for the areas it looks at; auto = on for large plants. */
  interest: InterestSetting;
  /** Sign-in mode (AUTH_MODE), the identity provider for oidc, and the per-plant access lists (server/auth). */
  auth: AuthSettings;
  /** Cluster: Redis shared by every process behind one address (rooms are found across processes); null = one process. */
  redisUrl: string | null;
  /** Cluster: host[:port][/path] where clients reach this process's rooms (PUBLIC_ADDRESS). */
  publicAddress: string | null;
  /**
   * Cluster: PostgreSQL holding the journal, alarm states, notes and handoff tickets of every process (DATABASE_URL);
   * null = the SQLite journal in DATA_DIR. Needs REDIS_URL (how processes hear of each other's writes).
   */
  databaseUrl: string | null;
  /** The PostgreSQL schema for Gemba's tables (DATABASE_SCHEMA, default gemba). */
  databaseSchema: string;
  /** Serve HTTPS/WSS (needed for WebXR on a LAN address). */
  https: boolean;
  /** A provided certificate and key (PEM files); without them HTTPS uses a local CA kept in DATA_DIR/tls. */
  tlsCert: string | null;
  tlsKey: string | null;
  /** Host allow-list, proxy trust and per-address limits at the HTTP/WebSocket edge (server/http/edgeConfig.ts). */
  edge: EdgeSettings;
  /** HANDOFF_CODE_SECONDS: how long a "Move to another device" code and link work. */
  handoffTtlMs: number;
  /** PUBLIC_URL: the address other devices use to reach this server (QR code and link for moving a session). */
  publicUrl: string | null;
  /** ICE_SERVERS: STUN/TURN servers handed to each participant for the voice call; [] = LAN only, nothing off-site. */
  iceServers: IceServer[];
  /** WORK_ORDER_URL (+ WORK_ORDER_TOKEN): closed incidents become work orders there; null = off (nothing leaves). */
  workOrders: WorkOrderSettings | null;
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

export class ConfigError extends Error {
  override name = "ConfigError";
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return n;
}

function onOff(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === "") return def;
  if (["on", "1", "true", "yes"].includes(raw)) return true;
  if (["off", "0", "false", "no"].includes(raw)) return false;
  throw new ConfigError(`${name} must be "on" or "off", got "${env[name]}".`);
}

function mqttEnv(env: NodeJS.ProcessEnv, root: string): MqttEnv {
  try {
    return parseMqttEnv(env, root);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

function role(raw: string | undefined): Role {
  if (!raw) return "expert";
  if ((ROLES as readonly string[]).includes(raw)) return raw as Role;
  throw new ConfigError(`DEV_ROLE must be one of ${ROLES.join(", ")}, got "${raw}".`);
}

function cluster(
  env: NodeJS.ProcessEnv,
): Pick<Config, "redisUrl" | "publicAddress" | "databaseUrl" | "databaseSchema"> {
  const redisUrl = env["REDIS_URL"]?.trim() || null;
  if (redisUrl && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must look like redis://host:6379 or rediss://host:6380/0, got "${redisUrl}".`);
  }
  const publicAddress = env["PUBLIC_ADDRESS"]?.trim() || null;
  if (publicAddress && !/^[^\s/:]+(:\d{1,5})?(\/[A-Za-z0-9_\-/]*)?$/.test(publicAddress)) {
    throw new ConfigError(
      `PUBLIC_ADDRESS must be host[:port][/path] without a scheme (e.g. gemba.plant.lan/n1), got "${publicAddress}".`,
    );
  }
  if (publicAddress && !redisUrl) {
    throw new ConfigError("PUBLIC_ADDRESS only matters in a cluster; set REDIS_URL too, or remove PUBLIC_ADDRESS.");
  }
  const databaseUrl = env["DATABASE_URL"]?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must look like postgres://user@host:5432/database, got "${databaseUrl}".`);
  }
  if (databaseUrl && !redisUrl) {
    throw new ConfigError(
      "DATABASE_URL is for a cluster: set REDIS_URL too (processes hear of each other's writes through Redis), or remove DATABASE_URL to use the SQLite journal.",
    );
  }
  const databaseSchema = env["DATABASE_SCHEMA"]?.trim() || "gemba";
  const bad = checkSchemaName(databaseSchema);
  if (bad) throw new ConfigError(bad);
  return { redisUrl, publicAddress, databaseUrl, databaseSchema };
}

const ICE_EXAMPLE = `[{"urls":"turn:turn.plant.lan:3478","username":"gemba","credential":"…"}]`;

function iceServers(raw: string | undefined): IceServer[] {
  if (!raw?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // The value is not echoed: it may hold a TURN credential, and start-up errors end up in logs.
    throw new ConfigError(`ICE_SERVERS must be a JSON list like ${ICE_EXAMPLE}; its value is not JSON.`);
  }
  const r = IceServers.safeParse(json);
  if (!r.success)
    throw new ConfigError(`ICE_SERVERS is not valid (${firstIssue(r.error)}); expected a list like ${ICE_EXAMPLE}.`);
  return r.data;
}

function workOrders(env: NodeJS.ProcessEnv): WorkOrderSettings | null {
  try {
    return parseWorkOrderEnv(env);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

function interest(raw: string | undefined): InterestSetting {
  const v = raw?.trim().toLowerCase() || "auto";
  if ((INTEREST_SETTINGS as readonly string[]).includes(v)) return v as InterestSetting;
  throw new ConfigError(`INTEREST must be one of ${INTEREST_SETTINGS.join(", ")}, got "${raw}".`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const mqttUrl = env["MQTT_URL"]?.trim() || null;
  if (mqttUrl && !/^(mqtts?|wss?|tcp|tls):\/\/[^\s]+$/.test(mqttUrl)) {
    throw new ConfigError(`MQTT_URL must look like mqtt://host:1883 or mqtts://host:8883, got "${mqttUrl}".`);
  }
  const plant = env["PLANT"]?.trim() || "demo";
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(plant)) {
    throw new ConfigError(`PLANT must be a plant id (lowercase letters, digits, dashes), got "${plant}".`);
  }
  const prefix = env["MQTT_TOPIC_PREFIX"] ?? "";
  if (/[#+]/.test(prefix)) throw new ConfigError("MQTT_TOPIC_PREFIX cannot contain MQTT wildcards (+ or #).");
  const host = env["HOST"]?.trim() || "127.0.0.1";
  let auth: AuthSettings;
  try {
    auth = parseAuthEnv(env, root);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  // Development sign-in trusts any name; beyond this machine that must be a deliberate choice.
  if (auth.mode === "dev" && !LOCAL_HOSTS.has(host) && !onOff(env, "ALLOW_DEV_REMOTE", false)) {
    throw new ConfigError(
      `HOST=${host} would let anyone on the network join with any name (development sign-in). Set AUTH_MODE=oidc, or ALLOW_DEV_REMOTE=on if that is what you want on this network.`,
    );
  }
  const tlsCert = env["TLS_CERT"]?.trim() ? path.resolve(root, env["TLS_CERT"].trim()) : null;
  const tlsKey = env["TLS_KEY"]?.trim() ? path.resolve(root, env["TLS_KEY"].trim()) : null;
  if ((tlsCert === null) !== (tlsKey === null)) {
    throw new ConfigError(
      "Set both TLS_CERT and TLS_KEY (PEM files), or neither to use a generated local certificate.",
    );
  }
  const https = onOff(env, "HTTPS", tlsCert !== null);
  if (!https && tlsCert) throw new ConfigError("TLS_CERT is set but HTTPS=off; remove one of them.");
  const clusterSettings = cluster(env);
  let edge: EdgeSettings;
  let publicUrl: string | null;
  try {
    edge = parseEdgeEnv(env, { host, publicAddress: clusterSettings.publicAddress, https });
    publicUrl = parsePublicUrl(env["PUBLIC_URL"]);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  // The name in PUBLIC_URL is one this server answers to (the Host allow-list).
  if (publicUrl) edge.allowedHosts = [...new Set([...edge.allowedHosts, hostOnly(new URL(publicUrl).host)])];
  return {
    host,
    port: int(env, "PORT", 2567, 0, 65535),
    mqttUrl,
    mqttPort: int(env, "MQTT_PORT", 1884, 0, 65535),
    mqtt: mqttEnv(env, root),
    topicPrefix: prefix,
    plant,
    plantsDir: path.resolve(root, env["PLANTS_DIR"] || "assets/plants"),
    // The simulator runs by default only against the embedded broker: never publish into a real plant broker unasked.
    sim: onOff(env, "SIM", mqttUrl === null),
    simSeed: int(env, "SIM_SEED", 1, 0, 2 ** 31 - 1),
    reconnectSeconds: int(env, "RECONNECT_SECONDS", 30, 0, 3600),
    patchRateMs: int(env, "PATCH_RATE_MS", 50, 10, 5000),
    clientDir: path.resolve(root, env["CLIENT_DIR"] || "dist/client"),
    maxClientsPerRoom: int(env, "MAX_CLIENTS", 50, 1, 1000),
    maxMessagesPerSecond: int(env, "MAX_MESSAGES_PER_SECOND", 60, 1, 1_000_000),
    // 5 s absorbs ordinary clock drift between a device and this server; a sample further ahead would freeze its
    // point (later honest samples would count as late) until the clock caught up.
    maxFutureMs: int(env, "MAX_FUTURE_SECONDS", 5, 0, 3600) * 1000,
    // An hour holds several cycles of a controlled level or a consumable (server/forecast/PlantForecaster.ts).
    forecastUsualMs: int(env, "FORECAST_USUAL_MINUTES", 60, 0, 720) * 60_000,
    maxJoinsPerUser: int(env, "MAX_JOINS_PER_USER", 10, 1, 1000),
    // 2 minutes (issue #20): enough to take off a headset and type six digits on a slow laptop, short enough that a
    // code read over a shoulder is soon worthless; a site sets 30 s to an hour.
    handoffTtlMs: int(env, "HANDOFF_CODE_SECONDS", 120, 30, 3600) * 1000,
    dataDir: path.resolve(root, env["DATA_DIR"] || "data"),
    devRole: role(env["DEV_ROLE"]),
    interest: interest(env["INTEREST"]),
    auth,
    ...clusterSettings,
    https,
    tlsCert,
    tlsKey,
    edge,
    publicUrl,
    iceServers: iceServers(env["ICE_SERVERS"]),
    workOrders: workOrders(env),
  };
}
