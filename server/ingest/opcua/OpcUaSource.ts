/**
 * One OPC UA server connection (node-opcua client) feeding a plant's ingest: a session, one
 * subscription per publishing interval, monitored items grouped by sampling interval. It only
 * reads: no Write, Call or node management request is ever sent.
 *
 * Namespace URIs are resolved against the server's NamespaceArray at every (re)connect. The link is
 * node-opcua's: it retries with backoff, reactivates the session or creates a new one and transfers or
 * re-creates the subscriptions (OPC 10000-4 6.7: TransferSubscriptions, then Republish). When a restarted
 * server numbers its namespaces differently, the items are created again with the new indices.
 * The state and its reason feed /healthz and the plant status panel.
 */
import {
  DataChangeFilter,
  DataChangeTrigger,
  DeadbandType,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  StatusCodes,
  TimestampsToReturn,
  UserTokenType,
  AttributeIds,
  type ClientMonitoredItemBase,
  type ClientSubscription,
  type ClientSession,
  type DataValue,
  type UserIdentityInfo,
} from "node-opcua-client";
import type { OPCUACertificateManager } from "node-opcua-certificate-manager";
import type { OpcUaSourceState, OpcUaSourceStatus } from "../../../shared/protocol.ts";
import type { OpcUaClientBinding } from "../../plant/instance.ts";
import { describeStatusCode } from "../../formats/quality.ts";
import type { PlantIngest, SlotRoute } from "../PlantIngest.ts";
import { parseNodeIdText, resolveNodeIdText, type NodeIdText } from "./nodeIdText.ts";
import { DataValueReader } from "./readDataValue.ts";

/** One monitored item as planned from the plant file. */
export interface PlannedItem {
  nodeId: string;
  parsed: NodeIdText;
  twin: string;
  point: string;
  samplingInterval: number;
  publishingInterval: number;
  scale: number;
  offset: number;
}

export interface OpcUaSourceOptions {
  endpoint: string;
  security: OpcUaClientBinding["security"];
  user: OpcUaClientBinding["user"];
  items: readonly PlannedItem[];
  ingest: Pick<PlantIngest, "routeFor" | "handleSource" | "refuse">;
  certificateManager: OPCUACertificateManager;
  /** Where the certificates live, named in reasons an operator must act on. */
  pkiDir: string;
  env: Readonly<Record<string, string | undefined>>;
  now: () => number;
  log: (msg: string) => void;
  /** Reconnect backoff in ms (node-opcua's connection strategy). */
  retry?: { initialDelay: number; maxDelay: number };
}

/** Default sampling: as fast as the publishing (OPC 10000-4 5.12.1.2: -1 = the publishing interval). */
export const DEFAULT_PUBLISHING_MS = 1000;

const POLICY: Record<OpcUaClientBinding["security"]["policy"], SecurityPolicy> = {
  None: SecurityPolicy.None,
  Basic256Sha256: SecurityPolicy.Basic256Sha256,
  Aes256Sha256RsaPss: SecurityPolicy.Aes256_Sha256_RsaPss,
};

/**
 * Report a new source timestamp even when the value did not change (OPC 10000-4 7.22.2, StatusValueTimestamp).
 * The default trigger reports value or status changes only: a level that holds steady would then look stale
 * in Gemba although the device keeps confirming it.
 */
const FRESH = new DataChangeFilter({
  trigger: DataChangeTrigger.StatusValueTimestamp,
  deadbandType: DeadbandType.None,
});

const FILTER_REFUSED = new Set<number>([
  StatusCodes.BadMonitoredItemFilterUnsupported.value,
  StatusCodes.BadFilterNotAllowed.value,
  StatusCodes.BadMonitoredItemFilterInvalid.value,
]);

const UNKNOWN_NODE = new Set<number>([StatusCodes.BadNodeIdUnknown.value, StatusCodes.BadNodeIdInvalid.value]);

export class OpcUaSource {
  private state: OpcUaSourceState = "connecting";
  private reason = "not connected yet";
  private since: number | null = null;
  private monitored = 0;
  private refused: OpcUaSourceStatus["refused"] = [];
  private client: OPCUAClient | null = null;
  private session: ClientSession | null = null;
  private subscriptions: ClientSubscription[] = [];
  private namespaces: string[] = [];
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly reader = new DataValueReader();
  private readonly route: SlotRoute;
  private readonly labels: string[];
  /** Creating the items again (reconnect with renumbered namespaces) waits for the previous pass. */
  private building: Promise<void> = Promise.resolve();

  constructor(private readonly opts: OpcUaSourceOptions) {
    this.route = opts.ingest.routeFor(opts.items.map((i) => ({ twin: i.twin, point: i.point })));
    this.labels = opts.items.map((i) => `${opts.endpoint} ${i.nodeId}`);
  }

