/**
 * Shared time travel for one room: the twin and its alarms as they were at the
 * room's view time, written into `state.playback` / `state.pastAlarms` beside
 * the live `state.twins` (which keep flowing). Each step is one shared patch for
 * all clients (values that changed), never a full-state resend per client.
 * Values come from working memory; alarm states from the journal; past both
 * horizons nothing is invented (points with no sample there have ts 0).
 *
 * A paused view is refreshed once a second: samples can reach working memory after the room looked at their
 * instant (a Sparkplug edge node's store-and-forward, a late OPC UA source timestamp, an ingest that fell behind),
 * and the room must then show what working memory says for that instant, not what it said when someone scrubbed.
 */
import { MapSchema } from "@colyseus/schema";
import { AlarmState, PointState, TwinState, type PlantRoomState } from "../../shared/state.ts";
import { combineStatus, Quality, Severity, severityOf } from "../../shared/status.ts";
import type { JournalStore } from "../store/JournalStore.ts";
import type { PlantTwin } from "../twin/PlantTwin.ts";

/** Playing steps the view time this often; a paused view is rewritten every PAUSED_REFRESH_TICKS steps (1 s). */
const STEP_MS = 250;
const PAUSED_REFRESH_TICKS = 4;

export type PlaybackResult = { ok: true; t: number } | { ok: false; message: string };

export class PlaybackSync {
  private timer: unknown = null;
  private readonly pointStates: PointState[] = [];
  private readonly twinStates: TwinState[] = [];
  /** Server time of the last step while playing (to advance view time by elapsed × speed). */
  private lastTick = 0;
  /** Ticks since the paused view was last rewritten (it is rewritten every PAUSED_REFRESH_TICKS). */
  private pausedTicks = 0;
  readonly counters = { seeks: 0, steps: 0, refreshes: 0 };

  constructor(
    private readonly twin: PlantTwin,
    private readonly store: JournalStore,
    private readonly plant: string,
    private readonly state: PlantRoomState,
    private readonly clock: {
      now(): number;
      setInterval(fn: () => void, ms: number): unknown;
      clearInterval(h: unknown): void;
    },
    /** Called when the playback twin maps are created (interest management adds them to client views). */
    private readonly onStarted: () => void = () => {},
  ) {}

  /** Oldest instant working memory can answer for (either tier). */
  horizon(): number {
    let oldest = Infinity;
    for (const p of this.twin.points) {
      const o = Math.min(p.history.oldest ?? Infinity, p.coarse.oldest ?? Infinity);
      if (o < oldest) oldest = o;
    }
    return oldest === Infinity ? this.clock.now() : oldest;
  }

  seek(t: number): PlaybackResult {
    const now = this.clock.now();
    if (t >= now) return this.live();
    const h = this.horizon();
    if (t < h) {
      return {
        ok: false,
        message: `Working memory reaches back to ${new Date(h).toISOString()}; there is no data before that to play back.`,
      };
    }
    this.ensureMaps();
    this.write(t);
    this.counters.seeks++;
    this.startTimer();
    return { ok: true, t };
  }

  play(speed: number, by: string): PlaybackResult {
    if (this.state.viewTime === 0) {
      const r = this.seek(this.clock.now() - 60_000);
      if (!r.ok) return r;
    }
    this.state.playbackSpeed = speed;
    this.state.playbackBy = by;
    this.lastTick = this.clock.now();
    this.startTimer();
    return { ok: true, t: this.state.viewTime };
  }

  pause(): PlaybackResult {
    this.state.playbackSpeed = 0;
    return { ok: true, t: this.state.viewTime };
  }

  live(): PlaybackResult {
    this.stopTimer();
    this.state.viewTime = 0;
    this.state.playbackSpeed = 0;
    this.state.playbackBy = "";
    this.state.playback.clear();
    this.state.pastAlarms.clear();
    this.pointStates.length = 0;
    this.twinStates.length = 0;
    return { ok: true, t: 0 };
  }

  private step(): void {
    if (this.state.playbackSpeed === 0) {
      if (++this.pausedTicks < PAUSED_REFRESH_TICKS) return;
      this.pausedTicks = 0;
      this.counters.refreshes++;
      this.write(this.state.viewTime);
      return;
    }
    const now = this.clock.now();
    const next = this.state.viewTime + (now - this.lastTick) * this.state.playbackSpeed;
    this.lastTick = now;
    if (next >= now) {
      this.live();
      return;
    }
    this.counters.steps++;
    this.write(next);
  }

  /** One timer while the room is in the past: it steps while playing and refreshes while paused. */
  private startTimer(): void {
    this.timer ??= this.clock.setInterval(() => this.step(), STEP_MS);
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
  }

  private ensureMaps(): void {
    if (this.twinStates.length) return;
    for (const tw of this.twin.twins) {
      const ts = new TwinState();
      ts.status = 3;
      ts.points = new MapSchema<PointState>();
      for (const i of tw.points) {
        const ps = new PointState();
        ts.points.set(this.twin.points[i]!.def.name, ps);
        this.pointStates[i] = ps;
      }
      this.state.playback.set(tw.id, ts);
      this.twinStates.push(ts);
    }
    this.onStarted();
  }

  private write(t: number): void {
    this.state.viewTime = t;
    this.twin.twins.forEach((tw, ti) => {
      let worst: Severity = Severity.NORMAL;
      let unknown = false;
      for (const i of tw.points) {
        const p = this.twin.points[i]!;
        const s = this.twin.valueAt(i, t);
        const ps = this.pointStates[i]!;
        if (!s) {
          ps.v = 0;
          ps.ts = 0;
          ps.q = Quality.BAD;
          unknown = true;
          continue;
        }
        ps.v = s.v;
        ps.ts = s.ts;
        ps.q = s.q;
        // Stale at t if its last sample is older than three periods before t.
        ps.stale = t - s.ts > p.def.period * 3000;
        if (ps.stale || s.q === Quality.BAD) unknown = true;
        else {
          const sev = severityOf(s.v, p.def.limits);
          if (sev > worst) worst = sev;
        }
      }
      this.twinStates[ti]!.status = combineStatus(worst, unknown);
    });
    this.writeAlarms(t);
  }

  /** Alarm states at t: the state recorded by the last journal entry of each alarm at or before t. */
  private writeAlarms(t: number): void {
    const entries = this.store.query({
      plant: this.plant,
      until: t,
      since: t - 24 * 3600_000,
      kinds: ["alarm.active", "alarm.cleared", "alarm.ack", "alarm.shelve", "alarm.unshelve"],
      limit: 10_000,
    });
    const last = new Map<string, (typeof entries)[number]>();
    for (const e of entries) last.set(e.subject, e);
    const seen = new Set<string>();
    for (const [id, e] of last) {
      const st = str(e.data["state"], "normal");
      if (st === "normal") continue;
      seen.add(id);
      let a = this.state.pastAlarms.get(id);
      if (!a) {
        a = new AlarmState();
        a.id = id;
        a.rule = str(e.data["rule"]);
        a.twin = str(e.data["twin"]);
        this.state.pastAlarms.set(id, a);
      }
      a.state = st;
      a.severity = Number(e.data["severity"] ?? 2);
      a.message = str(e.data["message"]);
      a.activeAt = e.kind === "alarm.active" ? e.ts : a.activeAt || e.ts;
      a.ackedBy = e.kind === "alarm.ack" ? e.actor : a.ackedBy;
    }
    for (const id of [...this.state.pastAlarms.keys()]) if (!seen.has(id)) this.state.pastAlarms.delete(id);
  }

  dispose(): void {
    this.stopTimer();
  }
}

function str(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}
