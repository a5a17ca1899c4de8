/**
 * Colyseus room state (schema 5, decorator-free builders). Shared so the client
 * decodes with the same classes the server encodes with.
 *
 * Design: participants are keyed by *seat* id, not by connection; a seat survives
 * reconnects and (later) device handoffs. Twin points carry their source timestamp,
 * quality and staleness. `viewTime` is the room's shared time (0 = live).
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import { ProcedureRunState } from "./procedureState.ts";
import { IncidentState } from "./incidentState.ts";
import { wire } from "./wireNumbers.ts";
import { WhatIfState } from "./whatIfState.ts";
import { DrillState } from "./drillState.ts";

export const PointState = schema(
  {
    /**
     * Engineering value (NaN never appears: bad input is rejected at ingest). Lossless compact decimal on the
     * wire (shared/wireNumbers.ts): 45.3 costs 2 bytes instead of a float64's 8.
     */
    v: wire.decimal(),
    /** Source timestamp, ms since epoch. On the wire as whole ms from 2026-01-01 when it is one (6 bytes, not 8). */
    ts: wire.epochMs(),
    /** Quality (shared/status.ts Quality). */
    q: t.uint8(),
    /** True when the point has not updated within 3 expected periods. */
    stale: t.boolean(),
    /**
     * The source's own quality code when it sent one, e.g. "0x80310000 BadNoCommunication" (OPC UA StatusCode
     * with its sub-code) or "OPC DA 24 (comm failure)"; unset or "" when none. Shown on hover of the quality.
     * Set only once a source sends a code, so a plant that sends none pays nothing for it.
     */
    code: t.string(),
    /** A structured point's (DTDL Map/Array) last value as JSON text; unset for numeric points. */
    json: t.string(),
  },
  "PointState",
);
export type PointState = SchemaType<typeof PointState>;

export const TwinState = schema(
  {
    /** AssetStatus (shared/status.ts): the worst state of the asset, sent to every client (the summary). */
    status: t.uint8(),
    /**
     * Full-rate values, sent only to clients whose StateView holds this twin (interest management,
     * server/rooms/InterestSync.ts). Outside a client's interest `points` is absent on that client.
     */
    points: t.map(PointState).view(),
  },
  "TwinState",
);
export type TwinState = SchemaType<typeof TwinState>;

/** A twin as a client reads it: status always; `points` only while the twin is in the client's interest. */
export interface TwinSeen {
  readonly status: number;
  readonly points?: ReadonlyMap<string, PointState> | undefined;
}

/** A pose in the plant frame (metres, +y up): position and orientation quaternion. */
export const PoseState = schema(
  {
    x: t.float32(),
    y: t.float32(),
    z: t.float32(),
    qx: t.float32(),
    qy: t.float32(),
    qz: t.float32(),
    qw: t.float32(),
  },
  "PoseState",
);
export type PoseState = SchemaType<typeof PoseState>;

/** A laser pointer in the plant frame: from the hand/camera to what it hits. */
export const PointerState = schema(
  {
    active: t.boolean(),
    ox: t.float32(),
    oy: t.float32(),
    oz: t.float32(),
    tx: t.float32(),
    ty: t.float32(),
    tz: t.float32(),
    /** Twin under the pointer, "" when none. */
    twin: t.string(),
  },
  "PointerState",
);
export type PointerState = SchemaType<typeof PointerState>;

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
    /** Head (XR) or camera (desktop) pose, plant frame. */
    head: PoseState,
    left: PoseState,
    right: PoseState,
    /** Bit 0: left hand/controller tracked; bit 1: right. */
    hands: t.uint8(),
    pointer: PointerState,
    /** Seat id this participant follows, "" when none. */
    following: t.string(),
    speaking: t.boolean(),
    /** In the room's voice call. */
    inCall: t.boolean(),
    muted: t.boolean(),
    /**
     * Bumped each time a device (re)joins the call for this seat, e.g. after a handoff. Peers hold
     * their link to the old device until this changes, then link to the new one: no voice gap to wait out.
     */
    voiceEpoch: t.uint32(),
    /** This seat's camera in the call: "" (off), "live" (video) or "stills" (thin link: stills on demand). */
    camera: t.string(),
    /** Who sits here (stable across devices); dev sign-in: "dev:<name>". */
    user: t.string(),
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

/**
 * A mark anchored to an asset: position (and ink points) in the twin node's local
 * frame, so it stays on the asset when the scene is re-laid out or scaled.
 */
