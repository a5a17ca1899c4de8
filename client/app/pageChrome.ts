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

export function setConnection(state: ConnectionState, detail?: string): void {
  const c = byId("conn");
  const text: Record<ConnectionState, string> = {
    offline: "offline",
    joining: "joining…",
    live: "live",
    reconnecting: "reconnecting…",
    closed: "disconnected",
  };
  c.textContent = text[state];
  c.className = `conn ${state}`;
  if (detail && state !== "live") toast(detail);
}

/** The plant's own data source (its broker) is away: values shown are the last known ones. */
export function showPlantOffline(reason: string): void {
  const b = byId("plant-offline");
  b.hidden = reason === "";
  if (b.title === reason) return;
  b.textContent = "plant offline";
  b.title = reason;
}
