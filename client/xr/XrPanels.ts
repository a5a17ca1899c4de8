/**
 * The in-XR tabs around the wrist panel: a tab strip above it, and a list panel
 * over its content area for Alarms, People, Notes and Align (the Asset tab is
 * the wrist panel itself). Both ride on the wrist panel's root, so pinning,
 * floating and the wrist mount apply to all of them.
 *
 * Refreshed from the XR loop's 5 Hz poll, never per frame: the active list tab's
 * model is rebuilt there and only changed controls are touched. Button presses
 * come from the controller ray (`click`), and act through the same room
 * requests as the desktop panels; answers and refusals show in the header.
 */
import type { Ray } from "@babylonjs/core/Culling/ray.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { HandoffTicketInfo } from "../../shared/protocol.ts";
import type { RoomSnapshot } from "../app/RoomView.ts";
import { CalibrationFlow, type CalibrationOutcome, type V3 } from "./Calibration.ts";
import type { XrHooks, XrRequest } from "./xrContract.ts";
import { ListPanel } from "./ListPanel.ts";
import { KeyboardPanel } from "./KeyboardPanel.ts";
import { applyKey, emptyDraft, keyAt, type Draft } from "./keyboardLayout.ts";
import { listHitAt, sliderAt, tabAt } from "./panelLayout.ts";
import {
  alarmsTab,
  alignTab,
  notesTab,
  peopleTab,
  tabText,
  XR_SHELVE_MINUTES,
  XR_SHELVE_REASON,
  type DrillOp,
  type PanelAction,
  type TabModel,
  type XrTab,
} from "./panelModels.ts";
import { TabStrip } from "./TabStrip.ts";
import { TimelineFeed } from "./TimelineFeed.ts";
import { bookmarkName, hhmmss, scrubTarget, sliderTime, timeTab } from "./timeTab.ts";
import { incidentTab, reportPages, reportsTab, type IncidentLike } from "./incidentTab.ts";
import { procedureTab } from "./procedureTab.ts";
import { WristWhatIf } from "./whatIfTab.ts";
import { WhatIfMissFeed } from "./WhatIfMissFeed.ts";
import { WristDrills } from "./drillTab.ts";
import { processLinks } from "../../shared/processModel.ts";
import { PANEL_H, type WristPanel } from "./WristPanel.ts";

/** What the panels need from the XR experience. */
export interface PanelHost {
  /** The asset shown on the wrist (the page's selection). */
  selected(): string | null;
  /** Where the ray last hit `twin` (Babylon world), if it did: a pin note goes there. */
  lastHitOn(twin: string): { x: number; y: number; z: number } | null;
  /** The room's reference points were touched: the result to apply (alignment) or to report. */
  /** `room` is the room's reference points the touches were matched to (null when none are set yet). */
  calibrated(outcome: CalibrationOutcome, room: [V3, V3] | null): void;
  /** Undo co-location on this headset. */
  uncalibrate(): void;
  /** Co-location needs walk-in (1:1): switch to it before touching the marks; false when it cannot start here. */
  beforeCalibrate(): boolean;
  toPlant(p: V3): V3;
  centre(): V3;
}

const FLASH_MS = 4000;

export class XrPanels {
  readonly tabs: TabStrip;
  readonly list: ListPanel;
  readonly keyboard: KeyboardPanel;
  /** The note being written on the keyboard; kept when the keyboard is closed by a tab, dropped by Cancel. */
  private draft: Draft = emptyDraft();
  readonly flow = new CalibrationFlow();
  tab: XrTab = "asset";
  following: string | null = null;
  aligned = false;
  alignError = 0;
  private model: TabModel | null = null;
  private text = "";
  private flash = "";
  private flashUntil = 0;
  private alignNote = "";
  private lastView: RoomSnapshot | null = null;
  /** A handoff code made from the People tab, until it expires (performance.now() time). */
  private move: { code: string; until: number } | null = null;
  private readonly feed: TimelineFeed;
  /** The Alarms tab reading incident reports: the alarm picked (null: the list to pick from), its report once loaded. */
  private reports: { alarm: string | null; inc: IncidentLike | null; page: number; problem: string } | null = null;
  /** What if… on the selected asset: the draft, and which of the room's what-ifs the plant shows as the ghost. */
  readonly whatIf: WristWhatIf;
  /** Drills: the instructor's draft of a new one (drillTab.ts). */
  readonly drills = new WristDrills();

