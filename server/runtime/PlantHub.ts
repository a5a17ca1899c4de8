/**
 * One twin per plant per process: loads a plant directory once, builds its
 * working memory and ingest, subscribes its topics on the shared MQTT
 * connection, and hands the same runtime to every room on that plant.
 * Rooms hold a plant (`acquire`/`release`); in a cluster (`unloadIdle`) a plant
 * nobody holds is unloaded, so a process ingests only the plants it hosts rooms for.
 */
import path from "node:path";
import fs from "node:fs";
import { PlantIngest, type IngestOutcome } from "../ingest/PlantIngest.ts";
import { OpcUaSources } from "../ingest/opcua/OpcUaSources.ts";
import type { MqttConnection } from "../ingest/MqttConnection.ts";
import { loadPlantDir, plantDirMismatch, type LoadedPlant } from "../plant/loadPlant.ts";
import { formatIssue } from "../plant/PlantError.ts";
import { PlantTwin } from "../twin/PlantTwin.ts";
import { PlantForecaster, type ForecastOptions } from "../forecast/PlantForecaster.ts";
import type { Clock } from "../twin/Clock.ts";
import { AlarmBook } from "../alarms/AlarmBook.ts";
import { LimitAlarms } from "../alarms/LimitAlarms.ts";
import { restoreEvaluators } from "../alarms/restoreAlarms.ts";
import { AnnotationBook } from "../collab/AnnotationBook.ts";
import { randomBytes } from "node:crypto";
import { RuleEngine, type RuleTransition } from "../rules/index.ts";
import { DRILL_MARK } from "../../shared/drill.ts";

/** Rule severities as the alarm book stores them (1 low … 4 critical). */
const SEVERITY: Record<RuleTransition["severity"], number> = { low: 1, medium: 2, high: 3, critical: 4 };
import type { JournalStore } from "../store/JournalStore.ts";
import type { PlantLease } from "./PlantLease.ts";
import type { ConditionChange } from "../alarms/AlarmBook.ts";
import type { AnnotationRecord } from "../collab/AnnotationBook.ts";

export class UnknownPlantError extends Error {
  override name = "UnknownPlantError";
}

export interface PlantRuntime {
  plant: LoadedPlant;
  twin: PlantTwin;
  ingest: PlantIngest;
  alarms: AlarmBook;
  annotations: AnnotationBook;
  store: JournalStore;
  /** The plant's OPC UA servers (bindings with format "opcua"); none when it has no such binding. */
  opcua: OpcUaSources;
  /** Alarm-limit forecasts per twin, refreshed every few seconds (server/forecast/). */
  forecast: PlantForecaster;
}

export interface PlantHubOptions {
  plantsDir: string;
  mqtt: MqttConnection;
  clock: Clock;
  topicPrefix: string;
  store: JournalStore;
  log: (msg: string) => void;
  /** MQTT_WRITES=on: lets Sparkplug ingest request a rebirth (the only write Gemba ever makes). */
  writesEnabled?: boolean;
  /**
   * Cluster mode: unload a plant when its last room releases it (and after an HTTP look at a plant no room holds).
   * Off in a single process, where plants stay loaded so alarms keep being evaluated with nobody watching.
   */
  unloadIdle?: boolean;
  /** Tolerance for samples stamped ahead of the server clock (MAX_FUTURE_SECONDS); the ingest default when absent. */
  maxFutureMs?: number;
  /** Alarm forecast settings (FORECAST_USUAL_MINUTES); the forecaster's defaults when absent. */
  forecast?: ForecastOptions;
  /**
   * Cluster with a shared journal: only the lease holder evaluates a plant's rules and alarm lifecycle; the others
   * apply its results as they arrive through the store (docs/SCALING.md). Absent: this process evaluates every plant.
   */
  lease?: PlantLease;
  /** DATA_DIR/opcua-pki: the OPC UA client certificate store (needed once a plant binds an OPC UA server). */
  opcuaPkiDir: string;
  /** Where OPC UA passwords are read (`passwordEnv`); process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * A sandbox plant (a drill, shared/drill.ts): the base plant's model under its own id, with no MQTT or OPC UA
 * binding, fed in-process by `feed` (which returns what stops it). Its alarms and journal rows carry its own id.
 */
export interface Sandbox {
  base: string;
  feed: (rt: PlantRuntime) => () => void;
}

export class PlantHub {
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly runtimes = new Map<string, Promise<PlantRuntime>>();
  /** Per plant: what undoes its load (its timers and MQTT subscriptions). */
  private readonly teardown = new Map<PlantRuntime, (() => Promise<void> | void)[]>();
  /** Per plant: how many rooms of this process hold it. */
  private readonly holders = new Map<string, number>();
  private readonly models = new Map<string, Promise<LoadedPlant>>();
  private lastRejectLog = 0;
  private suppressed = 0;

