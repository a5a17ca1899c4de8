/**
 * MQTT connection settings from environment variables: protocol version, TLS files,
 * credentials, the one write permission and the Sparkplug primary host id. Validated once at start-up; a bad value
 * throws an Error whose message is one sentence naming the variable.
 */
import fs from "node:fs";
import path from "node:path";

export interface MqttEnv {
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** false only with MQTT_TLS_INSECURE=on. */
  rejectUnauthorized: boolean;
  /**
   * MQTT_WRITES=on. All it enables: Sparkplug rebirth requests (NCMD Node Control/Rebirth), and the
   * primary host's STATE messages when `sparkplugHostId` is set. Nothing else is ever written.
   */
  writesEnabled: boolean;
  /** SPARKPLUG_HOST_ID: act as this Sparkplug 3.0 primary host application (spBv1.0/STATE/<id>); null = not one. */
  sparkplugHostId: string | null;
}

/** A Sparkplug host id is one topic level: no "/", no wildcards (Sparkplug 3.0, topic namespace elements); no spaces. */
export const SPARKPLUG_HOST_ID_PATTERN = /^[^/+#\s]{1,128}$/;

function sparkplugHostId(env: NodeJS.ProcessEnv, writesEnabled: boolean): string | null {
  const raw = env["SPARKPLUG_HOST_ID"]?.trim();
  if (!raw) return null;
  if (!SPARKPLUG_HOST_ID_PATTERN.test(raw)) {
    throw new Error(
      `SPARKPLUG_HOST_ID must be one topic level of up to 128 characters without "/", "+", "#" or spaces, got "${raw}".`,
    );
  }
  if (!writesEnabled) {
    throw new Error(
      "SPARKPLUG_HOST_ID makes Gemba a Sparkplug primary host, which publishes its STATE to the broker; set MQTT_WRITES=on too, or remove SPARKPLUG_HOST_ID.",
    );
  }
  return raw;
}

function onOff(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return def;
  if (["on", "1", "true", "yes"].includes(raw)) return true;
  if (["off", "0", "false", "no"].includes(raw)) return false;
  throw new Error(`${name} must be "on" or "off", got "${env[name]}".`);
}

function readFile(env: NodeJS.ProcessEnv, name: string, root: string): Buffer | undefined {
  const file = env[name]?.trim();
  if (!file) return undefined;
  const abs = path.resolve(root, file);
  try {
    return fs.readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "it is a directory"
            : (e as Error).message;
    throw new Error(`${name} names "${abs}", which cannot be read (${why}).`);
  }
}

/**
 * MQTT_VERSION defaults to 5 against an external broker (MQTT_URL) and to 3.1.1 with the
 * embedded one: aedes 1.2 refuses MQTT 5 clients ("Unacceptable protocol version", tried).
 */
export function parseMqttEnv(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): MqttEnv {
  const url = env["MQTT_URL"]?.trim() || null;
  const rawVersion = env["MQTT_VERSION"]?.trim();
  let protocolVersion: 4 | 5;
  if (!rawVersion) protocolVersion = url ? 5 : 4;
  else if (rawVersion === "5" || rawVersion === "5.0") protocolVersion = 5;
  else if (rawVersion === "3.1.1" || rawVersion === "4") protocolVersion = 4;
  else throw new Error(`MQTT_VERSION must be "3.1.1" or "5", got "${rawVersion}".`);
  if (!url && protocolVersion === 5) {
    throw new Error("MQTT_VERSION=5 needs an external broker (MQTT_URL): the embedded broker speaks MQTT 3.1.1 only.");
  }

  const ca = readFile(env, "MQTT_CA_FILE", root);
  const cert = readFile(env, "MQTT_CERT_FILE", root);
  const key = readFile(env, "MQTT_KEY_FILE", root);
  if ((cert === undefined) !== (key === undefined)) {
    throw new Error("MQTT_CERT_FILE and MQTT_KEY_FILE go together: set both for a client certificate, or neither.");
  }
  const insecure = onOff(env, "MQTT_TLS_INSECURE", false);
  const tlsVar = ca ? "MQTT_CA_FILE" : cert ? "MQTT_CERT_FILE" : insecure ? "MQTT_TLS_INSECURE" : null;
  if (tlsVar && !(url && /^(mqtts|wss|tls|ssl):\/\//.test(url))) {
    throw new Error(
      `${tlsVar} is set but MQTT_URL is ${url ? `"${url}", not a TLS address` : "unset"}; use mqtts://host:8883.`,
    );
  }

  const writesEnabled = onOff(env, "MQTT_WRITES", false);
  const out: MqttEnv = {
    protocolVersion,
    rejectUnauthorized: !insecure,
    writesEnabled,
    sparkplugHostId: sparkplugHostId(env, writesEnabled),
  };
  const username = env["MQTT_USERNAME"];
  const password = env["MQTT_PASSWORD"];
  if (username) out.username = username;
  if (password) out.password = password;
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  return out;
}