  constructor(
    scene: Scene,
    private readonly wrist: WristPanel,
    private readonly hooks: XrHooks,
    private readonly host: PanelHost,
  ) {
    const toward = scene.useRightHandedSystem ? 1 : -1;
    this.tabs = new TabStrip(scene, wrist.root, PANEL_H, toward);
    this.list = new ListPanel(scene, wrist.root, PANEL_H, toward);
    this.keyboard = new KeyboardPanel(scene, wrist.root, PANEL_H, toward);
    this.tabs.setActive(this.tab);
    this.list.setVisible(false);
    const misses = new WhatIfMissFeed(hooks, () => this.refresh(this.lastView, performance.now(), true));
    this.whatIf = new WristWhatIf(hooks.model, processLinks(hooks.model?.relationships ?? []), misses);
    this.feed = new TimelineFeed(hooks, () => this.refresh(this.lastView, performance.now(), true));
  }

  /** The active tab as text (the asset tab's is the wrist panel's own). */
  get content(): string {
    if (this.writing) return `Writing a note on ${this.host.selected() ?? "-"}\n${this.draft.text}`;
    return this.tab === "asset" ? this.wrist.content : this.text;
  }

  get writing(): boolean {
    return this.keyboard.visible;
  }

  get calibrating(): boolean {
    return this.flow.step !== "idle";
  }

  setTab(tab: XrTab): void {
    this.closeKeyboard();
    this.reports = null;
    this.tab = tab;
    this.tabs.setActive(tab);
    this.list.setVisible(tab !== "asset");
    if (tab === "time") this.feed.poll(performance.now(), true);
    this.refresh(this.lastView, performance.now(), true);
  }

  /**
   * A trigger pull: if the ray is on a tab or a list button, act on it and say what it was
   * ("tab:alarms", "list:ack"), "list:-" for a miss on the list panel; null when the ray is not on these panels.
   */
  click(ray: Ray): string | null {
    if (!this.wrist.root.isEnabled()) return null;
    const onTabs = ray.intersectsMesh(this.tabs.mesh);
    if (onTabs.hit) {
      const uv = onTabs.getTextureCoordinates();
      const tab = uv ? tabAt(uv.x, uv.y) : null;
      if (tab) this.setTab(tab);
      return `tab:${tab ?? "-"}`;
    }
    if (this.writing) return this.type(ray);
    if (!this.list.visible) return null;
    const onList = ray.intersectsMesh(this.list.mesh);
    if (!onList.hit) return null;
    const uv = onList.getTextureCoordinates();
    const along = uv && this.model?.slider ? sliderAt(uv.x, uv.y) : null;
    if (along !== null) {
      const now = Date.now();
      this.seek(sliderTime(this.feed.start(now), now, along));
      return "list:slider";
    }
    const hit = uv ? listHitAt(uv.x, uv.y) : null;
    const m = this.model;
    const b = !hit || !m ? null : hit.area === "action" ? m.actions[hit.slot] : m.rows[hit.row]?.buttons[hit.slot];
    if (!b) return "list:-";
    if (b.disabled) {
      this.show(b.disabled);
      return "list:disabled";
    }
    this.act(b.action);
    return `list:${b.action.kind}`;
  }

