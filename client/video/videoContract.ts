/** The camera's contract with the page (VideoDeps), and its test hook `window.__gemba_video`. */
import type { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { z } from "zod";
import type { ClientMessage, RequestPayload } from "../../shared/protocol.ts";
import type { PlantScene } from "../scene/PlantScene.ts";

export type VideoMessage = "camera" | "still" | "stillAsk" | "stroke" | "strokeFrame";

export interface VideoDeps {
  scene: PlantScene;
  mySeat(): string | null;
  myColor(): string;
  send<K extends VideoMessage>(type: K, payload: z.input<(typeof ClientMessage)[K]>): void;
  /** Create an annotation (PlantSession.askChecked("annotate")). */
  annotate(payload: RequestPayload<"annotate">): Promise<{ id: string }>;
  /** A world point in `twin`'s local frame (AnnotationMarks.localOffset). */
  localOffset(twin: string, world: Vector3): [number, number, number] | null;
  /** Whether this device's view is registered to the plant (XrController.registered). */
  registered(): boolean;
  /** Where the camera controls go; default: inside the voice section. */
  host?: HTMLElement;
}

export interface VideoTestHook {
  readonly mode: "off" | "live" | "stills";
  readonly measuredKbps: number | null;
  readonly maxBitrate: number | null;
  tiles(): {
    seat: string;
    frozen: string | null;
    strokes: number;
    /** The newest stroke's points (x, y pairs, 0..1), as the room relayed them. */
    lastStroke: number[];
    width: number;
    height: number;
  }[];
  video(seat: string): HTMLVideoElement | null;
  preview(): HTMLVideoElement;
  placed(): { stroke: string; twin: string; id: string }[];
}

declare global {
  interface Window {
    __gemba_video?: VideoTestHook;
  }
}
