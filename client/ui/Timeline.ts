/**
 * The shared timeline: LIVE or PLAYBACK hh:mm:ss, a scrubber over the
 * working-memory horizon with alarm and collaboration events marked, play at
 * 1×/4×/16×, pause, step to the previous/next event, back to live, and "leave
 * playback for me". Moving the room's time needs the playback role; anyone can
 * step out of playback for themselves.
 */
import { can } from "../../shared/permissions.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { authFetch, type TokenSource } from "../auth/authFetch.ts";
import { askText } from "./askText.ts";
import { byId, el, toast } from "./dom.ts";
import { hhmmss, markTitle, type TimelineEvent } from "./timelineWords.ts";
import { DRILL_TIMELINE_KINDS } from "../../shared/drill.ts";

export interface TimelineActions {
  playback(
    msg:
      { action: "seek"; t: number } | { action: "play"; speed: 1 | 4 | 16 } | { action: "pause" } | { action: "live" },
  ): Promise<void>;
  bookmark(name: string, t: number): Promise<void>;
}

export class Timeline {
  private horizon = Date.now() - 30 * 60_000;
  private events: TimelineEvent[] = [];
  /** This participant chose to stay live while the room plays back. */
  selfLive = false;
  private dragging = false;

  constructor(
    private readonly plantId: string,
    private readonly actions: TimelineActions,
    private readonly token: TokenSource,
    /** An asset in words ("P401 Feed pump") for the marks' tooltips. */
    private readonly twinName: (id: string) => string = (id) => id,
  ) {
    const bar = el("div");
    bar.id = "timeline";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Timeline");
    const label = el("span", "tl-label", "LIVE");
    label.id = "tl-label";
    const prev = this.button("tl-prev", "◀", "Previous event");
    const pause = this.button("tl-pause", "❚❚", "Pause");
    const speeds = ([1, 4, 16] as const).map((sp) => this.button(`tl-play-${sp}`, `▶ ${sp}×`, `Play at ${sp}×`));
    const next = this.button("tl-next", "▶|", "Next event");
    const range = el("input");
    range.id = "tl-range";
    range.type = "range";
    range.setAttribute("aria-label", "Time");
    const marks = el("div", "tl-marks");
    marks.id = "tl-marks";
    const wrap = el("div", "tl-track");
    wrap.append(marks, range);
    const live = this.button("tl-live", "Back to live", "Return the room to live");
    const self = this.button("tl-self", "Leave playback", "See live values yourself while the room plays back");
    const mark = this.button("tl-bookmark", "Bookmark", "Name this moment for everyone (a playback target)");
    mark.addEventListener("click", () => {
      // The moment is the one on screen when the button was pressed, not when the name was typed.
      const t = this.current || Date.now();
      askText({
        title: "Bookmark this moment",
        label: "Name",
        value: hhmmss(t),
        maxLength: 80,
        save: async (name) => {
          await this.actions.bookmark(name, t);
          await this.refresh();
        },
      });
    });
    bar.append(label, prev, pause, ...speeds, next, wrap, live, self, mark);
    document.body.appendChild(bar);
    const banner = el("div");
    banner.id = "playback-banner";
    banner.hidden = true;
    document.body.appendChild(banner);

    range.addEventListener("pointerdown", () => (this.dragging = true));
    range.addEventListener("change", () => {
      this.dragging = false;
      void this.act({ action: "seek", t: Number(range.value) });
    });
    pause.addEventListener("click", () => void this.act({ action: "pause" }));
    speeds.forEach((b, i) =>
      b.addEventListener("click", () => void this.act({ action: "play", speed: ([1, 4, 16] as const)[i]! })),
    );
    live.addEventListener("click", () => void this.act({ action: "live" }));
    prev.addEventListener("click", () => this.stepEvent(-1));
    next.addEventListener("click", () => this.stepEvent(1));
    self.addEventListener("click", () => {
      this.selfLive = !this.selfLive;
      this.onSelfLive(this.selfLive);
    });
    void this.refresh();
    setInterval(() => void this.refresh(), 10_000);
  }

  onSelfLive: (on: boolean) => void = () => {};
  private current = 0;

