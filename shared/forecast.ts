/**
 * GET /api/plants/:id/forecast?twin=…: the short-horizon forecast of each numeric point of one asset, for the
 * inspector's ghost continuation of its charts. Declared once here with its validator so the client checks it.
 */
import { z } from "zod";

export const PointForecast = z.object({
  /** Time of the first forecast value (ms since epoch, plant time); then one value every stepMs. */
  start: z.number(),
  stepMs: z.number().positive(),
  mean: z.array(z.number()),
  /** The band: a 90 % range around the mean, from the forecast's own past errors. */
  lo: z.array(z.number()),
  hi: z.array(z.number()),
});
export type PointForecast = z.infer<typeof PointForecast>;

export const TwinForecast = z.object({
  twin: z.string(),
  /** Plant time the forecast starts from (the newest source timestamp). */
  from: z.number(),
  /** By point name; a point with too little good history, or that is not a number, is absent. */
  points: z.record(z.string(), PointForecast),
});
export type TwinForecast = z.infer<typeof TwinForecast>;

/** How far ahead the inspector's ghost reaches: as far as its charts look back. */
export const FORECAST_CHART_MS = 5 * 60_000;

/** Words for an alarm limit on a label: ISA-style HIGH / LOW. */
export const LIMIT_WORD = { highAlarm: "HIGH", lowAlarm: "LOW" } as const;
