/**
 * The Time tab on the wrist: the room's shared timeline as plain data, like the desktop timeline
 * (client/ui/Timeline.ts) and through the same room requests (`playback`, `bookmark`). Scrub by
 * −1 min / −10 s / +10 s or along a scrubber from the start of working memory to now, go back to live,
 * bookmark the shown instant under an automatic name, and jump to the latest bookmarks.
 *
 * Permissions come from the table the server enforces (shared/permissions.ts): moving the room's time
 * needs `playback`, a bookmark needs `annotate`; a role without them sees where the room is, with no buttons.
 */
import { can } from "../../shared/permissions.ts";
import type { Me, PanelRow, TabModel } from "./panelModels.ts";

/** A bookmark from the plant's journal (the timeline's `bookmark` events). */
export interface BookmarkLike {
  ts: number;
  name: string;
  actor: string;
}

export interface TimeInput {
  /** The room's shared view time (epoch ms), 0 when live. */
  viewTime: number;
  playbackSpeed: number;
  /** Who moved the room's time (a name), "" when unknown. */
  by: string;
  /** This participant stepped out of the shared playback (desktop "Leave playback"): values shown are live. */
  selfLive: boolean;
  /** How far back working memory reaches (epoch ms), and now. */
  horizon: number;
  now: number;
  /** Newest last. */
  bookmarks: readonly BookmarkLike[];
}

export const SCRUB_STEPS = [
  { label: "−1 min", ms: -60_000 },
  { label: "−10 s", ms: -10_000 },
  { label: "+10 s", ms: 10_000 },
] as const;

/** Bookmarks listed under the scrubber (rows 2 and 3; row 0 is the scrubber, row 1 the current instant). */
const BOOKMARK_ROWS = 2;

export function hhmmss(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour12: false });
}

/** The name a bookmark made in the headset gets: nothing can be typed there. */
export function bookmarkName(t: number): string {
  return `Bookmark ${hhmmss(t)}`;
}

/** Where a scrub step lands: never before working memory; at or past now means live (the server's rule too). */
export function scrubTarget(viewTime: number, now: number, horizon: number, ms: number): number {
  const from = viewTime > 0 ? viewTime : now;
  return Math.max(horizon, Math.min(now, from + ms));
}

/** The instant at fraction `u` (0..1) of the scrubber. */
export function sliderTime(horizon: number, now: number, u: number): number {
  return Math.round(horizon + Math.max(0, Math.min(1, u)) * (now - horizon));
}

export function timeTab(t: TimeInput, me: Me): TabModel {
  const mayMove = can(me.role, "playback");
  const past = t.viewTime > 0;
  const header = !past
    ? "LIVE"
    : `PLAYBACK ${hhmmss(t.viewTime)}${t.playbackSpeed ? ` ▶ ${t.playbackSpeed}×` : ""}${t.by ? ` · ${t.by}` : ""}`;
  const m: TabModel = {
    header: past && t.selfLive ? `${header} · you see live` : header,
    actions: [null, null, null],
    rows: [],
    more: 0,
  };
  if (mayMove) {
    SCRUB_STEPS.forEach((s, i) => {
      // Forward from live goes nowhere: no dead button.
      if (s.ms > 0 && !past) return;
      m.actions[i] = { label: s.label, action: { kind: "scrub", ms: s.ms } };
    });
    const span = Math.max(1, t.now - t.horizon);
    m.slider = {
      at: past ? Math.max(0, Math.min(1, (t.viewTime - t.horizon) / span)) : 1,
      from: hhmmss(t.horizon),
      to: "now",
    };
  }
  // Row 0 sits under the scrubber: an empty row keeps the layout fixed (the scrubber is drawn there).
  m.rows.push(blank());
  m.rows.push({
    text: past ? `Shown: ${hhmmss(t.viewTime)}` : `Shown: now (${hhmmss(t.now)})`,
    sub: mayMove ? `Memory from ${hhmmss(t.horizon)}` : "An expert moves the room's time",
    color: past ? "#f3c30f" : "#7ee08a",
    buttons: [
      can(me.role, "annotate") ? { label: "Bookmark", action: { kind: "bookmark" } } : null,
      past && mayMove ? { label: "Live", action: { kind: "live" } } : null,
    ],
  });
  const marks = t.bookmarks.filter((b) => b.ts >= t.horizon && b.ts <= t.now);
  for (const b of marks.slice(-BOOKMARK_ROWS).reverse()) {
    m.rows.push({
      text: b.name,
      sub: `${hhmmss(b.ts)}${b.actor ? ` · ${b.actor}` : ""}`,
      color: "#c9a0ff",
      buttons: [null, mayMove ? { label: "Go", action: { kind: "seek", t: b.ts } } : null],
    });
  }
  m.more = Math.max(0, marks.length - BOOKMARK_ROWS);
  return m;
}

function blank(): PanelRow {
  return { text: "", sub: "", color: "#b8c7d1", buttons: [null, null] };
}
