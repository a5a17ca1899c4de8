/**
 * What the wrist's What if tab needs beyond the room state to say how far the drawn what-if was off: the samples of
 * the point it compares, from the same history request the inspector's chart makes (through the page's `history`
 * hook), compared by the same function (shared/whatIfMiss.ts). Fetched when the compared what-if or point changes
 * and every 5 s after, as the inspector refreshes its charts; a failed fetch keeps the last comparison.
 */
import { predictionMiss, type PredictionMiss } from "../../shared/whatIfMiss.ts";
import { CHART_RECENT_MS } from "../ui/pointHistory.ts";
import { chartStart } from "../ui/whatIfGhost.ts";
import type { XrHooks } from "./xrContract.ts";

const REFRESH_MS = 5000;

/** A prediction to lay over what happened: which what-if and point, and the values `stepMs` apart from the fork. */
export interface MissAsk {
  id: string;
  twin: string;
  point: string;
  from: number;
  stepMs: number;
  values: readonly number[];
}

export class WhatIfMissFeed {
  private key = "";
  private miss: PredictionMiss | null = null;
  private fetchedAt = -Infinity;
  private inFlight = false;

  constructor(
    private readonly hooks: Pick<XrHooks, "history">,
    /** Called when a new comparison arrived (the panels redraw). */
    private readonly changed: () => void,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The last comparison of `ask` with the plant up to `to` (epoch ms); null until one is known. */
  read(ask: MissAsk, to: number): PredictionMiss | null {
    const key = `${ask.id} ${ask.twin}/${ask.point}`;
    if (key !== this.key) {
      this.key = key;
      this.miss = null;
      this.fetchedAt = -Infinity;
    }
    const now = this.clock();
    if (this.hooks.history && !this.inFlight && to > ask.from && now - this.fetchedAt >= REFRESH_MS) {
      this.inFlight = true;
      this.fetchedAt = now;
      this.hooks.history(ask.twin, ask.point, chartStart(to, CHART_RECENT_MS, ask), to).then(
        (h) => {
          this.inFlight = false;
          if (key !== this.key) return;
          this.miss = predictionMiss(ask, h.ts, h.v);
          this.changed();
        },
        () => {
          this.inFlight = false;
        },
      );
    }
    return this.miss;
  }
}
