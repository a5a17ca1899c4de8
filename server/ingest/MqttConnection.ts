/**
 * The one MQTT connection of a server process to the plant broker. Read-only:
 * it subscribes and never publishes (plant data flows one way, in). Reports its
 * state for /healthz and keeps reconnecting while the broker is away.
 */
import mqtt, { type MqttClient } from "mqtt";

export type MessageHandler = (topic: string, payload: Buffer) => void;

export interface MqttConnectionOptions {
  url: string;
  clientId?: string;
  username?: string | undefined;
  password?: string | undefined;
  reconnectPeriodMs?: number;
  log?: (msg: string) => void;
}

export class MqttConnection {
  private client: MqttClient | null = null;
  private readonly filters = new Map<string, Set<MessageHandler>>();
  connected = false;
  lastError: string | null = null;
  everConnected = false;

  constructor(private readonly opts: MqttConnectionOptions) {}

  /** Connect; resolves on the first successful connection or rejects with a clear error after `timeoutMs`. */
  async connect(timeoutMs = 10_000): Promise<void> {
    const log = this.opts.log ?? (() => {});
    const client = mqtt.connect(this.opts.url, {
      clientId: this.opts.clientId ?? `gemba-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      username: this.opts.username,
      password: this.opts.password,
      reconnectPeriod: this.opts.reconnectPeriodMs ?? 1000,
      connectTimeout: Math.min(timeoutMs, 10_000),
      resubscribe: true,
      clean: true,
    });
    this.client = client;
    client.on("connect", () => {
      if (!this.connected && this.everConnected) log(`MQTT: reconnected to ${this.opts.url}`);
      this.connected = true;
      this.everConnected = true;
      this.lastError = null;
    });
    client.on("close", () => {
      if (this.connected) log(`MQTT: connection to ${this.opts.url} lost; retrying`);
      this.connected = false;
    });
    client.on("offline", () => {
      this.connected = false;
    });
    client.on("error", (err) => {
      this.lastError = err.message;
    });
    client.on("message", (topic, payload) => {
      for (const [filter, handlers] of this.filters) {
        if (!topicMatches(filter, topic)) continue;
        for (const h of handlers) h(topic, payload);
      }
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
      const cleanup = () => {
        clearTimeout(timer);
        client.off("connect", onConnect);
      };
      client.on("connect", onConnect);
    });
  }

  async subscribe(filter: string, handler: MessageHandler): Promise<() => Promise<void>> {
    let set = this.filters.get(filter);
    if (!set) {
      set = new Set();
      this.filters.set(filter, set);
      await this.client?.subscribeAsync(filter, { qos: 0 });
    }
    set.add(handler);
    return async () => {
      const s = this.filters.get(filter);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) {
        this.filters.delete(filter);
        if (this.connected) await this.client?.unsubscribeAsync(filter).catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.connected = false;
    if (c) await c.endAsync(true);
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
