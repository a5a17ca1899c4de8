/**
 * The XR contract's types: poses the presence sender reads, the hooks the page
 * gives XR, and the controller XR gives back. Kept apart from index.ts so the
 * experience (XrExperience.ts) and the entry point both depend on this file and
 * not on each other.
 */
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { PlantModel } from "../../shared/plant.ts";
import type { RoomSnapshot } from "../app/RoomView.ts";
import type { PointSamples } from "../ui/pointHistory.ts";
import type { IncidentLike } from "./incidentTab.ts";

export type Pose7 = [number, number, number, number, number, number, number];

export interface XrPoses {
  head: Pose7;
  left: Pose7 | null;
  right: Pose7 | null;
  pointer: { o: [number, number, number]; t: [number, number, number]; twin: string | null } | null;
}

export interface XrHooks {
  /** Select (or clear) an asset, exactly as a desktop click does. */
  select(twin: string | null): void;
  /** The room as the page shows it (live, or the shared playback time), read by the in-XR panels at most 5 times a second. */
  view?(): RoomSnapshot | null;
  /** The plant model: names, types, units and limits for the in-XR panel. */
  model?: PlantModel;
  /** The page's current selection (desktop, shared, or from XR), so the in-XR panel follows it. */
  selection?(): string | null;
  /** Who this participant is: the in-XR tabs offer what the role allows (shared/permissions.ts). */
  me?(): { seat: string | null; name: string; role: string };
  /** A room request from the in-XR tabs; rejects with the server's sentence. */
  ask?(type: XrRequest, payload: object): Promise<unknown>;
  /** Follow a participant (null stops), as the desktop participants panel does. */
  follow?(seat: string | null): void;
  /** The plant's timeline (working-memory horizon, journal events incl. bookmarks), as the desktop timeline reads it. */
  timeline?(): Promise<XrTimeline>;
  /** A point's samples in a span, as the inspector's chart reads them (the What if tab compares a prediction). */
  history?(twin: string, point: string, from: number, to: number): Promise<PointSamples>;
  /** An alarm's incident report (the desktop's download, as JSON), for reading it on the wrist. */
  incident?(alarm: string): Promise<IncidentLike>;
  /** Push-to-talk from a controller button or a held pinch: while down, a muted microphone is open. */
  talk?(down: boolean): void;
  /** A world point on an asset in that asset's local frame (where a pin note is anchored). */
  localOffset?(twin: string, world: Vector3Like): [number, number, number] | null;
  /** The call's incoming cameras (others sharing live video), for the floating video panel. */
  cameras?(): readonly XrCamera[];
  /** Open a drill's sandbox room in this page (it reloads there: the immersive session ends). */
  joinDrill?(plant: string): void;
}

/**
 * Someone else's camera in the call, as the headset shows it: the picture (live, or the still this page shows
 * frozen), the strokes on it, and what the floating panel can do with it, exactly as the desktop tile does.
 */
export interface XrCamera {
  seat: string;
  name: string;
  stream: MediaStream;
  /**
   * The sender's link is too thin for video: the picture is the latest still, and the button asks for a new one
   * (the desktop's "New still").
   */
  stills: boolean;
  /** The still everyone was shown (Freeze) while this page shows it frozen; null: the live picture. */
  frozen: { id: string; jpeg: string; width: number; height: number } | null;
  /** Strokes shown on this camera so far (only grows), and the newest ones (x, y pairs in 0..1, colour). */
  strokes: number;
  inks: readonly { points: readonly number[]; color: string }[];
  /** Whether this person may draw on the video (the operator role, as for ink notes). */
  canDraw: boolean;
  /** Ask the camera for a sharp still shown to everyone (the desktop's "Freeze"). */
  freeze(): void;
  /** Back to the live picture on this page (the desktop's "Back to live"). */
  live(): void;
  /** Send a finished stroke (x, y pairs in 0..1 of the frame) drawn on the live picture ("") or a still. */
  stroke(points: number[], still: string): void;
}

/** The room requests the in-XR tabs make. */
export type XrRequest =
  | "ack"
  | "shelve"
  | "unshelve"
  | "annotate"
  | "annotationUpdate"
  | "calibrate"
  | "handoffCreate"
  | "playback"
  | "bookmark"
  | "procedureDone"
  | "whatIf"
  | "whatIfRemove"
  | "drills"
  | "drillStart"
  | "drillEnd"
  | "drillDebrief";

/** GET /api/plants/<id>/timeline, as far as the headset reads it. */
export interface XrTimeline {
  horizon: number;
  now: number;
  events: { ts: number; kind: string; actor: string; subject: string }[];
}

export interface Vector3Like {
  x: number;
  y: number;
  z: number;
}

export interface XrController {
  readonly mode: "vr" | "ar" | null;
  poses(): XrPoses | null;
  dispose(): void;
  /** "walk" (1:1) or "tabletop" (1:50 on a virtual table, or on a real one in AR). */
  readonly scaleMode?: "walk" | "tabletop";
  /** Parent of everything in plant coordinates; parent other plant-frame content (avatars, marks) to it. */
  readonly plantFrame?: TransformNode;
  /** In AR with the plant placed or co-located: the device's camera view lines up with the twin (docs/VIDEO.md). */
  readonly registered?: boolean;
  enterAsync?(mode: "vr" | "ar"): Promise<void>;
  exitAsync?(): Promise<void>;
}
