/**
 * Which asset labels show when they would overlap: pure, so the rule is unit-tested without a scene
 * (test/unit/declutter.test.ts). Labels are placed greedily in order of importance: the selected asset, then
 * assets in alarm, then in warning, then everything else; nearer before farther within each. A label that would
 * overlap one already placed is hidden. So an alarm label is never hidden by a quieter label, however close that
 * one is, and far-away quiet labels give way to near ones.
 */
import { AssetStatus } from "../../shared/status.ts";

/** A label's screen box: anchored at its bottom centre (x, y) in CSS px, unscaled size w × h, camera distance in m. */
export interface LabelBox {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  dist: number;
  status: number;
  /** Output: whether it shows. */
  show: boolean;
}

/** Labels shrink with distance (never below 60 %) and grow a little up close; 1 at 40 m. */
export function labelScale(dist: number): number {
  return Math.max(0.6, Math.min(1.1, 40 / dist));
}

function rank(b: LabelBox, selected: string | null): number {
  if (b.id === selected) return 0;
  if (b.status === AssetStatus.ALARM) return 1;
  if (b.status === AssetStatus.WARNING) return 2;
  return 3;
}

function overlap(a: LabelBox, b: LabelBox): boolean {
  const sa = labelScale(a.dist);
  const sb = labelScale(b.dist);
  const aw = a.w * sa;
  const ah = a.h * sa;
  const bw = b.w * sb;
  const bh = b.h * sb;
  return Math.abs(a.x - b.x) < (aw + bw) / 2 && a.y - ah < b.y && b.y - bh < a.y;
}

/** Sorts `boxes` in place, most important first, and sets each box's `show`; returns how many show. */
export function declutter(boxes: LabelBox[], selected: string | null): number {
  boxes.sort((a, b) => rank(a, selected) - rank(b, selected) || a.dist - b.dist);
  let shown = 0;
  for (let i = 0; i < boxes.length; i++) {
    const e = boxes[i]!;
    let free = true;
    for (let j = 0; j < i && free; j++) {
      const o = boxes[j]!;
      if (o.show && overlap(e, o)) free = false;
    }
    e.show = free;
    if (free) shown++;
  }
  return shown;
}
