import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import { EmbeddedBroker } from "../../server/broker/EmbeddedBroker.ts";
import { MqttConnection } from "../../server/ingest/MqttConnection.ts";
import { parseMqttEnv } from "../../server/ingest/mqttOptions.ts";
import { MOSQUITTO, publisher } from "./harness.ts";

/** Subscribe; `got` resolves with the first payload on `topic`. (Wrapped: an async function cannot return a bare promise.) */
async function firstMessage(conn: MqttConnection, topic: string): Promise<{ got: Promise<string> }> {
  let resolve!: (s: string) => void;
  const got = new Promise<string>((r) => (resolve = r));
  await conn.subscribe(topic, (_t, payload) => resolve(payload.toString()));
  return { got };
}

describe("parseMqttEnv", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-mqttenv-"));
  const pem = path.join(tmp, "x.pem");
  fs.writeFileSync(pem, "-----BEGIN CERTIFICATE-----\n");
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("defaults: MQTT 5 against an external broker, 3.1.1 with the embedded one; verify TLS; writes off", () => {
    expect(parseMqttEnv({ MQTT_URL: "mqtt://plant:1883" })).toEqual({
      protocolVersion: 5,
      rejectUnauthorized: true,
      writesEnabled: false,
      sparkplugHostId: null,
    });
    expect(parseMqttEnv({}).protocolVersion).toBe(4);
    expect(parseMqttEnv({ MQTT_URL: "mqtt://plant:1883", MQTT_VERSION: "3.1.1" }).protocolVersion).toBe(4);
  });

  it("reads credentials, TLS files, MQTT_TLS_INSECURE and MQTT_WRITES", () => {
    const env = parseMqttEnv({
      MQTT_URL: "mqtts://plant:8883",
      MQTT_USERNAME: "gemba",
      MQTT_PASSWORD: "s3cret",
      MQTT_CA_FILE: pem,
      MQTT_CERT_FILE: pem,
      MQTT_KEY_FILE: pem,
      MQTT_TLS_INSECURE: "on",
      MQTT_WRITES: "on",
    });
    expect(env).toMatchObject({
      username: "gemba",
      password: "s3cret",
      rejectUnauthorized: false,
      writesEnabled: true,
    });
    expect(env.ca?.toString()).toContain("BEGIN CERTIFICATE");
    expect(env.cert).toBeInstanceOf(Buffer);
    expect(env.key).toBeInstanceOf(Buffer);
  });

  it.each([
    [{ MQTT_URL: "mqtt://p", MQTT_VERSION: "3" }, /^MQTT_VERSION must be "3\.1\.1" or "5", got "3"\.$/],
    [{ MQTT_VERSION: "5" }, /^MQTT_VERSION=5 needs an external broker \(MQTT_URL\)/],
    [
      { MQTT_URL: "mqtts://p", MQTT_CA_FILE: "/nonexistent/ca.pem" },
      /^MQTT_CA_FILE names "\/nonexistent\/ca\.pem", which cannot be read \(no such file\)\.$/,
    ],
    [
      { MQTT_URL: "mqtts://p", MQTT_KEY_FILE: "/" },
      /^MQTT_KEY_FILE names "\/", which cannot be read \(it is a directory\)\.$/,
    ],
    [{ MQTT_URL: "mqtts://p", MQTT_CERT_FILE: pem }, /^MQTT_CERT_FILE and MQTT_KEY_FILE go together/],
    [
      { MQTT_URL: "mqtt://p", MQTT_CA_FILE: pem },
      /^MQTT_CA_FILE is set but MQTT_URL is "mqtt:\/\/p", not a TLS address/,
    ],
    [{ MQTT_WRITES: "maybe" }, /^MQTT_WRITES must be "on" or "off", got "maybe"\.$/],
    [{ MQTT_TLS_INSECURE: "2" }, /^MQTT_TLS_INSECURE must be "on" or "off"/],
  ])("refuses %o with one sentence naming the variable", (env, message) => {
    expect(() => parseMqttEnv(env)).toThrow(message);
  });
});

