/** Field shapes and bounds shared by several messages: coordinates, poses, annotation text, size limits. */
import { z } from "zod";

/** Largest coordinate accepted on the wire (metres from the plant origin): a site, not a planet. */
export const MAX_COORD = 10_000;
export const Coord = z.number().finite().min(-MAX_COORD).max(MAX_COORD);
export const Vec3 = z.tuple([Coord, Coord, Coord]);
const Unit = z.number().finite().min(-1.01).max(1.01);
/** Position + unit quaternion. */
export const Pose = z
  .tuple([Coord, Coord, Coord, Unit, Unit, Unit, Unit])
  .refine(([, , , x, y, z, w]) => Math.abs(Math.hypot(x, y, z, w) - 1) < 0.05, "orientation must be a unit quaternion");
export type Pose = z.infer<typeof Pose>;

/** Closest two co-location reference points may be (horizontally): closer, a touch error of 1 cm turns the room ~2°. */
export const MIN_CALIBRATION_SPAN = 0.3;
export const MAX_ANNOTATION_TEXT = 1000;
export const MAX_SIGNAL_BYTES = 16 * 1024;
export const MAX_INK_POINTS = 2000;
export const AnnotationText = z
  .string()
  .max(MAX_ANNOTATION_TEXT, `An annotation's text is at most ${MAX_ANNOTATION_TEXT} characters.`)

  .refine(
    (s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s),
    "An annotation cannot contain control characters.",
  );

/** Bounds of an `interest` message: areas a client may watch at once, extra twins (selection, shared, followed). */
export const MAX_INTEREST_AREAS = 64;
export const MAX_INTEREST_TWINS = 16;

/** Longest reason an admin may give for removing someone (kick). */
export const MAX_KICK_REASON = 200;