  constructor(private readonly opts: PlantHubOptions) {}

  /** Plant ids that exist on disk (directories with a plant.json). */
  available(): string[] {
    try {
      return fs
        .readdirSync(this.opts.plantsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(this.opts.plantsDir, d.name, "plant.json")))
        .map((d) => d.name)
        .sort();
    } catch {
      return [];
    }
  }

  loaded(): PlantRuntime[] {
    return [...this.settled.values()];
  }
  private readonly settled = new Map<string, PlantRuntime>();

  get(plantId: string): Promise<PlantRuntime> {
    let p = this.runtimes.get(plantId);
    if (!p) {
      p = this.load(plantId);
      this.runtimes.set(plantId, p);
      p.catch(() => this.runtimes.delete(plantId));
    }
    return p;
  }

  /** A room's hold on a plant: loads it (ingest included) on first hold. */
  async acquire(plantId: string): Promise<PlantRuntime> {
    this.holders.set(plantId, (this.holders.get(plantId) ?? 0) + 1);
    try {
      return await this.get(plantId);
    } catch (e) {
      this.holders.set(plantId, this.holders.get(plantId)! - 1);
      throw e;
    }
  }

  /** A room lets go; in a cluster the last one out unloads the plant. */
  async release(plantId: string): Promise<void> {
    const n = Math.max(0, (this.holders.get(plantId) ?? 0) - 1);
    this.holders.set(plantId, n);
    await this.unloadIfIdle(plantId);
  }

  /** In a cluster, unload a plant no room of this process holds (HTTP routes call it after a look at the twin). */
  async unloadIfIdle(plantId: string): Promise<void> {
    if (!this.opts.unloadIdle || (this.holders.get(plantId) ?? 0) > 0 || !this.runtimes.has(plantId)) return;
    const p = this.runtimes.get(plantId)!;
    this.runtimes.delete(plantId);
    let rt: PlantRuntime;
    try {
      rt = await p;
    } catch {
      return;
    }
    if (this.settled.get(plantId) === rt) this.settled.delete(plantId);
    const undo = this.teardown.get(rt) ?? [];
    this.teardown.delete(rt);
    for (const u of undo) await u();
    this.opts.log(`plant "${plantId}": unloaded (no room on this process holds it)`);
  }

  /** Throws UnknownPlantError unless `plantId` names a plant directory or an open sandbox; loads nothing. */
  check(plantId: string): void {
    if (plantId.includes(DRILL_MARK)) {
      if (!this.sandboxes.has(plantId)) throw new UnknownPlantError(`"${plantId}" is not an open drill.`);
      return;
    }
    this.dirOf(plantId);
  }

  /** Register a sandbox plant; it loads (and its feed starts) on the first `get`/`acquire` of `id`. */
  openSandbox(id: string, sandbox: Sandbox): void {
    if (this.sandboxes.has(id)) throw new Error(`sandbox "${id}" is already open`);
    this.sandboxes.set(id, sandbox);
  }

  /** Stop a sandbox's feed and forget its runtime (its journal rows stay). */
  async closeSandbox(id: string): Promise<void> {
    if (!this.sandboxes.delete(id)) return;
    const p = this.runtimes.get(id);
    this.runtimes.delete(id);
    this.models.delete(id);
    this.holders.delete(id);
    if (!p) return;
    const rt = await p.catch(() => null);
    if (!rt) return;
    if (this.settled.get(id) === rt) this.settled.delete(id);
    const undo = this.teardown.get(rt) ?? [];
    this.teardown.delete(rt);
    for (const u of undo) await u();
  }

  /** The plant's model and bindings without ingesting it (for pages that only draw the plant). */
  model(plantId: string): Promise<LoadedPlant> {
    const rt = this.settled.get(plantId);
    if (rt) return Promise.resolve(rt.plant);
    let p = this.models.get(plantId);
    if (!p) {
      p = this.sandboxes.has(plantId) ? this.sandboxModel(plantId) : this.loadDir(plantId);
      this.models.set(plantId, p);
      p.catch(() => this.models.delete(plantId));
    }
    return p;
  }

