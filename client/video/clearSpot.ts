/**
 * Where a floating panel goes so that it covers none of the page's other panels (pure, unit-tested). The video
 * panel used to sit at a fixed bottom-left spot, over the alarms: a technician's camera must not hide an alarm.
 * Candidate spots are the screen's corners and the gaps beside every other panel; the first spot (top to bottom,
 * left to right) that overlaps nothing wins, at the widest width that finds one. When no width finds a free spot
 * (a small screen with every panel open), the spot that covers the least wins.
 */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Spot extends Box {
  /** Area (px²) of other panels the panel covers there; 0 is clear. */
  covered: number;
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The best spot for a panel `width` × `height` on a `view` of that size among `others`, `margin` px apart.
 * `heightAt(width)` gives the panel's height at each candidate width (a video keeps its aspect ratio).
 */
export function clearSpot(
  view: { width: number; height: number },
  widths: readonly number[],
  heightAt: (width: number) => number,
  others: readonly Box[],
  margin = 12,
): Spot {
  let best: Spot | null = null;
  for (const width of widths) {
    const height = Math.min(heightAt(width), view.height - 2 * margin);
    const xs = [margin, view.width - width - margin];
    const ys = [margin, view.height - height - margin];
    for (const o of others) {
      xs.push(o.left + o.width + margin, o.left - margin - width);
      ys.push(o.top + o.height + margin, o.top - margin - height);
    }
    const inX = [...new Set(xs)].filter((x) => x >= 0 && x + width <= view.width).sort((a, b) => a - b);
    const inY = [...new Set(ys)].filter((y) => y >= 0 && y + height <= view.height).sort((a, b) => a - b);
    for (const top of inY)
      for (const left of inX) {
        const box = { left, top, width, height };
        const covered = others.reduce((sum, o) => sum + overlap(box, o), 0);
        if (covered === 0) return { ...box, covered };
        if (!best || covered < best.covered) best = { ...box, covered };
      }
  }
  const width = widths[0] ?? 0;
  return best ?? { left: margin, top: margin, width, height: heightAt(width), covered: 0 };
}
