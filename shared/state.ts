/**
 * Colyseus room state (schema 5, decorator-free builders). Shared so the client
 * decodes with the same classes the server encodes with.
 *
 * Design: participants are keyed by *seat* id, not by connection; a seat survives
 * reconnects and (later) device handoffs. Twin points carry their source timestamp,
 * quality and staleness. `viewTime` is the room's shared time (0 = live).
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

export const PointState = schema(
  {
    /** Engineering value (NaN never appears: bad input is rejected at ingest). */
    v: t.float64(),
    /** Source timestamp, ms since epoch. */
    ts: t.float64(),
    /** Quality (shared/status.ts Quality). */
    q: t.uint8(),
    /** True when the point has not updated within 3 expected periods. */
    stale: t.boolean(),
  },
  "PointState",
);
export type PointState = SchemaType<typeof PointState>;

export const TwinState = schema(
  {
    /** AssetStatus (shared/status.ts). */
    status: t.uint8(),
    points: t.map(PointState),
  },
  "TwinState",
);
export type TwinState = SchemaType<typeof TwinState>;

export const SeatState = schema(
  {
    id: t.string(),
    name: t.string(),
    role: t.string(),
    color: t.string(),
    device: t.string(),
    /** "online" | "reconnecting" */
    presence: t.string(),
    /** Selected twin id, "" when none. */
    selection: t.string(),
    joinedAt: t.float64(),
  },
  "SeatState",
);
export type SeatState = SchemaType<typeof SeatState>;

export const AlarmState = schema(
  {
    id: t.string(),
    rule: t.string(),
    twin: t.string(),
    /** 1 low, 2 medium, 3 high, 4 critical */
    severity: t.uint8(),
    /** "normal" | "unack-active" | "ack-active" | "rtn-unack" (ISA-18.2) */
    state: t.string(),
    message: t.string(),
    activeAt: t.float64(),
    ackedBy: t.string(),
    ackedAt: t.float64(),
    shelvedBy: t.string(),
    /** 0 when not shelved. */
    shelvedUntil: t.float64(),
  },
  "AlarmState",
);
export type AlarmState = SchemaType<typeof AlarmState>;

export const PlantRoomState = schema(
  {
    protocol: t.uint16(),
    plant: t.string(),
    /** Shared view time in ms since epoch; 0 means live. */
    viewTime: t.float64(),
    seats: t.map(SeatState),
    twins: t.map(TwinState),
    /** Alarms that are not normal, or shelved (normal, unshelved alarms are removed). */
    alarms: t.map(AlarmState),
  },
  "PlantRoomState",
);
export type PlantRoomState = SchemaType<typeof PlantRoomState>;