  private dirOf(plantId: string): string {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(plantId)) throw new UnknownPlantError(`"${plantId}" is not a plant id.`);
    const dir = path.join(this.opts.plantsDir, plantId);
    if (!fs.existsSync(path.join(dir, "plant.json"))) {
      const known = this.available();
      throw new UnknownPlantError(
        `unknown plant "${plantId}": no ${path.join(dir, "plant.json")}` +
          (known.length ? ` (plants here: ${known.join(", ")}).` : "."),
      );
    }
    return dir;
  }

  /** The base plant under the sandbox's id, without bindings: nothing subscribes to the plant's broker or servers. */
  private async sandboxModel(id: string): Promise<LoadedPlant> {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) throw new UnknownPlantError(`"${id}" is not an open drill.`);
    const base = await this.model(sandbox.base);
    return { ...base, model: { ...base.model, id }, bindings: [] };
  }

  private async loadDir(plantId: string): Promise<LoadedPlant> {
    const plant = await loadPlantDir(this.dirOf(plantId));
    const mismatch = plantDirMismatch(plantId, plant.model.id);
    if (mismatch) throw new UnknownPlantError(mismatch);
    for (const w of plant.warnings) this.opts.log(`plant "${plantId}": warning: ${formatIssue(w)}`);
    return plant;
  }

  private async load(plantId: string): Promise<PlantRuntime> {
    // The files are read once per process (model() may have read them already): a room's onCreate stays short.
    const plant = await this.model(plantId);
    const undo: (() => Promise<void> | void)[] = [];
    try {
      const rt = await this.build(plantId, plant, undo);
      this.teardown.set(rt, undo);
      return rt;
    } catch (e) {
      for (const u of undo) await u();
      throw e;
    }
  }

  private async build(
    plantId: string,
    plant: LoadedPlant,
    undo: (() => Promise<void> | void)[],
  ): Promise<PlantRuntime> {
    const twin = new PlantTwin(plant.model);
    const ingest = new PlantIngest(twin, plant.bindings, {
      topicPrefix: this.opts.topicPrefix,
      maxFutureMs: this.opts.maxFutureMs,
      onReject: (o, topic, detail) => this.logReject(plantId, o, topic, detail),
      writesEnabled: this.opts.writesEnabled === true,
      publish: (t, p) => this.opts.mqtt.publish(t, p),
      log: this.opts.log,
    });
    if (this.opts.topicPrefix && ingest.sparkplug) {
      this.opts.log(
        `plant "${plantId}": MQTT_TOPIC_PREFIX "${this.opts.topicPrefix}" is not applied to Sparkplug topics: the spBv1.0 namespace is fixed by the specification`,
      );
    }
    const { clock } = this.opts;
    for (const filter of ingest.filters) {
      undo.push(await this.opts.mqtt.subscribe(filter, (topic, payload) => ingest.handle(topic, payload, clock.now())));
    }
    // Not awaited past the certificate store: a server that is down shows as such, it does not hold up the plant.
    const opcua = await OpcUaSources.start(plant.bindings, ingest, {
      pkiDir: this.opts.opcuaPkiDir,
      env: this.opts.env ?? process.env,
      now: () => clock.now(),
      log: (m) => this.opts.log(`plant "${plantId}": ${m}`),
    });
    undo.push(() => opcua.close());
    const sparkplug = ingest.sparkplug;
    if (sparkplug) {
      // Gemba's own link to the broker dropped: what edge nodes sent meanwhile is lost (SparkplugIngest.connectionLost).
      undo.push(
        this.opts.mqtt.onConnectionLost(() => {
          const n = sparkplug.connectionLost(clock.now());
          if (n > 0)
            this.opts.log(`plant "${plantId}": ${n} Sparkplug edge node(s) marked bad until they report again`);
        }),
      );
    }
    const every = (fn: () => void, ms: number) => {
      const t = clock.setInterval(fn, ms);
      undo.push(() => clock.clearInterval(t));
    };
    every(() => twin.checkStale(clock.now()), 1000);
    const alarms = new AlarmBook(plantId, this.opts.store, () => clock.now());
    const limits = new LimitAlarms(twin);
    const rules = new RuleEngine(plant.rules, twin, plant.model);
    restoreEvaluators(alarms.alarms.values(), limits, rules); // a restart re-checks restored alarms on fresh samples
    // Conditions are collected as data arrives and applied on a short tick, so a burst costs one pass.
    // Rules are evaluated on plant time (newest source timestamp), not the server clock.
    const owner = this.ownership(plantId, undo);
    // Every process evaluates (so a successor's rule state is warm), only the owner applies. What a non-owner saw
    // is kept as the latest condition per alarm and applied on takeover: transitions are idempotent, so this
    // catches up on whatever the previous owner had no time to write, and writes nothing twice.
    const unapplied = new Map<string, ConditionChange>();
    every(() => {
      const fromLimits = limits.drain();
      const fromRules =
        twin.latestTs > 0 ? rules.evaluate(twin.latestTs).map((t) => ({ ...t, severity: SEVERITY[t.severity] })) : [];
      if (!owner.ready()) {
        for (const c of [...fromLimits, ...fromRules]) unapplied.set(`${c.rule}:${c.twin}`, c);
        return;
      }
      // Written under this ownership's fencing token: refused by PostgreSQL if a successor has taken over meanwhile.
      this.opts.store.fenced(plantId, owner.epoch(), () => {
        if (unapplied.size) {
          alarms.applyConditions([...unapplied.values()]);
          unapplied.clear();
        }
        alarms.applyConditions(fromLimits);
        if (fromRules.length) alarms.applyConditions(fromRules);
        alarms.tick(clock.now());
      });
    }, 250);
    // Forecasts run on plant time like the rules, so a replay or catch-up forecasts from the data's own clock.
    const forecast = new PlantForecaster(twin, this.opts.forecast);
    every(() => {
      if (twin.latestTs > 0) forecast.tick(twin.latestTs);
    }, forecast.stepMs);
    const annotations = new AnnotationBook(
      plantId,
      this.opts.store,
      () => clock.now(),
      () => randomBytes(6).toString("hex"),
    );
    // In a cluster, what other processes stored reaches this process's books (and so its rooms).
    undo.push(
      this.opts.store.onReplicated((p, change) => {
        if (p !== plantId) return;
        if (change.t === "alarm") alarms.adopt(change.record);
        else if (change.t === "annotation") annotations.adopt(change.id, change.record as AnnotationRecord | null);
      }),
    );
    const rt: PlantRuntime = { plant, twin, ingest, alarms, annotations, store: this.opts.store, opcua, forecast };
    const sandbox = this.sandboxes.get(plantId);
    if (sandbox) undo.push(sandbox.feed(rt));
    this.settled.set(plantId, rt);
    this.opts.log(
      `plant "${plantId}": ${plant.model.twins.length} assets, ${twin.points.length} points, listening on ${ingest.filters.join(", ")}`,
    );
    return rt;
  }

  /**
   * Whether this process may apply a plant's alarm changes now: always in a single process; in a cluster while it
   * holds the plant's lease and has read everything the previous owner wrote.
   */
  private ownership(
    plantId: string,
    undo: (() => Promise<void> | void)[],
  ): { ready: () => boolean; epoch: () => number } {
    const lease = this.opts.lease;
    if (!lease) return { ready: () => true, epoch: () => 0 };
    let caughtUp = false;
    let epoch = 0;
    undo.push(
      lease.onChange((p, owned) => {
        if (p !== plantId) return;
        caughtUp = false;
        const mine = ++epoch;
        if (owned) void this.opts.store.catchUp().then(() => (caughtUp = mine === epoch && lease.owns(plantId)));
      }),
    );
    lease.hold(plantId);
    undo.push(() => lease.release(plantId));
    return { ready: () => caughtUp && lease.owns(plantId), epoch: () => lease.epoch(plantId) };
  }

  /** Bad input is logged, at most once a second with a count of what was suppressed, so a flood cannot fill the disk. */
  private logReject(plant: string, outcome: IngestOutcome, topic: string, detail: string): void {
    const now = this.opts.clock.now();
    if (now - this.lastRejectLog < 1000) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed ? ` (+${this.suppressed} more rejected since last report)` : "";
    this.suppressed = 0;
    this.lastRejectLog = now;
    this.opts.log(`ingest ${plant}: rejected ${outcome} on "${topic.slice(0, 200)}": ${detail}${more}`);
  }

  async close(): Promise<void> {
    const all = [...this.teardown.values()];
    this.teardown.clear();
    for (const undo of all) for (const u of undo) await u();
  }
}
