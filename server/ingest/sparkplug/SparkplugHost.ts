/**
 * Gemba as a Sparkplug 3.0 primary host application (SPARKPLUG_HOST_ID, only with MQTT_WRITES=on).
 * Edge nodes configured with this host id wait for its STATE "online" before they publish their
 * BIRTHs, and watch it to know someone is listening. The rules (specification chapters 4 and 5,
 * "Sparkplug Host Application"):
 * - every CONNECT carries a will on spBv1.0/STATE/<host id>: `{"online":false,"timestamp":t}`,
 *   QoS 1, retained, t the time of that CONNECT;
 * - once subscribed, the host publishes `{"online":true,"timestamp":t}` there, same t, QoS 1, retained;
 * - if it is ever handed an "online": false on its own topic, it publishes the birth again;
 * - leaving on purpose, it publishes a death stamped with the time of leaving before it disconnects.
 * `HostState` is the pure part (payloads, the shared timestamp); `SparkplugHost` drives the connection.
 */
import type { MqttConnection, WillMessage } from "../MqttConnection.ts";
import { SPARKPLUG_HOST_ID_PATTERN } from "../mqttOptions.ts";
import { SPARKPLUG_NAMESPACE } from "./SparkplugIngest.ts";

export const stateTopic = (hostId: string): string => `${SPARKPLUG_NAMESPACE}/STATE/${hostId}`;

export interface HostStatus {
  id: string;
  /** True while the broker holds our "online" STATE (published on this connection). */
  online: boolean;
  /** Timestamp of the current STATE birth/will pair; null before the first CONNECT. */
  timestamp: number | null;
}

export class HostState {
  readonly topic: string;
  private ts: number | null = null;

  constructor(
    readonly hostId: string,
    private readonly now: () => number,
  ) {
    if (!SPARKPLUG_HOST_ID_PATTERN.test(hostId)) throw new Error(`"${hostId}" is not a Sparkplug host id`);
    this.topic = stateTopic(hostId);
  }

  /** The will for the next CONNECT. Its timestamp is remembered: the birth that follows must repeat it. */
  will(): WillMessage {
    this.ts = this.now();
    return { topic: this.topic, payload: JSON.stringify({ online: false, timestamp: this.ts }), qos: 1, retain: true };
  }

  get timestamp(): number | null {
    return this.ts;
  }

  /** The birth for the current connection (same timestamp as its will). */
  birth(): string {
    if (this.ts === null) throw new Error("no CONNECT yet: the birth repeats the will's timestamp");
    return JSON.stringify({ online: true, timestamp: this.ts });
  }

  /** The death published when Gemba disconnects on purpose, stamped with the time of leaving. */
  death(): string {
    return JSON.stringify({ online: false, timestamp: this.now() });
  }

  /** True when a message on our own STATE topic says we are offline (then the birth is published again). */
  saysOffline(payload: Uint8Array): boolean {
    try {
      const v = JSON.parse(Buffer.from(payload).toString("utf8")) as unknown;
      return typeof v === "object" && v !== null && (v as { online?: unknown }).online === false;
    } catch {
      return false;
    }
  }
}

/** The shell: subscribes to its own STATE topic, publishes the births, and the death on stop. */
export class SparkplugHost {
  private online = false;
  private started = false;
  private readonly undo: (() => unknown)[] = [];

  constructor(
    private readonly conn: MqttConnection,
    readonly state: HostState,
    private readonly log: (msg: string) => void,
  ) {}

  status(): HostStatus {
    return { id: this.state.hostId, online: this.online && this.conn.connected, timestamp: this.state.timestamp };
  }

  /**
   * Call after the plant's Sparkplug subscriptions are in place (the spec has the host subscribe first,
   * then announce itself), on a connection built with `will: () => state.will()`.
   */
  async start(): Promise<void> {
    const off = await this.conn.subscribe(this.state.topic, (_topic, payload) => {
      // A retained death of an earlier run arrives on subscribe, before `started`: the birth below answers it.
      if (this.started && this.state.saysOffline(payload)) {
        this.log(`Sparkplug: the broker says host "${this.state.hostId}" is offline; publishing STATE online again`);
        void this.publishBirth();
      }
    });
    this.undo.push(off);
    this.undo.push(
      this.conn.onReconnect(() => {
        this.online = false;
        // Again the STATE birth goes first: rebirth requests wait (and are retried) until it is out.
        const release = this.conn.holdPublishes();
        void this.publishBirth().finally(release);
      }),
    );
    await this.publishBirth();
    this.started = true;
  }

  private async publishBirth(): Promise<void> {
    try {
      await this.conn.publishAsync(this.state.topic, this.state.birth(), { qos: 1, retain: true });
      this.online = true;
      this.log(`Sparkplug: primary host "${this.state.hostId}" online (${this.state.topic})`);
    } catch (e) {
      this.online = false;
      this.log(`Sparkplug: could not publish STATE online for "${this.state.hostId}": ${(e as Error).message}`);
    }
  }

  /** Leaving on purpose: publish the death (QoS 1, retained) before the connection closes. */
  async stop(): Promise<void> {
    for (const u of this.undo.splice(0)) await u();
    if (!this.online || !this.conn.connected) return;
    this.online = false;
    try {
      await this.conn.publishAsync(this.state.topic, this.state.death(), { qos: 1, retain: true });
    } catch (e) {
      this.log(`Sparkplug: could not publish STATE offline for "${this.state.hostId}": ${(e as Error).message}`);
    }
  }
}
