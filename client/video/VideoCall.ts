/**
 * The call's camera, wired in a few lines (installVideo): "Share camera" beside the voice controls, a floating
 * panel with every shared camera (live, or frozen on a still), drawing on any frame, and, on the device whose
 * camera it is, strokes projected onto the asset under them when the device is registered to the plant (AR
 * placement or co-location); otherwise the room keeps the stroke with its frame in the journal. docs/VIDEO.md.
 */
import type { SeatState } from "../../shared/state.ts";
import { can } from "../../shared/permissions.ts";
import type { VideoRoomMessage } from "../session/PlantSession.ts";
import type { VoiceTransport } from "../voice/VoiceTransport.ts";
import type { XrCamera } from "../xr/index.ts";
import type { Resolution } from "./bitratePolicy.ts";
import { CameraShare } from "./CameraShare.ts";
import { PanelDock } from "./PanelDock.ts";
import { projectStroke } from "./strokeToAsset.ts";
import type { VideoDeps, VideoTestHook } from "./videoContract.ts";
import { VideoTile } from "./VideoTile.ts";
import "./video.css";

export class VideoCall {
  private readonly camera: CameraShare;
  private readonly controls = document.createElement("div");
  private readonly shareBtn = document.createElement("button");
  private readonly resSelect = document.createElement("select");
  private readonly status = document.createElement("span");
  private readonly panel = document.createElement("section");
  private readonly tiles = new Map<string, VideoTile>();
  private readonly remote = new Map<string, MediaStream>();
  private seats: SeatState[] = [];
  private inCall = false;
  private message: string | null = null;
  readonly placed: { stroke: string; twin: string; id: string }[] = [];
  private readonly projected = new Set<string>();
  private readonly dock: PanelDock;

  constructor(private readonly deps: VideoDeps) {
    this.camera = new CameraShare({
      mode: (mode) => {
        deps.send("camera", { mode });
        this.render();
      },
      message: (text) => {
        this.message = text;
        this.render();
      },
    });
    this.controls.id = "video-controls";
    this.shareBtn.type = "button";
    this.shareBtn.id = "video-share";
    this.shareBtn.addEventListener("click", () => void this.toggleAsync());
    this.resSelect.id = "video-resolution";
    this.resSelect.title = "Picture size sent to the others";
    for (const [v, label] of [
      ["360", "360p (thin Wi-Fi)"],
      ["720", "720p (sharper)"],
    ]) {
      const o = document.createElement("option");
      o.value = v!;
      o.textContent = label!;
      this.resSelect.appendChild(o);
    }
    this.resSelect.addEventListener(
      "change",
      () => void this.camera.setResolutionAsync(Number(this.resSelect.value) as Resolution),
    );
    this.status.id = "video-status";
    this.controls.append(this.shareBtn, this.resSelect, this.status);
    (deps.host ?? document.getElementById("voice") ?? document.body).appendChild(this.controls);
    this.panel.id = "video-panel";
    this.panel.setAttribute("aria-label", "Cameras in the call");
    document.body.appendChild(this.panel);
    this.dock = new PanelDock(this.panel);
    this.render();
  }

  private get myRole(): string {
    const me = this.deps.mySeat();
    return this.seats.find((s) => s.id === me)?.role ?? "viewer";
  }

  private async toggleAsync(): Promise<void> {
    if (this.camera.on) this.camera.stop();
    else await this.camera.startAsync(Number(this.resSelect.value) as Resolution);
    this.render();
  }

  // ---- the call and the room ---------------------------------------------------------------------

  setTransport(t: VoiceTransport | null): void {
    this.inCall = t !== null;
    this.camera.setTransport(t);
    this.render();
  }

  remoteVideo(seat: string, track: MediaStreamTrack | null): void {
    if (track) this.remote.set(seat, new MediaStream([track]));
    else this.remote.delete(seat);
    this.render();
  }

  /**
   * Others' cameras that are live and reach this page, with who films (the headset's floating panels): what
   * their tile shows (frozen still, strokes) and the tile's own actions, so Freeze and drawing in a headset are
   * the desktop's.
   */
  incoming(): XrCamera[] {
    const me = this.deps.mySeat();
    const canDraw = can(this.myRole, "annotate");
    return this.seats.flatMap((s) => {
      const stream = this.remote.get(s.id);
      const tile = this.tiles.get(s.id);
      if (s.id === me || s.camera === "" || !stream || !tile) return [];
      const act = this.tileActions(s.id);
      return [
        {
          seat: s.id,
          name: s.name,
          stream,
          stills: s.camera === "stills",
          frozen: tile.still,
          strokes: tile.strokes,
          inks: tile.inks,
          canDraw,
          freeze: act.freeze,
          live: act.live,
          stroke: act.stroke,
        },
      ];
    });
  }

  onSeats(seats: Iterable<SeatState>): void {
    this.seats = [...seats];
    this.render();
  }

  onMessage(msg: VideoRoomMessage): void {
    switch (msg.type) {
      case "stillAsk": {
        const still = this.camera.on ? this.camera.still() : null;
        if (still) this.deps.send("still", still);
        else this.message = "A still was asked for, but the camera has no picture yet.";
        break;
      }
      case "still": {
        const m = msg.m;
        const tile = this.tiles.get(m.seat);
        const live = this.seats.find((s) => s.id === m.seat)?.camera === "live";
        tile?.showStill(m.id, m.jpeg, m.width, m.height, live);
        break;
      }
      case "stroke": {
        const m = msg.m;
        this.tiles.get(m.camera)?.addStroke(m.points, m.color);
        if (m.camera === this.deps.mySeat()) {
          if (!m.still) this.sendStrokeFrame(m.id);
          void this.placeStrokeAsync(m.id, m.from, m.points);
        }
        break;
      }
    }
  }

