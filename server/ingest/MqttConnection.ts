/**
 * The one MQTT connection of a server process to the plant broker. Read-only by
 * default: it subscribes, and `publish` refuses unless it was built with
 * `writesEnabled: true` (MQTT_WRITES=on; used only for Sparkplug rebirth requests and
 * the primary host's STATE, whose will it registers in every CONNECT).
 * Speaks MQTT 3.1.1 or 5, over TCP or TLS. Reports its state for /healthz and keeps
 * reconnecting while the broker is away; a certificate or credential the broker
 * refuses fails the first connect at once, since retrying cannot fix it.
 * A subscription's handler is in place before the SUBSCRIBE goes out, so the retained
 * last-known values the broker sends straight back are never lost.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";

export type MessageHandler = (topic: string, payload: Buffer) => void;

/** An MQTT will (Last Will and Testament), registered in each CONNECT packet. */
export interface WillMessage {
  topic: string;
  payload: string | Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
}

export interface MqttConnectionOptions {
  url: string;
  clientId?: string;
  username?: string | undefined;
  password?: string | undefined;
  reconnectPeriodMs?: number;
  log?: (msg: string) => void;
  /** 4 = MQTT 3.1.1, 5 = MQTT 5. Default 4. */
  protocolVersion?: 4 | 5;
  /** TLS (mqtts://): trusted CA, client certificate and key, and whether to verify the broker. */
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  rejectUnauthorized?: boolean;
  /** Without it `publish` throws: Gemba does not write to a plant broker unasked. */
  writesEnabled?: boolean;
  /**
   * Built afresh for every CONNECT, reconnects included: a Sparkplug host's will carries the time of the
   * CONNECT it was sent in (Sparkplug 3.0, tck-id-host-topic-phid-death-payload-connect).
   */
  will?: () => WillMessage;
}

const noLog = (): void => {};

/** TLS verification failures: retrying will not help, so the first connect fails fast on them. */
const TLS_TRUST_ERRORS = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** A sentence fragment for an error the broker or TLS gave that no retry can fix, or null. */
function permanentFailure(err: Error & { code?: unknown }, url: string): string | null {
  if ((typeof err.code === "string" && TLS_TRUST_ERRORS.has(err.code)) || err.message === "TLS not authorized") {
    return (
      `the MQTT broker at ${url} presented a certificate this server does not trust (${err.message}); ` +
      "set MQTT_CA_FILE to the CA that signed it"
    );
  }
  if (typeof err.code === "number") {
    // CONNACK refusals (3.1.1 return codes 1-5, MQTT 5 reason codes >= 128); mqtt.js does not retry them.
    const hint =
      err.code === 1 || err.code === 132
        ? "; set MQTT_VERSION=3.1.1 for a broker that does not speak MQTT 5"
        : err.code === 4 || err.code === 5 || err.code === 134 || err.code === 135
          ? "; check MQTT_USERNAME and MQTT_PASSWORD"
          : "";
    return `the MQTT broker at ${url} refused the connection (${err.message})${hint}`;
  }
  return null;
}

export class MqttConnection {
  private client: MqttClient | null = null;
  private readonly filters = new Map<string, Set<MessageHandler>>();
  private readonly connectListeners = new Set<() => void>();
  private readonly lostListeners = new Set<() => void>();
  private publishHolds = 0;
  connected = false;
  lastError: string | null = null;
  everConnected = false;

  constructor(private readonly opts: MqttConnectionOptions) {}

