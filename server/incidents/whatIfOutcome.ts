/**
 * How good a saved what-if's prediction was, for the incident report: each point it predicted to move, compared with
 * what the plant really did after the fork, in the same words and figures the desktop shows under its chart and the
 * wrist shows under the drawn what-if ("At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s";
 * shared/whatIfMiss.ts). The journal row (server/rooms/WhatIfRoom.ts) keeps the predicted values for this; rows
 * written before it did, or rows that do not read as a what-if, say nothing rather than guess. Pure function.
 */
import { z } from "zod";
import type { PointDef } from "../../shared/plant.ts";
import { num } from "../../shared/valueWords.ts";
import { predictionMiss, predictionMissText } from "../../shared/whatIfMiss.ts";
import type { JournalEntry } from "../journal/JournalEntry.ts";

/** The parts of a "whatif" journal row the report reads; checked, since the journal is a file on disk. */
const SavedWhatIf = z.object({
  point: z.string(),
  fault: z.string().optional(),
  was: z.number(),
  value: z.number(),
  horizonS: z.number().positive(),
  from: z.number(),
  stepS: z.number().positive(),
  predicted: z.record(z.string(), z.object({ values: z.array(z.number()).optional() })),
});

/** One predicted point beside what happened. */
export interface WhatIfMissLine {
  key: string;
  /** "L101 Flow". */
  name: string;
  afterS: number;
  predicted: number;
  actual: number;
  /** "At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s". */
  text: string;
}

export interface IncidentWhatIf {
  /** When it was saved. */
  ts: number;
  by: string;
  twin: string;
  point: string;
  /** The fault in words ("cavitation"), "" for a plain set. */
  fault: string;
  was: number;
  value: number;
  horizonS: number;
  /** Plant time of the fork. */
  from: number;
  /** "P401 Speed (stuck where it is), 10 min ahead" or "P101 Speed 2900 → 1450 rpm, 10 min ahead". */
  change: string;
  /** Nothing yet when no sample of a predicted point has come in after the fork. */
  misses: WhatIfMissLine[];
}

/** A point as the report reads it: its name, how its values are written, and its samples in a time span. */
export interface ReportPoint {
  name: string;
  def: Pick<PointDef, "decimals" | "symbol">;
  samples(from: number, to: number): { ts: readonly number[]; v: readonly number[] };
}

/**
 * The what-if journalled in `e`, each point it moved compared with the plant up to `now` (the changed point itself is
 * the person's hypothesis, not a prediction, so it is left out, as on the wrist). Null when `e` is no what-if row.
 */
export function whatIfOutcome(
  e: JournalEntry,
  point: (key: string) => ReportPoint | undefined,
  now: number,
): IncidentWhatIf | null {
  const d = SavedWhatIf.safeParse(e.data);
  if (e.kind !== "whatif" || !d.success) return null;
  const w = d.data;
  const stepMs = w.stepS * 1000;
  const changed = `${e.subject}/${w.point}`;
  const misses = Object.entries(w.predicted).flatMap(([key, p]): WhatIfMissLine[] => {
    const at = point(key);
    if (key === changed || !p.values || !at) return [];
    const line = { from: w.from, stepMs, values: p.values };
    const h = at.samples(w.from, Math.min(now, w.from + w.horizonS * 1000));
    const miss = predictionMiss(line, h.ts, h.v);
    return miss ? [{ key, name: at.name, ...miss, text: predictionMissText(at.def, miss) }] : [];
  });
  const c = point(changed);
  const name = c?.name ?? changed;
  const what = w.fault
    ? `${name} (${w.fault})`
    : `${name} ${w.was.toFixed(c?.def.decimals ?? 2)} → ${num(c?.def, w.value)}`;
  return {
    ts: e.ts,
    by: e.actor,
    twin: e.subject,
    point: w.point,
    fault: w.fault ?? "",
    was: w.was,
    value: w.value,
    horizonS: w.horizonS,
    from: w.from,
    change: `${what}, ${Math.round(w.horizonS / 60)} min ahead`,
    misses,
  };
}