  /** A press on the keyboard: edit the draft, cancel, or pin it as a note. */
  private type(ray: Ray): string | null {
    const on = ray.intersectsMesh(this.keyboard.mesh);
    if (!on.hit) return null;
    const uv = on.getTextureCoordinates();
    const k = uv ? keyAt(uv.x, uv.y) : null;
    if (!k) return "key:-";
    if (k.key.kind === "cancel") {
      this.draft = emptyDraft();
      this.closeKeyboard();
    } else if (k.key.kind === "done") {
      const text = this.draft.text.trim();
      if (text) {
        this.closeKeyboard();
        // The draft is dropped only once the note is in the room; a refusal keeps it for another try.
        this.note(text)?.then(
          () => (this.draft = emptyDraft()),
          () => {},
        );
      }
    } else {
      this.draft = applyKey(this.draft, k.key);
      this.keyboard.render(this.draft, "Note");
    }
    return `key:${k.label}`;
  }

  private openKeyboard(): void {
    const twin = this.host.selected();
    if (!twin) {
      this.show("Point at the asset (trigger), then write");
      return;
    }
    this.keyboard.render(this.draft, `Note on ${twin}`);
    this.keyboard.setVisible(true);
    this.list.setVisible(false);
  }

  private closeKeyboard(): void {
    if (!this.writing) return;
    this.keyboard.setVisible(false);
    this.list.setVisible(this.tab !== "asset");
  }

  /** A calibration mark (where the right controller's ray met a surface, or its tip; local space). */
  touch(local: V3): void {
    const c = this.lastView?.room.calibration;
    const room: [V3, V3] | null =
      c && c.setBy
        ? [
            [c.ax, c.ay, c.az],
            [c.bx, c.by, c.bz],
          ]
        : null;
    const out = this.flow.touch(local, room, (p) => this.host.toPlant(p), this.host.centre());
    if (out.kind === "mismatch") this.alignNote = out.message;
    else if (out.kind !== "next") this.alignNote = "";
    this.host.calibrated(out, room);
    this.refresh(this.lastView, performance.now(), true);
  }

  private act(a: PanelAction): void {
    const ask = (type: XrRequest, payload: object) => this.hooks.ask?.(type, payload);
    switch (a.kind) {
      case "ack":
        this.request(ask("ack", { alarm: a.alarm }), "Acknowledged");
        break;
      case "shelve":
        this.request(
          ask("shelve", { alarm: a.alarm, minutes: XR_SHELVE_MINUTES, reason: XR_SHELVE_REASON }),
          "Shelved for 1 h",
        );
        break;
      case "unshelve":
        this.request(ask("unshelve", { alarm: a.alarm }), "Unshelved");
        break;
      case "resolve":
        this.request(ask("annotationUpdate", { id: a.id, status: "resolved" }), "Resolved");
        break;
      case "follow":
        this.following = a.seat;
        this.hooks.follow?.(a.seat);
        break;
      case "note":
        // Its outcome shows in the header (request()).
        void this.note(a.text);
        break;
      case "write":
        this.openKeyboard();
        break;
      case "reports":
        this.reports = { alarm: null, inc: null, page: 0, problem: "" };
        break;
      case "report":
        this.openReport(a.alarm);
        break;
      case "report-page": {
        const r = this.reports;
        if (r?.inc) r.page = Math.max(0, Math.min(reportPages(r.inc) - 1, r.page + a.dir));
        break;
      }
      case "report-back":
        this.reports = this.reports?.alarm ? { alarm: null, inc: null, page: 0, problem: "" } : null;
        break;
      case "calibrate":
        this.alignNote = "";
        if (this.host.beforeCalibrate()) this.flow.start(a.define || !this.lastView?.room.calibration.setBy);
        break;
      case "calibrate-cancel":
        this.flow.cancel();
        break;
      case "calibrate-undo":
        this.host.uncalibrate();
        break;
      case "scrub": {
        const now = Date.now();
        this.seek(scrubTarget(this.lastView?.room.viewTime ?? 0, now, this.feed.start(now), a.ms));
        break;
      }
      case "seek":
        this.seek(a.t);
        break;
      case "live":
        this.request(ask("playback", { action: "live" }), "Back to live");
        break;
      case "bookmark": {
        // The instant shown: the room's playback time, or now when live (as the desktop's Bookmark does).
        const t = this.lastView?.room.viewTime || Date.now();
        const name = bookmarkName(t);
        const p = ask("bookmark", { name, t });
        this.request(p, `Bookmarked “${name}”`);
        void p?.then(() => this.feed.poll(performance.now(), true)).catch(() => {});
        break;
      }
      case "proc-done":
        this.request(ask("procedureDone", { run: a.run, step: a.step }), `Step ${a.step + 1} done`);
        break;
      case "proc-show":
        this.hooks.select(a.twin);
        break;
      case "whatif": {
        const r = this.whatIf.act(a.op, this.lastView);
        const p = r ? ask(r.type, r.payload) : undefined;
        if (r) this.request(p, r.done);
        // The what-if this headset asked is the one it draws, once the room has it.
        if (r?.type === "whatIf")
          void p?.then(
            (reply) => this.whatIf.created((reply as { id: string }).id),
            () => {},
          );
        break;
      }
      case "drill":
        this.drill(a.op);
        break;
      case "move":
        void this.hooks
          .ask?.("handoffCreate", {})
          .then((r) => {
            const info = r as HandoffTicketInfo;
            this.move = { code: info.code, until: performance.now() + Math.max(0, info.expiresAt - Date.now()) };
            this.refresh(this.lastView, performance.now(), true);
          })
          .catch((e: unknown) => this.show(e instanceof Error ? e.message : String(e)));
        break;
    }
    this.refresh(this.lastView, performance.now(), true);
  }