  /**
   * Connect; resolves on the first successful connection or rejects with a clear error after `timeoutMs`.
   * With `offlineOk` a broker that is merely unreachable does not fail: it resolves after the first failed attempt
   * (`connected` stays false, `lastError` says why) and keeps retrying; refusals no retry can fix still reject.
   */
  async connect(timeoutMs = 10_000, offlineOk = false): Promise<void> {
    const log = this.opts.log ?? (() => {});
    const o = this.opts;
    const options: IClientOptions = {
      clientId: o.clientId ?? `gemba-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      username: o.username,
      password: o.password,
      protocolVersion: o.protocolVersion ?? 4,
      reconnectPeriod: o.reconnectPeriodMs ?? 1000,
      connectTimeout: Math.min(timeoutMs, 10_000),
      // Every filter is (re)subscribed on each connect below, including those added while the broker was away.
      resubscribe: false,
      clean: true,
      rejectUnauthorized: o.rejectUnauthorized ?? true,
      // mqtt.js calls its `debug` logger several times per received packet even when it prints nothing
      // (measured: a few % of ingest CPU). Unless DEBUG is set (someone is tracing mqtt.js), log nowhere.
      ...(process.env["DEBUG"] ? {} : { log: noLog }),
    };
    if (o.ca) options.ca = o.ca;
    if (o.cert) options.cert = o.cert;
    if (o.key) options.key = o.key;
    if (o.will) options.will = o.will();
    const client = mqtt.connect(o.url, options);
    this.client = client;
    // mqtt.js emits "reconnect" just before it writes the next CONNECT from `client.options`.
    client.on("reconnect", () => {
      if (o.will) client.options.will = o.will();
    });
    client.on("connect", () => {
      const again = this.everConnected;
      if (!this.connected && again) log(`MQTT: reconnected to ${this.opts.url}`);
      this.connected = true;
      this.everConnected = true;
      this.lastError = null;
      // resubscribe is off: every filter, including those added while the broker was away, is subscribed here,
      // before the reconnect listeners run (what they publish reaches the broker after the SUBSCRIBEs).
      for (const f of this.filters.keys()) {
        client.subscribeAsync(f, { qos: 0 }).catch((e: Error) => log(`MQTT: cannot subscribe ${f}: ${e.message}`));
      }
      if (again) for (const l of this.connectListeners) l();
    });
    // mqtt.js emits "offline" from its own "close" listener, which runs before this one: both count.
    const lost = () => {
      if (!this.connected) return;
      this.connected = false;
      if (this.client !== client) return; // close() on purpose
      log(`MQTT: connection to ${this.opts.url} lost; retrying`);
      for (const l of this.lostListeners) l();
    };
    client.on("close", lost);
    client.on("offline", lost);
    client.on("error", (err) => {
      this.lastError = err.message;
    });
    client.on("message", (topic, payload) => {
      const hs = this.handlersFor(topic);
      for (let i = 0; i < hs.length; i++) hs[i]!(topic, payload);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`cannot reach the MQTT broker at ${this.opts.url}${this.lastError ? ` (${this.lastError})` : ""}`),
        );
      }, timeoutMs);
      const onConnect = () => {
        cleanup();
        resolve();
      };
      // Broker unreachable (refused, timed out): the client retries on its own; the server starts offline.
      const onClose = () => {
        if (!offlineOk) return;
        cleanup();
        resolve();
      };
      const onError = (err: Error) => {
        const why = permanentFailure(err, this.opts.url);
        if (!why) return;
        cleanup();
        if (this.client === client) this.client = null;
        void client.endAsync(true).catch(() => {});
        reject(new Error(why));
      };
      const cleanup = () => {
        clearTimeout(timer);
        client.off("connect", onConnect);
        client.off("error", onError);
        client.off("close", onClose);
      };
      client.on("connect", onConnect);
      client.on("error", onError);
      client.on("close", onClose);
    });
  }

  /**
   * Publish one message (QoS 0). Throws unless built with `writesEnabled: true`; a message
   * offered while disconnected or held (`holdPublishes`) is dropped rather than queued, and
   * false returned (a late command is a wrong command).
   */
  publish(topic: string, payload: Uint8Array | string): boolean {
    if (this.opts.writesEnabled !== true) {
      throw new Error(`refusing to publish to "${topic}": MQTT writes are off (set MQTT_WRITES=on to allow them)`);
    }
    const c = this.client;
    if (!c || !this.connected || this.publishHolds > 0) return false;
    c.publish(topic, typeof payload === "string" ? payload : Buffer.from(payload), { qos: 0 });
    return true;
  }

  /**
   * Publish with QoS and retain, resolving once the broker has it (QoS 1: its PUBACK). For the Sparkplug
   * host's STATE messages, which must be QoS 1 and retained. Throws unless writes are enabled.
   */
  async publishAsync(topic: string, payload: string | Buffer, opts: { qos: 0 | 1; retain: boolean }): Promise<void> {
    if (this.opts.writesEnabled !== true) {
      throw new Error(`refusing to publish to "${topic}": MQTT writes are off (set MQTT_WRITES=on to allow them)`);
    }
    const c = this.client;
    if (!c || !this.connected) throw new Error(`not connected to ${this.opts.url}`);
    await c.publishAsync(topic, payload, opts);
  }

  /**
   * Refuse `publish` (not `publishAsync`) until the returned release is called: a Sparkplug primary
   * host's first message must be its STATE birth (tck-id-host-topic-phid-birth-message).
   */
  holdPublishes(): () => void {
    this.publishHolds++;
    let released = false;
    return () => {
      if (!released) this.publishHolds--;
      released = true;
    };
  }

  /**
   * Called after every reconnect (not the first connect, which `connect()` resolves), after the filters were
   * subscribed again, so anything published here reaches the broker after them. Returns the function that removes it.
   */
  onReconnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** Called when an established connection drops (not on `close()`). Returns the function that removes it. */
  onConnectionLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /**
   * Handlers for a topic, memoised: a plant publishes the same few thousand topics over and over,
   * so matching every filter per message (measured: more than the JSON parse) is done once per topic.
   * Bounded so a stream of random topics cannot grow it without limit.
   */
  private readonly route = new Map<string, MessageHandler[]>();
  private handlersFor(topic: string): MessageHandler[] {
    let hs = this.route.get(topic);
    if (hs) return hs;
    hs = [];
    for (const [filter, handlers] of this.filters) if (topicMatches(filter, topic)) hs.push(...handlers);
    if (this.route.size >= 50_000) this.route.clear();
    this.route.set(topic, hs);
    return hs;
  }

  async subscribe(filter: string, handler: MessageHandler): Promise<() => Promise<void>> {
    let set = this.filters.get(filter);
    // The handler goes in before the SUBSCRIBE: the broker sends retained messages at once, often
    // before the SUBACK, and a message with no handler yet would be lost for good.
    const fresh = !set;
    if (!set) {
      set = new Set();
      this.filters.set(filter, set);
    }
    set.add(handler);
    this.route.clear();
    // While the broker is away a subscribe would wait for it; the next connect subscribes every filter instead.
    if (fresh && this.connected) {
      try {
        await this.client?.subscribeAsync(filter, { qos: 0 });
      } catch (e) {
        set.delete(handler);
        if (set.size === 0) this.filters.delete(filter);
        this.route.clear();
        throw e;
      }
    }
    return async () => {
      const s = this.filters.get(filter);
      if (!s) return;
      s.delete(handler);
      this.route.clear();
      if (s.size === 0) {
        this.filters.delete(filter);
        if (this.connected) await this.client?.unsubscribeAsync(filter).catch(() => {});
      }
    };
  }

  /**
   * Disconnect. While connected this sends an MQTT DISCONNECT, so the broker discards the will: a Sparkplug
   * host has just published its own death, and the older will must not follow it. A broker that does not
   * answer within 2 s is dropped.
   */
  async close(): Promise<void> {
    const c = this.client;
    const wasConnected = this.connected;
    this.client = null;
    this.connected = false;
    if (!c) return;
    if (wasConnected) {
      let timer: NodeJS.Timeout | undefined;
      const gave = await Promise.race([
        c.endAsync(false).then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2000))),
      ]);
      clearTimeout(timer);
      // A second end() is a no-op while the first is under way, so a stuck one is cut at the socket.
      if (!gave) c.stream.destroy();
      return;
    }
    await c.endAsync(true);
  }
}

/** MQTT topic filter matching (+ one level, # the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    const fl = f[i];
    if (fl === "#") return true;
    if (i >= t.length) return false;
    if (fl !== "+" && fl !== t[i]) return false;
  }
  return f.length === t.length;
}