  get securityText(): string {
    const { mode, policy } = this.opts.security;
    return mode === "None" ? "None" : `${mode} ${policy}`;
  }

  status(): OpcUaSourceStatus {
    return {
      endpoint: this.opts.endpoint,
      security: this.securityText,
      state: this.state,
      reason: this.reason,
      since: this.since,
      monitored: this.monitored,
      refused: this.refused.slice(),
    };
  }

  private set(state: OpcUaSourceState, reason: string): void {
    if (this.state !== state) {
      this.since = this.opts.now();
      this.opts.log(`OPC UA ${this.opts.endpoint}: ${state}${reason ? ` (${reason})` : ""}`.slice(0, 500));
    }
    this.state = state;
    this.reason = reason;
  }

  start(): void {
    void this.connect();
  }

  private identity(): UserIdentityInfo | string {
    const u = this.opts.user;
    if (u.type === "anonymous") return { type: UserTokenType.Anonymous };
    const password = this.opts.env[u.passwordEnv];
    if (password === undefined || password === "")
      return `the password variable ${u.passwordEnv} is not set in Gemba's environment`;
    return { type: UserTokenType.UserName, userName: u.username, password };
  }

  private async connect(): Promise<void> {
    const identity = this.identity();
    if (typeof identity === "string") return this.set("offline", identity);
    const retry = this.opts.retry ?? { initialDelay: 1000, maxDelay: 10_000 };
    const client = OPCUAClient.create({
      applicationName: "Gemba",
      clientCertificateManager: this.opts.certificateManager,
      securityMode: MessageSecurityMode[this.opts.security.mode],
      securityPolicy: POLICY[this.opts.security.policy],
      endpointMustExist: false,
      keepSessionAlive: true,
      requestedSessionTimeout: 60_000,
      connectionStrategy: { initialDelay: retry.initialDelay, maxDelay: retry.maxDelay, maxRetry: -1 },
    });
    this.client = client;
    client.on("backoff", (count: number, delay: number) => {
      if (this.state !== "connected")
        this.set(
          this.state === "reconnecting" ? "reconnecting" : "connecting",
          `no answer from the server (attempt ${count + 1}); trying again in ${Math.round(delay / 1000)} s`,
        );
    });
    client.on("connection_lost", () => this.set("reconnecting", "the connection to the OPC UA server was lost"));
    client.on("reconnection_attempt_has_failed", (err: Error) =>
      this.set("reconnecting", `reconnecting failed: ${err.message}`),
    );
    client.on("connection_reestablished", () => {
      this.building = this.building.then(() => this.afterReconnect());
    });
    try {
      await client.connect(this.opts.endpoint);
      if (this.closed) return;
      this.session = await client.createSession(identity);
      this.session.on("session_closed", () => {
        if (!this.closed) this.set("reconnecting", "the server closed the session");
      });
      this.building = this.building.then(() => this.subscribe());
      await this.building;
    } catch (e) {
      if (this.closed) return;
      await this.giveUp(client, e as Error);
    }
  }

  /**
   * A refusal node-opcua does not retry (certificate, identity): say what to fix. An untrusted certificate is
   * tried again every 10 s (the operator may trust it meanwhile); a refused password is not, since the password
   * only changes with Gemba's environment and repeated wrong sign-ins can lock the account on the server.
   */
  private async giveUp(client: OPCUAClient, e: Error): Promise<void> {
    const untrusted = /certificate|BadSecurityChecksFailed/i.test(e.message);
    const identity = /BadUserAccessDenied|BadIdentityToken/.test(e.message);
    const u = this.opts.user;
    this.set(
      "offline",
      untrusted
        ? `${e.message}; if this is the right server, move its certificate from ${this.opts.pkiDir}/rejected to ${this.opts.pkiDir}/trusted/certs`
        : identity && u.type === "username"
          ? `the server refused user "${u.username}" (${e.message}); check the user name and the password in ${u.passwordEnv}, then restart Gemba`
          : e.message,
    );
    this.session = null;
    this.client = null;
    await client.disconnect().catch(() => undefined);
    if (this.closed || identity) return;
    this.retryTimer = setTimeout(() => void this.connect(), 10_000);
    this.retryTimer.unref();
  }

  private async readNamespaces(session: ClientSession): Promise<string[]> {
    const dv = await session.read({ nodeId: "ns=0;i=2255", attributeId: AttributeIds.Value });
    return Array.isArray(dv.value.value) ? (dv.value.value as string[]) : [];
  }

