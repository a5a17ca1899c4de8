/**
 * The one view of the room that every panel renders, desktop and XR alike: which time is shown (live, or the
 * room's shared playback time unless this participant stepped out to live), the values and alarms at that time,
 * and the live-only things (who is here, notes, calibration) that ignore the view time.
 *
 * Why one place: when the XR wrist panels read the room state on their own, a headset showed live values during
 * shared playback while the desktop beside it showed the past. Panels now ask this view, never the raw state.
 */
import type { PlantRoomState, TwinView } from "../../shared/state.ts";

export interface RoomSnapshot extends TwinView {
  /** True while the room plays back the past and this participant follows it. */
  past: boolean;
  /** The instant the values are shown for (epoch ms): the shared view time, or now when live. */
  at: number;
  /** The room itself, for what is always live: seats, annotations, calibration, presenter. */
  room: PlantRoomState;
}

export class RoomView {
  private state: PlantRoomState | null = null;

  /**
   * `selfLive`: this participant stepped out of the shared playback to live (the timeline's toggle).
   * `now`: the clock for "live" (injected for tests).
   */
  constructor(
    private readonly selfLive: () => boolean,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The latest room state from the server (called on every patch). */
  setState(state: PlantRoomState): void {
    this.state = state;
  }

  get room(): PlantRoomState | null {
    return this.state;
  }

  /** What to render now, or null before the first patch. */
  current(): RoomSnapshot | null {
    const s = this.state;
    if (!s) return null;
    const past = s.viewTime > 0 && !this.selfLive();
    // A forecast is about the live plant: the past shows none.
    return past
      ? { past, at: s.viewTime, twins: s.playback, alarms: s.pastAlarms, room: s }
      : { past, at: this.now(), twins: s.twins, alarms: s.alarms, forecasts: s.forecasts, room: s };
  }
}
