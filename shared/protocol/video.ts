/**
 * The call's camera (docs/VIDEO.md): what a seat shares (live video over the voice mesh, or sharp stills when
 * the link is too thin), stills relayed through the room as size-limited JPEG, and strokes drawn on a frame
 * in normalised 0..1 coordinates. Client events and server messages, spread into the tables in
 * clientEvents.ts and serverMessages.ts.
 */
import { z } from "zod";

/** Largest still the room relays: base64 characters of one JPEG (about 150 KB of image). */
export const MAX_STILL_CHARS = 200_000;
/** Most points in one stroke (pairs of x, y). */
export const MAX_STROKE_POINTS = 500;
/** Still ids are "<seat>-<n>"; strokes on the live picture name "". */
const StillId = z.string().max(80);
/** A normalised frame coordinate: 0 is the left/top edge, 1 the right/bottom edge. */
const Unit = z
  .number()
  .finite()
  .min(0, "Stroke points are 0..1 of the frame.")
  .max(1, "Stroke points are 0..1 of the frame.");
/** A camera picture: a base64 JPEG (no data: prefix) and its size in pixels. */
const Picture = {
  jpeg: z
    .string()
    .max(MAX_STILL_CHARS, `A still is at most ${MAX_STILL_CHARS / 1000}k base64 characters.`)
    .regex(/^\/9j\/[A-Za-z0-9+/]*={0,2}$/, "A still is a base64 JPEG."),
  width: z.number().int().min(16).max(4096),
  height: z.number().int().min(16).max(4096),
};
/** A stroke's colour (the drawer's). */
const Color = z.string().regex(/^#[0-9a-f]{6}$/i, "A stroke colour is #rrggbb.");

export const VideoEvents = {
  /** This seat's camera: "off", "live" (video track in the call) or "stills" (link too thin: stills on demand). */
  camera: z.object({ mode: z.enum(["off", "live", "stills"]) }).strict(),
  /** Ask a camera seat for a sharp still now ("Freeze"). */
  stillAsk: z.object({ camera: z.string().min(1).max(64) }).strict(),
  /** A still from this seat's camera: a base64 JPEG (no data: prefix) and its size in pixels. */
  still: z.object(Picture).strict(),
  /**
   * The frame a stroke on the live picture was drawn on, from the camera's own device (it grabs its current frame
   * when the stroke reaches it), so the journal keeps what was marked with what was seen. Not relayed.
   */
  strokeFrame: z.object({ stroke: z.string().min(1).max(80), ...Picture }).strict(),
  /** A stroke on a camera's frame: the live picture (still "") or a still by id; points are x, y pairs in 0..1. */
  stroke: z
    .object({
      camera: z.string().min(1).max(64),
      still: StillId,
      points: z
        .array(Unit)
        .min(4, "A stroke has at least two points.")
        .max(MAX_STROKE_POINTS * 2, `A stroke has at most ${MAX_STROKE_POINTS} points.`)
        .refine((p) => p.length % 2 === 0, "Stroke points come in x, y pairs."),
      color: Color,
    })
    .strict(),
} as const;

export const VideoMessages = {
  /** A camera seat is asked for a still (by seat `from`). */
  stillAsk: z.object({ from: z.string() }),
  /** A still from camera seat `seat`, shown frozen by everyone. */
  still: z.object({
    seat: z.string(),
    id: StillId,
    jpeg: z.string(),
    width: z.number(),
    height: z.number(),
    at: z.number(),
  }),
  /** A stroke drawn by `from` on `camera`'s frame (journal entry `journalId` keeps it). */
  stroke: z.object({
    id: z.string(),
    from: z.string(),
    camera: z.string(),
    still: z.string(),
    points: z.array(z.number()),
    color: z.string(),
  }),
} as const;