  /** After node-opcua restored the link (and its subscriptions): check that the namespaces kept their numbers. */
  private async afterReconnect(): Promise<void> {
    const session = this.session;
    if (!session || this.closed) return;
    try {
      const ns = await this.readNamespaces(session);
      if (ns.join("\n") !== this.namespaces.join("\n")) {
        this.opts.log(`OPC UA ${this.opts.endpoint}: the server renumbered its namespaces; monitoring the items again`);
        for (const s of this.subscriptions) await s.terminate().catch(() => undefined);
        this.subscriptions = [];
        await this.subscribe();
        return;
      }
      this.set("connected", "");
    } catch (e) {
      this.set("reconnecting", (e as Error).message);
    }
  }

  private async subscribe(): Promise<void> {
    const session = this.session;
    if (!session || this.closed) return;
    this.namespaces = await this.readNamespaces(session);
    this.refused = [];
    this.monitored = 0;
    const plan = new Map<number, Map<number, { slot: number; text: string }[]>>();
    this.opts.items.forEach((it, slot) => {
      const r = resolveNodeIdText(it.parsed, this.namespaces);
      if (!r.ok) return this.refuse(slot, "unknown-node", r.reason);
      const bySampling = plan.get(it.publishingInterval) ?? new Map<number, { slot: number; text: string }[]>();
      plan.set(it.publishingInterval, bySampling);
      const list = bySampling.get(it.samplingInterval) ?? [];
      bySampling.set(it.samplingInterval, list);
      list.push({ slot, text: r.text });
    });
    for (const [publishing, bySampling] of plan) {
      const sub = await session.createSubscription2({
        requestedPublishingInterval: publishing,
        requestedLifetimeCount: 60,
        requestedMaxKeepAliveCount: 10,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 1,
      });
      this.subscriptions.push(sub);
      for (const [sampling, list] of bySampling) {
        const plain = await this.monitor(sub, list, sampling, FRESH);
        // A server without the timestamp trigger refuses the filter: those items are monitored without it.
        if (plain.length > 0) await this.monitor(sub, plain, sampling, null);
      }
    }
    if (!this.closed) this.set("connected", "");
  }

  /** Creates one group of items; returns those the server refused only for the filter. */
  private async monitor(
    sub: ClientSubscription,
    list: readonly { slot: number; text: string }[],
    sampling: number,
    filter: DataChangeFilter | null,
  ): Promise<{ slot: number; text: string }[]> {
    const group = await sub.monitorItems(
      list.map((l) => ({ nodeId: l.text, attributeId: AttributeIds.Value })),
      { samplingInterval: sampling, discardOldest: true, queueSize: 10, filter },
      TimestampsToReturn.Both,
    );
    const retry: { slot: number; text: string }[] = [];
    group.monitoredItems.forEach((mi: ClientMonitoredItemBase, k) => {
      const code = mi.statusCode?.value ?? 0;
      if (code >>> 30 === 0) this.monitored++;
      else if (filter && FILTER_REFUSED.has(code)) retry.push(list[k]!);
      else
        this.refuse(list[k]!.slot, UNKNOWN_NODE.has(code) ? "unknown-node" : "item-refused", describeStatusCode(code));
    });
    group.on("changed", (_mi: ClientMonitoredItemBase, dv: DataValue, k: number) => this.notify(list[k]!.slot, dv));
    return retry;
  }

  private refuse(slot: number, outcome: "unknown-node" | "item-refused", reason: string): void {
    const it = this.opts.items[slot]!;
    this.refused.push({ nodeId: it.nodeId, twin: it.twin, point: it.point, reason });
    this.opts.ingest.refuse(this.labels[slot]!, outcome, `${it.nodeId} (${it.twin}/${it.point}): ${reason}`);
  }

  private notify(slot: number, dv: DataValue): void {
    const it = this.opts.items[slot]!;
    this.opts.ingest.handleSource(
      this.labels[slot]!,
      this.route,
      (sink) => this.reader.read(dv, slot, it.scale, it.offset, sink, it.nodeId),
      this.opts.now(),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (!client) return;
    try {
      await this.session?.close(true);
    } catch {
      // the server may be gone; the disconnect below still releases the socket and timers
    }
    await client.disconnect().catch(() => undefined);
  }
}

export function planItems(b: OpcUaClientBinding): PlannedItem[] {
  return b.items.map((it) => {
    const parsed = parseNodeIdText(it.nodeId);
    // loadPlant refused the plant if this failed (validateBindings.ts); a plan is only made from a loaded plant.
    if (!parsed.ok) throw new Error(`bindings: ${it.nodeId}: ${parsed.reason}`);
    const publishing = it.publishingInterval ?? b.publishingInterval ?? DEFAULT_PUBLISHING_MS;
    return {
      nodeId: it.nodeId,
      parsed: parsed.nodeId,
      twin: (it.twin ?? b.twin)!,
      point: it.point,
      publishingInterval: publishing,
      samplingInterval: it.samplingInterval ?? b.samplingInterval ?? publishing,
      scale: it.scale ?? 1,
      offset: it.offset ?? 0,
    };
  });
}
