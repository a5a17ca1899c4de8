/** The page's status chrome: the plant loading bar, the connection badge, the "plant offline" badge. */
import type { ConnectionState } from "../session/PlantSession.ts";
import { byId, toast } from "../ui/dom.ts";

export function showLoading(fraction: number | null, text?: string): void {
  const box = byId("loading");
  box.hidden = false;
  if (text) byId("loading-text").textContent = text;
  const pct = fraction === null ? null : Math.round(fraction * 100);
  byId("loading-bar").style.width = pct === null ? "30%" : `${pct}%`;
  box.setAttribute("aria-valuenow", String(pct ?? 0));
}

export function hideLoading(): void {
  byId("loading").hidden = true;
}

/** What the badge knows: the connection, and the time the page shows when it plays the past (0 = live). */
const badge = { state: "offline" as ConnectionState, playbackAt: 0 };

export function setConnection(state: ConnectionState, detail?: string): void {
  badge.state = state;
  paintBadge();
  if (detail && state !== "live") toast(detail);
}

/**
 * The page shows the room's past (`at`, ms) or live (0). A badge saying "live" over values from ten minutes ago
 * misleads, so while connected it says PLAYBACK and the time shown instead.
 */
export function setPlaybackBadge(at: number): void {
  if (at === badge.playbackAt) return;
  badge.playbackAt = at;
  paintBadge();
}

function paintBadge(): void {
  const c = byId("conn");
  const text: Record<ConnectionState, string> = {
    offline: "offline",
    joining: "joining…",
    live: "live",
    reconnecting: "reconnecting…",
    closed: "disconnected",
    left: "left",
  };
  const past = badge.state === "live" && badge.playbackAt > 0;
  c.textContent = past
    ? `PLAYBACK ${new Date(badge.playbackAt).toLocaleTimeString([], { hour12: false })}`
    : text[badge.state];
  c.className = `conn ${past ? "playback" : badge.state}`;
}

/** The plant's own data source (its broker) is away: values shown are the last known ones. */
export function showPlantOffline(reason: string): void {
  const b = byId("plant-offline");
  b.hidden = reason === "";
  if (b.title === reason) return;
  b.textContent = "plant offline";
  b.title = reason;
}
