/**
 * Interest management for one room: which twins' full-rate values each connection receives.
 *
 * Every client gets every twin's status (the summary: worst state per asset) and all alarms, which
 * are shared state. A twin's `points` (schema field tagged `.view()` in shared/state.ts) reach a
 * connection only when its Colyseus StateView holds that twin: the twins of the areas the client
 * asked for plus a few named twins (its selection). Playback twins follow the same sets, so a
 * client replaying the past sees the values of what it looks at.
 *
 * With interest management off (small plants) all connections share one view holding everything:
 * Colyseus encodes a shared view once per patch, so this costs what unfiltered state did.
 * New connections start with every area (what an SDK script or an older page expects); the web
 * client narrows that right after joining.
 */
import { StateView } from "@colyseus/schema";
import type { Client } from "@colyseus/core";
import { countPoints, type PlantModel } from "../../shared/plant.ts";
import type { InterestMessage } from "../../shared/protocol.ts";
import type { PlantRoomState, TwinState } from "../../shared/state.ts";

export const INTEREST_SETTINGS = ["auto", "on", "off"] as const;
export type InterestSetting = (typeof INTEREST_SETTINGS)[number];

/** INTEREST=auto turns interest management on above this many points (the demo plant has 300, ×10 has 3000). */
export const INTEREST_AUTO_POINTS = 1000;

export function interestEnabled(setting: InterestSetting, model: PlantModel): boolean {
  return setting === "on" || (setting === "auto" && countPoints(model) > INTEREST_AUTO_POINTS);
}

export type InterestResult = { ok: true; twins: number } | { ok: false; code: string; message: string };

interface Watcher {
  view: StateView;
  /** Twin ids whose values this connection receives. */
  twins: Set<string>;
}

export class InterestSync {
  private readonly areaTwins = new Map<string, string[]>();
  private readonly twinIds: Set<string>;
  private readonly watchers = new Map<string, Watcher>();
  /** Last interest of each seat, so it moves with the seat to another device (handoff). */
  private readonly seatInterest = new Map<string, InterestMessage>();
  private sharedView: StateView | null = null;
  readonly counters = { changes: 0, added: 0, removed: 0, refused: 0 };

  constructor(
    model: PlantModel,
    private readonly state: PlantRoomState,
    readonly enabled: boolean,
  ) {
    for (const a of model.areas) this.areaTwins.set(a.id, []);
    for (const t of model.twins) this.areaTwins.get(t.area)?.push(t.id);
    this.twinIds = new Set(model.twins.map((t) => t.id));
  }

  /** Give a new connection its view: everything until it says otherwise. */
  attach(client: Client): void {
    if (!this.enabled) {
      client.view = this.shared();
      return;
    }
    const w: Watcher = { view: new StateView(), twins: new Set() };
    this.watchers.set(client.sessionId, w);
    client.view = w.view;
    this.apply(w, this.twinIds);
    // The join's full state is encoded from the view's visibility; the queued per-view ADDs would send it twice.
    w.view.changes.clear();
  }

  detach(client: Client): void {
    const w = this.watchers.get(client.sessionId);
    if (!w) return;
    this.watchers.delete(client.sessionId);
    w.view.dispose();
  }

  forgetSeat(seat: string): void {
    this.seatInterest.delete(seat);
  }

  /** The client's areas (and named twins) of interest; refused whole when any id is unknown. */
  set(client: Client, msg: InterestMessage, seat: string | undefined): InterestResult {
    const badArea = msg.areas.find((a) => !this.areaTwins.has(a));
    if (badArea !== undefined) return this.refuse("unknown-area", `There is no area "${badArea}" in this plant.`);
    const badTwin = msg.twins?.find((t) => !this.twinIds.has(t));
    if (badTwin !== undefined) return this.refuse("unknown-twin", `There is no asset "${badTwin}" in this plant.`);
    if (seat) this.seatInterest.set(seat, msg);
    const w = this.watchers.get(client.sessionId);
    if (!w) return { ok: true, twins: this.twinIds.size };
    const next = this.twinsOf(msg);
    this.apply(w, next);
    return { ok: true, twins: next.size };
  }

  /** A seat now driven by another connection (handoff, take-back): its interest comes along. */
  moveSeat(seat: string, to: Client): void {
    const msg = this.seatInterest.get(seat);
    const w = this.watchers.get(to.sessionId);
    if (msg && w) this.apply(w, this.twinsOf(msg));
  }

  /** Playback created its twin maps: every view gets the past values of the twins it already watches. */
  playbackStarted(): void {
    if (!this.enabled) {
      if (this.sharedView) for (const ts of this.state.playback.values()) this.sharedView.add(ts);
      return;
    }
    for (const w of this.watchers.values()) {
      for (const id of w.twins) {
        const past = this.state.playback.get(id);
        if (past) w.view.add(past);
      }
    }
  }

  /** Twins watched by a connection (tests, benches). */
  watched(sessionId: string): ReadonlySet<string> | undefined {
    return this.watchers.get(sessionId)?.twins;
  }

  private refuse(code: string, message: string): InterestResult {
    this.counters.refused++;
    return { ok: false, code, message };
  }

  private twinsOf(msg: InterestMessage): Set<string> {
    const out = new Set<string>(msg.twins ?? []);
    for (const a of msg.areas) for (const t of this.areaTwins.get(a) ?? []) out.add(t);
    return out;
  }

  /** Add before remove is irrelevant within one patch: both land in the same frame to the client. */
  private apply(w: Watcher, next: ReadonlySet<string>): void {
    this.counters.changes++;
    for (const id of w.twins) {
      if (next.has(id)) continue;
      this.toggle(w.view, id, false);
      this.counters.removed++;
    }
    for (const id of next) {
      if (w.twins.has(id)) continue;
      this.toggle(w.view, id, true);
      this.counters.added++;
    }
    w.twins = new Set(next);
  }

  private toggle(view: StateView, id: string, on: boolean): void {
    for (const ts of [this.state.twins.get(id), this.state.playback.get(id)] as (TwinState | undefined)[]) {
      if (!ts) continue;
      if (on) view.add(ts);
      else view.remove(ts);
    }
  }

  private shared(): StateView {
    if (!this.sharedView) {
      this.sharedView = new StateView();
      for (const ts of this.state.twins.values()) this.sharedView.add(ts);
      for (const ts of this.state.playback.values()) this.sharedView.add(ts);
      this.sharedView.changes.clear(); // as in attach(): every joiner gets the full state from visibility
    }
    return this.sharedView;
  }
}
