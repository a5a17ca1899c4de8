/**
 * One point's samples from working memory (GET /api/plants/<plant>/history), as the inspector's chart reads them
 * and the wrist's What if tab reads them to lay a prediction over what happened: one request, so both compare the
 * same samples (`max` downsamples a long span; the chart asks for 120).
 */
import { authFetch, refusalText, type TokenSource } from "../auth/authFetch.ts";

export interface PointSamples {
  ts: number[];
  v: number[];
}

export const CHART_SAMPLES = 120;
/** The chart's recent span (it reaches further back to a drawn what-if's fork: whatIfGhost.ts chartStart). */
export const CHART_RECENT_MS = 5 * 60_000;

export async function fetchPointHistoryAsync(
  plantId: string,
  token: TokenSource,
  q: { twin: string; point: string; from: number; to: number; max?: number },
): Promise<PointSamples> {
  const params = new URLSearchParams({
    twin: q.twin,
    point: q.point,
    from: String(q.from),
    to: String(q.to),
    max: String(q.max ?? CHART_SAMPLES),
  });
  const res = await authFetch(`/api/plants/${encodeURIComponent(plantId)}/history?${params.toString()}`, token);
  if (!res.ok) throw new Error(await refusalText(res));
  return (await res.json()) as PointSamples;
}