  /**
   * On the camera's own device: a stroke on the live picture is kept with the frame it was drawn on (the journal,
   * the incident report). The frame is grabbed as the stroke arrives, a fraction of a second after it was drawn.
   */
  private sendStrokeFrame(stroke: string): void {
    const frame = this.camera.still();
    if (frame) this.deps.send("strokeFrame", { stroke, ...frame });
  }

  /** On the camera's own device: a stroke over what it filmed lands on the asset (when the device is registered). */
  private async placeStrokeAsync(id: string, fromSeat: string, points: number[]): Promise<void> {
    if (!this.deps.registered() || this.projected.has(id)) return;
    this.projected.add(id);
    const v = this.camera.preview;
    const aspect = v.videoWidth && v.videoHeight ? v.videoWidth / v.videoHeight : 16 / 9;
    const hit = projectStroke(this.deps.scene, points, aspect);
    if (!hit) {
      this.message = "A stroke on your camera did not land on any asset; it is kept in the journal.";
      this.render();
      return;
    }
    const local = hit.world.flatMap((w) => this.deps.localOffset(hit.twin, w) ?? []);
    if (local.length < 3) return;
    const from = this.seats.find((s) => s.id === fromSeat)?.name ?? "someone";
    try {
      const r = await this.deps.annotate({
        kind: "ink",
        twin: hit.twin,
        offset: [local[0]!, local[1]!, local[2]!],
        points: local.length >= 6 ? local : [],
        text: `Drawn on the camera by ${from}`,
      });
      this.placed.push({ stroke: id, twin: hit.twin, id: r.id });
    } catch (e) {
      this.message = `The stroke could not be pinned to ${hit.twin}: ${(e as Error).message}`;
      this.render();
    }
  }

  // ---- panel -------------------------------------------------------------------------------------

  private render(): void {
    const me = this.deps.mySeat();
    const mayShare = can(this.myRole, "shareCamera");
    this.controls.hidden = !this.inCall || !mayShare;
    this.shareBtn.textContent = this.camera.on ? "Stop camera" : "Share camera";
    this.shareBtn.setAttribute("aria-pressed", String(this.camera.on));
    const mode = this.camera.on ? this.camera.state.mode : "off";
    this.status.textContent =
      this.message ??
      (mode === "stills"
        ? "Link too thin for video: others see sharp stills when they press Freeze."
        : mode === "live"
          ? "Your camera is in the call."
          : "");
    const cameras = this.seats.filter((s) => s.camera !== "" && (s.id === me ? this.camera.on : this.inCall));
    for (const [seat, tile] of this.tiles)
      if (!cameras.some((s) => s.id === seat)) {
        tile.el.remove();
        this.tiles.delete(seat);
      }
    const canDraw = can(this.myRole, "annotate");
    for (const s of cameras) {
      let tile = this.tiles.get(s.id);
      if (!tile) {
        tile = new VideoTile(s.id, this.tileActions(s.id), canDraw);
        this.tiles.set(s.id, tile);
        this.panel.appendChild(tile.el);
      }
      const mine = s.id === me;
      tile.setTitle(
        `${mine ? "Your camera" : s.name}${s.camera === "stills" ? " · stills (thin link)" : ""}`,
        s.camera,
      );
      tile.setStream(
        mine ? ((this.camera.preview.srcObject as MediaStream | null) ?? null) : (this.remote.get(s.id) ?? null),
      );
      if (s.camera === "live" && tile.frozen === null) tile.showStill(null);
    }
    this.panel.hidden = this.tiles.size === 0;
    this.dock.schedule();
  }

  private tileActions(seat: string) {
    return {
      freeze: () => this.deps.send("stillAsk", { camera: seat }),
      live: () => this.tiles.get(seat)?.showStill(null),
      stroke: (points: number[], still: string) =>
        this.deps.send("stroke", { camera: seat, still, points, color: this.deps.myColor() }),
    };
  }

  hook(): VideoTestHook {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const call = this;
    return {
      get mode() {
        return call.camera.on ? call.camera.state.mode : "off";
      },
      get measuredKbps() {
        return call.camera.measuredKbps;
      },
      get maxBitrate() {
        return call.camera.maxBitrate;
      },
      tiles: () =>
        [...call.tiles.values()].map((t) => ({
          seat: t.seat,
          frozen: t.frozen,
          strokes: t.strokes,
          lastStroke: [...t.lastStroke],
          width: t.video.videoWidth,
          height: t.video.videoHeight,
        })),
      video: (seat) => call.tiles.get(seat)?.video ?? null,
      preview: () => call.camera.preview,
      placed: () => [...call.placed],
    };
  }

  dispose(): void {
    this.camera.stop(false);
    this.controls.remove();
    this.dock.dispose();
    this.panel.remove();
  }
}

export function installVideo(deps: VideoDeps): VideoCall {
  const call = new VideoCall(deps);
  window.__gemba_video = call.hook();
  return call;
}