describe("MQTT 3.1.1 and MQTT 5 against the real Mosquitto", () => {
  it.each([
    ["3.1.1", 4],
    ["5", 5],
  ] as const)("MQTT_VERSION=%s connects and receives data", async (version, protocolVersion) => {
    const env = parseMqttEnv({ MQTT_URL: MOSQUITTO, MQTT_VERSION: version });
    expect(env.protocolVersion).toBe(protocolVersion);
    const conn = new MqttConnection({ url: MOSQUITTO, ...env });
    const pub = await publisher();
    try {
      await conn.connect(5000);
      const topic = `test-${randomUUID().slice(0, 8)}/v${version}`;
      const { got } = await firstMessage(conn, topic);
      await pub.publishAsync(topic, `hello over ${version}`);
      expect(await got).toBe(`hello over ${version}`);
    } finally {
      await pub.endAsync();
      await conn.close();
    }
  });

  it("MQTT 5 is really what goes on the wire: the embedded broker (aedes, 3.1.1 only) refuses it at once", async () => {
    const broker = new EmbeddedBroker();
    await broker.start(0);
    const v5 = new MqttConnection({ url: broker.url, protocolVersion: 5 });
    const v4 = new MqttConnection({ url: broker.url, protocolVersion: 4 });
    try {
      await expect(v5.connect(5000)).rejects.toThrow(/refused the connection.*MQTT_VERSION=3\.1\.1/);
      await v4.connect(5000);
      expect(v4.connected).toBe(true);
    } finally {
      await v5.close();
      await v4.close();
      await broker.stop();
    }
  });

  it("publish is refused unless writes are enabled", async () => {
    const ro = new MqttConnection({ url: MOSQUITTO, ...parseMqttEnv({ MQTT_URL: MOSQUITTO }) });
    const rw = new MqttConnection({
      url: MOSQUITTO,
      ...parseMqttEnv({ MQTT_URL: MOSQUITTO, MQTT_WRITES: "on" }),
    });
    try {
      await ro.connect(5000);
      await rw.connect(5000);
      const topic = `test-${randomUUID().slice(0, 8)}/writes`;
      const { got } = await firstMessage(ro, topic);
      expect(() => ro.publish(topic, "no")).toThrow(/MQTT writes are off/);
      expect(rw.publish(topic, new TextEncoder().encode("yes"))).toBe(true);
      expect(await got).toBe("yes");
    } finally {
      await ro.close();
      await rw.close();
    }
  });
});

describe("TLS: a private Mosquitto with a self-signed CA", () => {
  let dir: string;
  let port: number;
  let broker: ChildProcess | undefined;
  let url: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-tls-"));
    const f = (name: string) => path.join(dir, name);
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      f("ca.key"),
      "-out",
      f("ca.crt"),
      "-days",
      "2",
      "-subj",
      "/CN=Gemba Test CA",
    );
    openssl("req", ...ec, "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost");
    fs.writeFileSync(f("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl(
      "x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial",
      "-out", f("server.crt"), "-days", "2", "-extfile", f("san.cnf"),
    ); // prettier-ignore

    port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
      s.on("error", reject);
    });
    url = `mqtts://127.0.0.1:${port}`;
    fs.writeFileSync(
      f("mosquitto.conf"),
      [
        `listener ${port} 127.0.0.1`,
        `cafile ${f("ca.crt")}`,
        `certfile ${f("server.crt")}`,
        `keyfile ${f("server.key")}`,
        "allow_anonymous true",
        "persistence false",
        // stderr: stdout into a pipe is block-buffered, and the "running" line would never arrive.
        "log_dest stderr",
        // Started as root, Mosquitto drops to the "mosquitto" user, which cannot read this private temp dir.
        `user ${os.userInfo().username}`,
      ].join("\n") + "\n",
    );
    const child = spawn("mosquitto", ["-c", f("mosquitto.conf")], { stdio: ["ignore", "pipe", "pipe"] });
    broker = child;
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const onData = (d: Buffer) => {
        out += d.toString();
        if (/mosquitto version \S+ running/.test(out)) resolve();
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("error", (e) => reject(new Error(`cannot start mosquitto: ${e.message}`)));
      child.once("exit", (code) => reject(new Error(`mosquitto exited with ${code}:\n${out}`)));
    });
  });

  afterAll(async () => {
    const b = broker;
    if (b && b.exitCode === null) {
      const exited = new Promise((r) => b.once("exit", r));
      b.kill("SIGTERM");
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("with MQTT_CA_FILE the connection is verified and data flows (MQTT 5 over TLS)", async () => {
    const env = parseMqttEnv({ MQTT_URL: url, MQTT_CA_FILE: path.join(dir, "ca.crt") });
    expect(env.protocolVersion).toBe(5);
    const conn = new MqttConnection({ url, ...env });
    const pub = await mqtt.connectAsync(url, { ca: env.ca, clientId: `gemba-test-tlspub-${randomUUID().slice(0, 8)}` });
    try {
      await conn.connect(5000);
      const { got } = await firstMessage(conn, "plant/tls");
      await pub.publishAsync("plant/tls", "sealed");
      expect(await got).toBe("sealed");
    } finally {
      await pub.endAsync();
      await conn.close();
    }
  });

  it("without MQTT_CA_FILE the broker's certificate is refused at once, with a clear error", async () => {
    const conn = new MqttConnection({ url, ...parseMqttEnv({ MQTT_URL: url }) });
    try {
      await expect(conn.connect(10_000)).rejects.toThrow(
        new RegExp(
          `^the MQTT broker at ${url.replace(/\./g, "\\.")} presented a certificate this server does not trust \\(.+\\); set MQTT_CA_FILE`,
        ),
      );
      expect(conn.connected).toBe(false);
    } finally {
      await conn.close();
    }
  });

  it("MQTT_TLS_INSECURE=on connects without verifying the broker", async () => {
    const conn = new MqttConnection({ url, ...parseMqttEnv({ MQTT_URL: url, MQTT_TLS_INSECURE: "on" }) });
    try {
      await conn.connect(5000);
      expect(conn.connected).toBe(true);
    } finally {
      await conn.close();
    }
  });
});