  private button(id: string, text: string, title: string): HTMLButtonElement {
    const b = el("button", "", text);
    b.id = id;
    b.type = "button";
    b.title = title;
    return b;
  }

  private async act(msg: Parameters<TimelineActions["playback"]>[0]): Promise<void> {
    // A refusal (before working memory, no playback role) is said, not swallowed.
    await this.actions.playback(msg).catch((e: Error) => toast(e.message));
  }

  /** Seek to `ms` before an instant (e.g. 30 s before an alarm). */
  seekBefore(t: number, ms: number): void {
    // An alarm soon after the server started has less than `ms` of memory before it: start at the oldest moment
    // kept (a second inside it, as memory rolls forward) rather than be refused.
    void this.act({ action: "seek", t: Math.max(t - ms, Math.min(t, this.horizon + 1000)) });
  }

  private stepEvent(dir: 1 | -1): void {
    const t = this.current || Date.now();
    const list =
      dir > 0 ? this.events.filter((e) => e.ts > t + 500) : this.events.filter((e) => e.ts < t - 500).reverse();
    const e = list[0];
    if (e) void this.act({ action: "seek", t: e.ts });
    else if (dir > 0) void this.act({ action: "live" });
  }

  async refresh(): Promise<void> {
    try {
      const res = await authFetch(`/api/plants/${encodeURIComponent(this.plantId)}/timeline`, this.token);
      if (!res.ok) return;
      const body = (await res.json()) as { horizon: number; now: number; events: TimelineEvent[] };
      this.horizon = body.horizon;
      this.events = body.events;
      this.drawMarks(body.now);
    } catch {
      // the next refresh tries again
    }
  }

  private drawMarks(now: number): void {
    const marks = byId("tl-marks");
    const span = Math.max(1, now - this.horizon);
    marks.replaceChildren(
      ...this.events
        .filter(
          (e) =>
            e.kind === "alarm.active" ||
            e.kind === "annotation.create" ||
            e.kind === "handoff" ||
            e.kind === "alarm.ack" ||
            e.kind === "bookmark" ||
            // Only a drill's sandbox answers with these: the debrief's marks (docs/TRAINING.md).
            DRILL_TIMELINE_KINDS.includes(e.kind),
        )
        .map((e) => {
          const m = el("span", `tl-mark ${e.kind.replace(".", "-")}`);
          m.style.left = `${(((e.ts - this.horizon) / span) * 100).toFixed(2)}%`;
          m.title = markTitle(e, this.twinName);
          return m;
        }),
    );
  }

  update(state: PlantRoomState, role: string): void {
    const now = Date.now();
    const range = byId<HTMLInputElement>("tl-range");
    const inPlayback = state.viewTime > 0;
    this.current = state.viewTime;
    range.min = String(Math.floor(this.horizon));
    range.max = String(now);
    if (!this.dragging) range.value = String(inPlayback ? state.viewTime : now);
    const mayMove = can(role, "playback");
    for (const id of ["tl-prev", "tl-pause", "tl-play-1", "tl-play-4", "tl-play-16", "tl-next", "tl-live"]) {
      byId<HTMLButtonElement>(id).disabled = !mayMove;
    }
    range.disabled = !mayMove;
    byId("tl-live").hidden = !inPlayback;
    const self = byId("tl-self");
    self.hidden = !inPlayback;
    self.textContent = this.selfLive ? "Rejoin playback" : "Leave playback";
    const showingPast = inPlayback && !this.selfLive;
    const label = byId("tl-label");
    label.textContent = showingPast
      ? `PLAYBACK ${hhmmss(state.viewTime)}${state.playbackSpeed ? ` ▶ ${state.playbackSpeed}×` : ""}`
      : "LIVE";
    label.className = `tl-label ${showingPast ? "past" : "live"}`;
    const banner = byId("playback-banner");
    banner.hidden = !showingPast;
    if (showingPast) {
      const by = state.seats.get(state.playbackBy)?.name;
      banner.textContent = `PLAYBACK ${hhmmss(state.viewTime)}${by ? ` · ${by}` : ""}`;
    }
    if (inPlayback && this.selfLive === false && state.viewTime < this.horizon)
      banner.textContent += " · before working memory: no data";
  }
}
