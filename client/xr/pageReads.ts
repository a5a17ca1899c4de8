/**
 * The page's read-only fetches behind the XR hooks `timeline` and `incident`: the same signed-in requests the
 * desktop timeline and the incident report download make, so the headset reads exactly what the laptop reads.
 */
import { authFetch, refusalText, type TokenSource } from "../auth/authFetch.ts";
import type { IncidentLike } from "./incidentTab.ts";
import type { XrTimeline } from "./xrContract.ts";

async function getJson<T>(url: string, token: TokenSource): Promise<T> {
  const res = await authFetch(url, token);
  if (!res.ok) throw new Error(await refusalText(res));
  return (await res.json()) as T;
}

/** GET /api/plants/<plant>/timeline: working memory's horizon and the journal's events (bookmarks among them). */
export function fetchTimelineAsync(plantId: string, token: TokenSource): Promise<XrTimeline> {
  return getJson(`/api/plants/${encodeURIComponent(plantId)}/timeline`, token);
}

/** GET /api/plants/<plant>/incidents/<alarm>: the incident report as JSON. */
export function fetchIncidentAsync(plantId: string, alarm: string, token: TokenSource): Promise<IncidentLike> {
  return getJson(
    `/api/plants/${encodeURIComponent(plantId)}/incidents/${encodeURIComponent(alarm)}?format=json`,
    token,
  );
}
