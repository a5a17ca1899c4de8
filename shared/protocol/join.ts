/** What a client says when it joins the plant room (`joinOrCreate(PLANT_ROOM, options)`). */
import { z } from "zod";

export const DEVICE_KINDS = ["desktop", "headset", "tablet", "phone"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const ROLES = ["viewer", "operator", "expert", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** A display name: trimmed, 1..40 characters, no control characters. Rendered as text only. */
export const DisplayName = z
  .string()
  .trim()
  .min(1, "Enter a display name.")
  .max(40, "A display name has at most 40 characters.")

  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "A display name cannot contain control characters.");

/** A plant's id, or a drill's sandbox of it (`demo~drill-k3x9q2`, shared/drill.ts). */
export const PlantId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}(~drill-[a-z0-9]{4,16})?$/, "A plant id is lowercase letters, digits and dashes.");

/** Options a client passes to `joinOrCreate(PLANT_ROOM, options)`. */
/**
 * Who joins and with which role comes from the sign-in token (server/auth), never from here. Unknown keys (an old
 * page's `role` or `seat`) are stripped, so such a page still joins; a reconnecting page uses the SDK's
 * reconnection token, not a seat id.
 */
export const JoinOptions = z.object({
  protocol: z.number().int(),
  plant: PlantId,
  name: DisplayName,
  device: z.enum(DEVICE_KINDS).default("desktop"),
  /** Continue a session from another device: a handoff ticket's token (from a link/QR) or 6-digit code. */
  handoff: z.string().min(6).max(64).optional(),
  /** Join as a separate participant even if this user already has a seat here (skip the "move it here" offer). */
  separate: z.boolean().optional(),
});
export type JoinOptions = z.input<typeof JoinOptions>;