  /** A press on the Drills tab: open the drill's room, or ask the room and let the tab see the answer. */
  private drill(op: DrillOp): void {
    const step = this.drills.act(op, this.lastView?.room ?? null);
    if (!step) return;
    if ("join" in step) {
      if (this.hooks.joinDrill) this.hooks.joinDrill(step.join);
      else this.show("Join the drill from a laptop");
      return;
    }
    const p = this.hooks.ask?.(step.type, step.payload);
    if (step.done) this.request(p, step.done);
    void p?.then(
      (reply) => {
        step.then?.(reply);
        this.refresh(this.lastView, performance.now(), true);
      },
      (e: unknown) => {
        this.drills.failed(e instanceof Error ? e.message : String(e));
        this.refresh(this.lastView, performance.now(), true);
      },
    );
  }

  private openReport(alarm: string): void {
    const r = { alarm, inc: null as IncidentLike | null, page: 0, problem: "" };
    this.reports = r;
    const p = this.hooks.incident?.(alarm);
    if (!p) {
      r.problem = "Reports cannot be read on this page";
      return;
    }
    p.then(
      (inc) => (r.inc = inc),
      (e: unknown) => (r.problem = `Report not loaded: ${e instanceof Error ? e.message : String(e)}`),
    ).finally(() => this.refresh(this.lastView, performance.now(), true));
  }

  /** Move the room's time to `t`; at or after now that is live (the server's rule as well). */
  private seek(t: number): void {
    if (t >= Date.now()) this.request(this.hooks.ask?.("playback", { action: "live" }), "Back to live");
    else this.request(this.hooks.ask?.("playback", { action: "seek", t }), `Showing ${hhmmss(t)}`);
  }

  /** Pin a note where the ray last hit the selected asset; the request's promise, or undefined when it cannot go. */
  private note(text: string): Promise<unknown> | undefined {
    const twin = this.host.selected();
    const at = twin ? this.host.lastHitOn(twin) : null;
    const offset = twin && at ? this.hooks.localOffset?.(twin, at) : null;
    if (!twin || !offset) {
      this.show("Point at the asset (trigger), then pick a label");
      return undefined;
    }
    const p = this.hooks.ask?.("annotate", { kind: "pin", twin, offset, text });
    this.request(p, `Pinned “${text.length > 30 ? `${text.slice(0, 29)}…` : text}”`);
    return p;
  }

