/**
 * When the desktop's 3D view is drawn. A plant view nobody moves changes only when an asset changes colour, a note is
 * pinned or a person moves; drawing it at the display's 60 frames a second anyway costs a laptop its battery and, on
 * software GL (a headless browser, a remote desktop without a GPU), most of a CPU core per open page — measured by
 * bench/idleView.ts, docs/PERFORMANCE.md. So: while the viewer acts (input, a moving camera, a moving avatar) every
 * frame is drawn; a change to what the scene shows asks for one frame (`invalidate`); otherwise one frame every
 * `idleFrameMs`, a safety net for a change nobody reported. Labels, values and panels are HTML and update on their own
 * beat. In a headset every frame is drawn: its compositor needs each one, and a skipped frame is a judder.
 */
export interface PacerTimes {
  /** When calm and nothing changed, draw one frame per this many ms anyway. */
  idleFrameMs: number;
  /** Keep the full rate this long after the last wake. */
  activeMs: number;
}

export const PACER_TIMES: PacerTimes = { idleFrameMs: 1000, activeMs: 1500 };

export class FramePacer {
  private activeUntil = 0;
  private lastDrawn = Number.NEGATIVE_INFINITY;
  private changed = true;
  /** Frames drawn and frames skipped since the page opened (read by tests and the debug hook). */
  readonly counts = { drawn: 0, skipped: 0 };

  constructor(
    private readonly now: () => number,
    private readonly times: PacerTimes = PACER_TIMES,
  ) {}

  /** Something moves or the viewer acts: draw every frame for a while. */
  wake(): void {
    this.activeUntil = Math.max(this.activeUntil, this.now() + this.times.activeMs);
  }

  /** What the scene shows changed (a colour, a mesh added or removed): draw the next frame. */
  invalidate(): void {
    this.changed = true;
  }

  /** Whether this animation frame is drawn; `immersive` while a WebXR session drives the frames. */
  shouldDraw(immersive: boolean): boolean {
    const t = this.now();
    // 4 ms of slack: animation frames arrive on the display's beat, a hair early or late.
    if (immersive || this.changed || t < this.activeUntil || t - this.lastDrawn >= this.times.idleFrameMs - 4) {
      this.changed = false;
      this.lastDrawn = t;
      this.counts.drawn++;
      return true;
    }
    this.counts.skipped++;
    return false;
  }
}
