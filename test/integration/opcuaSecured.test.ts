/**
 * Secured OPC UA connections against real node-opcua servers that offer only SignAndEncrypt and refuse
 * anonymous users: Basic256Sha256 and Aes256Sha256RsaPss with a user name and a password read from the
 * environment. Gemba trusts a server whose certificate the operator put in DATA_DIR/opcua-pki/trusted/certs;
 * an unknown server certificate, or a wrong password, leaves the source offline with the reason to act on.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataType, SecurityPolicy } from "node-opcua-client";
import { freePort } from "../../kit/freePort.ts";
import { OpcUaTestServer } from "../../kit/opcuaServer.ts";
import { Quality } from "../../shared/status.ts";
import type { Health } from "../../shared/protocol.ts";
import { eventually, join, startServer, waitForState, type Harness } from "./harness.ts";
import { opcuaPlantDir } from "./opcuaPlant.ts";

const NS = "urn:gemba:secured-plant";
const USER = "operator";
const PASSWORD = "correct horse battery staple";

let h: Harness;
const servers: OpcUaTestServer[] = [];

async function secured(policy: SecurityPolicy, level: number): Promise<OpcUaTestServer> {
  const s = await OpcUaTestServer.start({
    port: await freePort(),
    pkiDir: fs.mkdtempSync(path.join(os.tmpdir(), "gemba-opcua-secured-pki-")),
    namespaceUri: NS,
    variables: [{ name: "Tank.Level", dataType: DataType.Double, value: level }],
    secured: { policy, username: USER, password: PASSWORD },
  });
  servers.push(s);
  return s;
}

const binding = (endpoint: string, policy: string, twin: string, passwordEnv = "GEMBA_TEST_OPCUA_PASSWORD") => ({
  format: "opcua",
  endpoint,
  security: { mode: "SignAndEncrypt", policy },
  user: { type: "username", username: USER, passwordEnv },
  publishingInterval: 100,
  items: [{ nodeId: `nsu=${NS};s=Tank.Level`, twin, point: "level" }],
});

let basic: OpcUaTestServer;
let pss: OpcUaTestServer;
let unknown: OpcUaTestServer;

beforeAll(async () => {
  process.env["GEMBA_TEST_OPCUA_PASSWORD"] = PASSWORD;
  process.env["GEMBA_TEST_OPCUA_WRONG"] = "not the password";
  basic = await secured(SecurityPolicy.Basic256Sha256, 11.5);
  pss = await secured(SecurityPolicy.Aes256_Sha256_RsaPss, 22.5);
  unknown = await secured(SecurityPolicy.Basic256Sha256, 33.5);
  // What an operator does once per server: put its certificate in Gemba's trusted folder.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-opcua-secured-data-"));
  const trusted = path.join(dataDir, "opcua-pki", "trusted", "certs");
  fs.mkdirSync(trusted, { recursive: true });
  fs.copyFileSync(basic.certificateFile, path.join(trusted, "basic.pem"));
  fs.copyFileSync(pss.certificateFile, path.join(trusted, "pss.pem"));
  const plants = opcuaPlantDir("opcua-secured", [
    binding(basic.endpoint, "Basic256Sha256", "T102"),
    binding(pss.endpoint, "Aes256Sha256RsaPss", "T103"),
    binding(unknown.endpoint, "Basic256Sha256", "T201"),
    binding(basic.endpoint, "Basic256Sha256", "T301", "GEMBA_TEST_OPCUA_WRONG"),
  ]);
  h = await startServer({ PLANTS_DIR: plants, PLANT: "opcua-secured", DATA_DIR: dataDir });
}, 60_000);

afterAll(async () => {
  await h?.server.stop();
  for (const s of servers) await s.stop();
  delete process.env["GEMBA_TEST_OPCUA_PASSWORD"];
  delete process.env["GEMBA_TEST_OPCUA_WRONG"];
});

const sources = async () => {
  const body = (await (await fetch(`http://127.0.0.1:${h.server.port}/healthz`)).json()) as Health;
  return body.plants.find((p) => p.id === "opcua-secured")!.opcua;
};

describe("secured OPC UA connections", () => {
  it("SignAndEncrypt with Basic256Sha256 and with Aes256Sha256RsaPss, signed in with a user name: values arrive", async () => {
    const room = await join(h, "Ada", { plant: "opcua-secured" });
    const level = (twin: string) => room.state.twins.get(twin)?.points.get("level");
    await waitForState(room, () => level("T102")?.v === 11.5, "T102 level over Basic256Sha256", 30_000);
    await waitForState(room, () => level("T103")?.v === 22.5, "T103 level over Aes256Sha256RsaPss", 30_000);
    expect(level("T102")!.q).toBe(Quality.GOOD);
    const list = await sources();
    expect(list.find((s) => s.endpoint === basic.endpoint && s.state === "connected")?.security).toBe(
      "SignAndEncrypt Basic256Sha256",
    );
    expect(list.find((s) => s.endpoint === pss.endpoint)).toMatchObject({
      state: "connected",
      security: "SignAndEncrypt Aes256Sha256RsaPss",
      monitored: 1,
    });
    await room.leave();
  });

  it("a server whose certificate is not trusted stays offline, and the reason says where to trust it", async () => {
    const src = await eventually(
      async () => {
        const s = (await sources()).find((x) => x.endpoint === unknown.endpoint);
        return s?.state === "offline" && s;
      },
      "the untrusted server offline",
      30_000,
    );
    expect(src.reason).toContain(path.join("opcua-pki", "rejected"));
    expect(src.reason).toContain(path.join("opcua-pki", "trusted", "certs"));
    const rt = h.server.hub.loaded()[0]!;
    expect(Number.isNaN(rt.twin.points[rt.twin.indexOf("T201", "level")!]!.value)).toBe(true);
  });

  it("a wrong password leaves that connection offline with the server's refusal", async () => {
    const src = await eventually(
      async () => {
        const s = (await sources()).find((x) => x.endpoint === basic.endpoint && x.state !== "connected");
        return s?.state === "offline" && s;
      },
      "the connection with the wrong password offline",
      30_000,
    );
    expect(src.reason).toMatch(/^the server refused user "operator" \(BadUserAccessDenied.*GEMBA_TEST_OPCUA_WRONG/);
    const rt = h.server.hub.loaded()[0]!;
    expect(Number.isNaN(rt.twin.points[rt.twin.indexOf("T301", "level")!]!.value)).toBe(true);
  });
});