  /** Await a room request; its outcome (or the server's refusal sentence) shows in the header for a few seconds. */
  private request(p: Promise<unknown> | undefined, done: string): void {
    if (!p) return;
    p.then(
      () => this.show(done),
      (e: unknown) => this.show(e instanceof Error ? e.message : String(e)),
    );
  }

  private show(message: string): void {
    this.flash = message;
    this.flashUntil = performance.now() + FLASH_MS;
    this.refresh(this.lastView, performance.now(), true);
  }

  /** Say how a calibration turned out (from the host, after applying or refusing it). */
  report(message: string): void {
    this.alignNote = message;
    this.refresh(this.lastView, performance.now(), true);
  }

  /** The 5 Hz poll: rebuild the active list tab's model and render what changed. */
  refresh(view: RoomSnapshot | null, now: number, force = false): void {
    this.lastView = view;
    if (!view) return;
    const state = view.room;
    let unack = 0;
    // Alarms as they stood at the shown time (the shared playback time, or now), as on the desktop.
    for (const a of view.alarms.values())
      if ((a.state === "unack-active" || a.state === "rtn-unack") && a.shelvedUntil === 0) unack++;
    this.tabs.setBadge("alarms", unack ? String(unack) : "");
    if (this.following && !state.seats.has(this.following)) {
      this.following = null;
      this.hooks.follow?.(null);
    }
    if (this.tab === "asset") return;
    if (this.tab === "time") this.feed.poll(now);
    const m = this.build(view);
    if (this.flash && now < this.flashUntil) m.header = this.flash;
    else this.flash = "";
    const text = tabText(m);
    if (!force && text === this.text) return;
    this.text = text;
    this.model = m;
    this.list.render(m);
  }

  private build(view: RoomSnapshot): TabModel {
    const state = view.room;
    const me = this.hooks.me?.() ?? { seat: null, name: "", role: "viewer" };
    switch (this.tab) {
      case "alarms": {
        const r = this.reports;
        if (r) {
          if (!r.alarm) return reportsTab(view.alarms.values());
          if (r.inc) return incidentTab(r.inc, r.page);
          return {
            header: r.problem || "Loading the report…",
            actions: [{ label: "Back", action: { kind: "report-back" } }, null, null],
            rows: [],
            more: 0,
          };
        }
        const m = alarmsTab(view.alarms.values(), me.role);
        // Reading what happened needs no role beyond being here (`report`): offered whenever there are alarms.
        if (this.hooks.incident && view.alarms.size > 0)
          m.actions[0] = { label: "Reports", action: { kind: "reports" } };
        if (view.past) m.header = `PLAYBACK ${new Date(view.at).toLocaleTimeString()} · ${m.header}`;
        return m;
      }
      case "people": {
        if (this.move && performance.now() > this.move.until) this.move = null;
        return peopleTab(state.seats.values(), me, this.following, this.move?.code ?? null);
      }
      case "steps":
        return procedureTab(state.procedure, me);
      case "drills":
        return this.drills.tab(state, me, Date.now());
      case "whatif":
        return this.whatIf.tab(view, this.host.selected(), me);
      case "notes":
        return notesTab(state.annotations.values(), this.host.selected(), me);
      case "time": {
        const now = Date.now();
        const m = timeTab(
          {
            viewTime: state.viewTime,
            playbackSpeed: state.playbackSpeed,
            by: state.seats.get(state.playbackBy)?.name ?? "",
            selfLive: state.viewTime > 0 && !view.past,
            horizon: this.feed.start(now),
            now,
            bookmarks: this.feed.bookmarks,
          },
          me,
        );
        if (this.feed.problem) m.header = this.feed.problem;
        return m;
      }
      default:
        return alignTab(
          {
            setBy: state.calibration?.setBy ?? "",
            step: this.flow.step,
            aligned: this.aligned,
            error: this.alignError,
            note: this.alignNote,
          },
          me.role,
        );
    }
  }

  dispose(): void {
    this.tabs.dispose();
    this.list.dispose();
    this.keyboard.dispose();
  }
}