export const AnnotationState = schema(
  {
    id: t.string(),
    /** "pin" | "ink" */
    kind: t.string(),
    twin: t.string(),
    ox: t.float32(),
    oy: t.float32(),
    oz: t.float32(),
    /** Ink stroke points, local frame, flattened x,y,z,... */
    points: t.array("float32"),
    text: t.string(),
    author: t.string(),
    authorSeat: t.string(),
    color: t.string(),
    createdAt: t.float64(),
    updatedAt: t.float64(),
    /** "open" | "resolved" */
    status: t.string(),
    /** Linked alarm id, "" when none. */
    alarm: t.string(),
  },
  "AnnotationState",
);
export type AnnotationState = SchemaType<typeof AnnotationState>;

/**
 * Co-location: two reference points in plant coordinates (metres) that every headset in the room aligns to by
 * touching the same two physical spots. `setBy` "": none set yet.
 */
export const CalibrationState = schema(
  {
    ax: t.float64(),
    ay: t.float64(),
    az: t.float64(),
    bx: t.float64(),
    by: t.float64(),
    bz: t.float64(),
    setBy: t.string(),
    setAt: t.float64(),
  },
  "CalibrationState",
);
export type CalibrationState = SchemaType<typeof CalibrationState>;

/** A Sparkplug edge node the plant binds, as this server's host application sees it (keyed "group/node"). */
export const EdgeNodeSeen = schema(
  {
    group: t.string(),
    node: t.string(),
    /** shared/protocol.ts EdgeNodeState: "not seen" | "online" | "waiting for birth" | "offline". */
    state: t.string(),
    /** Server time of the last change of state (ms since epoch); 0 while "not seen". */
    since: t.float64(),
  },
  "EdgeNodeSeen",
);
export type EdgeNodeSeen = SchemaType<typeof EdgeNodeSeen>;

/**
 * A twin's soonest confident alarm-limit crossing (server/forecast/): "reaches HIGH 85 °C in ~12 min".
 * Present only while the forecast is confident; keyed by twin id in `forecasts`.
 */
export const AlarmForecastState = schema(
  {
    /** Point name (DTDL content name) that will reach its limit. */
    point: t.string(),
    /** "highAlarm" | "lowAlarm" */
    limit: t.string(),
    /** The limit's value, in the point's unit. */
    value: t.float64(),
    /** Plant time (ms since epoch) when the forecast reaches the limit. */
    at: t.float64(),
    /** Plant time of the forecast: `at - from` is the time left, whatever the client's clock says. */
    from: t.float64(),
  },
  "AlarmForecastState",
);
export type AlarmForecastState = SchemaType<typeof AlarmForecastState>;

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
    annotations: t.map(AnnotationState),
    /** Seat id of the presenter, "" when nobody presents. */
    presenter: t.string(),
    /** While viewTime > 0: the twin as it was at viewTime (from working memory). Live `twins` keep flowing. */
    playback: t.map(TwinState),
    /** While viewTime > 0: alarms as they stood at viewTime (from the journal). */
    pastAlarms: t.map(AlarmState),
    /** Playback speed (1, 4, 16) while playing; 0 when paused. */
    playbackSpeed: t.float32(),
    /** Seat that controls playback, "" when live. */
    playbackBy: t.string(),
    /** Co-location reference points shared by the room's headsets (persisted per plant). */
    calibration: CalibrationState,
    /** People on this plant in its other rooms of this server (a second room opens only when one is full). */
    elsewhere: t.uint16(),
    /** Why the plant's values are not arriving (its broker is away), "" while they are: shown in the status panel. */
    offline: t.string(),
    /** The plant's Sparkplug edge nodes and whether their values arrive: shown in the plant status panel. */
    edgeNodes: t.map(EdgeNodeSeen),
    /** The room's procedure run (shared/procedureState.ts). */
    procedure: ProcedureRunState,
    /** Live alarm forecasts by twin id: only twins that will confidently reach an alarm limit soon. */
    forecasts: t.map(AlarmForecastState),
    /** Recent incidents, open or closed, with their work orders (shared/incidentState.ts). */
    incidents: t.map(IncidentState),
    /** The room's what-ifs by id (shared/whatIfState.ts): predictions, never sent to the plant. */
    whatIfs: t.map(WhatIfState),
    /** Drills started on this plant, by id (shared/drillState.ts): each runs on its own sandbox twin. */
    drills: t.map(DrillState),
  },
  "PlantRoomState",
);
export type PlantRoomState = SchemaType<typeof PlantRoomState>;

/** What the panels render: live (the room state itself) or the past (`playback` / `pastAlarms`). */
export interface TwinView {
  twins: ReadonlyMap<string, TwinSeen>;
  alarms: PlantRoomState["alarms"];
  /** Alarm forecasts by twin id; absent while the view shows the past (a forecast is about the live plant). */
  forecasts?: ReadonlyMap<string, AlarmForecastState> | undefined;
}
