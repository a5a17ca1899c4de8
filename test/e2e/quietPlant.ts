/**
 * One server per spec file, started as `npm start` starts it but with the simulator off: every value the page can show
 * is one the test published itself on the real Mosquitto broker, under a topic prefix of its own (so parallel runs and
 * earlier tests' retained values cannot leak in).
 */
import { randomUUID } from "node:crypto";
import { test } from "./fixtures.ts";
import { MOSQUITTO, publisher } from "../integration/harness.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";

export interface QuietPlant {
  /** The server's http(s)://host:port (after `beforeAll`). */
  readonly url: string;
  /** The MQTT topic prefix this server listens under. */
  readonly prefix: string;
  /** Publish each payload as JSON, in order, on `<prefix>gemba/demo/<path>` (e.g. `T102/level`) over one connection. */
  publish(path: string, ...payloads: object[]): Promise<void>;
}

export function useQuietPlant(env: Record<string, string> = {}): QuietPlant {
  const prefix = `test-${randomUUID().slice(0, 8)}/`;
  let server: RunningServer | undefined;
  test.beforeAll(async () => {
    server = await startAppServer({ MQTT_URL: MOSQUITTO, MQTT_TOPIC_PREFIX: prefix, SIM: "off", ...env });
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  return {
    get url() {
      if (!server) throw new Error("the quiet plant's server is started in beforeAll; read its url inside a test");
      return server.url;
    },
    prefix,
    async publish(path, ...payloads) {
      const pub = await publisher();
      for (const p of payloads) await pub.publishAsync(`${prefix}gemba/demo/${path}`, JSON.stringify(p));
      await pub.endAsync();
    },
  };
}
