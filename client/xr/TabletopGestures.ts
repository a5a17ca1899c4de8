/**
 * Tabletop and AR: one squeeze drags the plant, two hands (squeeze, or both pinching) scale and turn it.
 * A press that became part of a two-hand gesture is not a click.
 */
import type { ArPlacement } from "./ArPlacement.ts";
import { copyPlacement, grabUpdate, placement, twoHandUpdate, type HandPoint } from "./placementMath.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrHand } from "./XrHand.ts";
import type { XrRig } from "./XrRig.ts";

export class TabletopGestures implements XrFeature {
  private kind: "none" | "grab" | "two" = "none";
  private handA: XrHand | null = null;
  private handB: XrHand | null = null;
  /** The placement at the gesture's start, and the hand points then. */
  private readonly start = placement();
  private readonly a0: HandPoint = { x: 0, y: 0, z: 0, yaw: 0 };
  private readonly b0: HandPoint = { x: 0, y: 0, z: 0, yaw: 0 };

  constructor(
    private readonly rig: XrRig,
    private readonly ar: ArPlacement,
  ) {}

  /** A gesture is under way (the AR anchor must not move the plant under the hands). */
  get active(): boolean {
    return this.kind !== "none";
  }

  attach(_start: XrSessionStart): void {}

  /** The current gesture ends without effect (session end, scale change, a hand gone). */
  detach(): void {
    this.kind = "none";
  }

  handRemoved(h: XrHand): void {
    if (this.handA === h || this.handB === h) this.kind = "none";
  }

  /** Once a frame on the tabletop, or in AR once the plant is placed. */
  update(): void {
    const { rig } = this;
    const hands = rig.hands;
    let selecting = 0;
    for (let i = 0; i < hands.length; i++) if (hands[i]!.selecting) selecting++;
    let a: XrHand | null = null;
    let b: XrHand | null = null;
    for (let i = 0; i < hands.length; i++) {
      const h = hands[i]!;
      if (!(h.squeezing || (selecting >= 2 && h.selecting))) continue;
      if (!a) a = h;
      else if (!b) b = h;
    }
    const kind = b ? "two" : a ? "grab" : "none";
    if (kind !== this.kind || a !== this.handA || b !== this.handB) {
      const ended = this.kind !== "none";
      this.kind = kind;
      this.handA = a;
      this.handB = b;
      copyPlacement(rig.frame.current, this.start);
      if (a) copyPoint(a.point, this.a0);
      if (b) copyPoint(b.point, this.b0);
      if (a && b) a.gestureDuringPress = b.gestureDuringPress = true;
      if (kind === "none" && ended && rig.mode === "ar") this.ar.rebase(rig.frame.current);
      return;
    }
    if (kind === "grab" && a) rig.frame.set(grabUpdate(this.start, this.a0, a.point, rig.pl));
    else if (kind === "two" && a && b)
      rig.frame.set(twoHandUpdate(this.start, this.a0, this.b0, a.point, b.point, rig.pl));
  }

  dispose(): void {}
}

function copyPoint(from: HandPoint, to: HandPoint): void {
  to.x = from.x;
  to.y = from.y;
  to.z = from.z;
  to.yaw = from.yaw;
}
