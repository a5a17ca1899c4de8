/**
 * Geometry of the in-XR tab strip and list panel, in metres (on the wrist) and
 * texture pixels, and the pure hit test from a ray's texture coordinates to a
 * tab, an action slot or a row button. Fixed positions (no GUI layout pass to
 * ask) keep the hit test exact and let it run without Babylon.
 *
 * Readability: the texture has 1024 px across 30 cm (34 px/cm); row text is
 * 42 px (1.23 cm) and headers 40 px, at the ~40 cm a raised wrist is from the eyes.
 */
import { TABS, VISIBLE_ROWS, type XrTab } from "./panelModels.ts";

export const TEX_W = 1024;
/** The wrist panel's size and bottom bar (WristPanel.ts: 30 × 21 cm, 1024 × 717 px, a 96 px bar); kept Babylon-free here. */
const PANEL_W = 0.3;
const PANEL_H = 0.21;
/** The wrist panel's bottom button bar (pin, scale, exit) stays uncovered: the list covers the rest. */
export const BAR_M = (PANEL_H * 96) / Math.round((TEX_W * PANEL_H) / PANEL_W);
export const LIST_W = PANEL_W;
export const LIST_H = PANEL_H - BAR_M - 0.004;
export const LIST_TEX_H = Math.round((TEX_W * LIST_H) / LIST_W);
export const TABS_W = PANEL_W;
/**
 * Tabs in rows of TAB_COLUMNS: nine tabs in one row across 30 cm left 3.3 cm each and clipped "Alarms 12" at
 * 0.7 cm type; two rows give each tab 6 cm and 0.9 cm type (TAB_FONT), as large as the list's sub lines.
 */
export const TAB_COLUMNS = 5;
export const TAB_ROWS = Math.ceil(TABS.length / TAB_COLUMNS);
export const TABS_H = 0.06;
export const TABS_TEX_H = Math.round((TEX_W * TABS_H) / TABS_W);
export const TAB_W = TEX_W / TAB_COLUMNS;
export const TAB_H = TABS_TEX_H / TAB_ROWS;
export const TAB_FONT = 30;

export const MARGIN = 40;
export const HEADER_H = 60;
export const ACTIONS_TOP = 66;
export const ACTIONS_H = 78;
export const ROWS_TOP = 152;
export const ROW_H = Math.floor((LIST_TEX_H - ROWS_TOP - 4) / VISIBLE_ROWS);
/** Row buttons: two slots at the right end. */
export const SLOT_W = 180;
export const SLOT_GAP = 12;
export const ACTION_GAP = 16;

/** Left edge (px) of row button slot i (0 or 1). */
export function slotLeft(i: number): number {
  return TEX_W - MARGIN - (2 - i) * SLOT_W - (1 - i) * SLOT_GAP;
}

export function actionLeft(i: number): number {
  const w = actionWidth();
  return MARGIN + i * (w + ACTION_GAP);
}

export function actionWidth(): number {
  return (TEX_W - 2 * MARGIN - 2 * ACTION_GAP) / 3;
}

export type ListHit = { area: "action"; slot: number } | { area: "row"; row: number; slot: number };

/** What is under texture coordinates (u, v) of the list panel (v = 0 at the bottom, as on a Babylon plane). */
export function listHitAt(u: number, v: number): ListHit | null {
  if (u < 0 || u > 1 || v < 0 || v > 1) return null;
  const x = u * TEX_W;
  const y = (1 - v) * LIST_TEX_H;
  if (y >= ACTIONS_TOP && y < ACTIONS_TOP + ACTIONS_H) {
    for (let i = 0; i < 3; i++) {
      const l = actionLeft(i);
      if (x >= l && x < l + actionWidth()) return { area: "action", slot: i };
    }
    return null;
  }
  if (y < ROWS_TOP) return null;
  const row = Math.floor((y - ROWS_TOP) / ROW_H);
  if (row >= VISIBLE_ROWS) return null;
  const inRow = y - ROWS_TOP - row * ROW_H;
  if (inRow < 6 || inRow > ROW_H - 6) return null;
  for (let i = 0; i < 2; i++) {
    const l = slotLeft(i);
    if (x >= l && x < l + SLOT_W) return { area: "row", row, slot: i };
  }
  return null;
}

/** The Time tab's scrubber: a track across row 0, inset by the margin, with its labels below it. */
export const SLIDER_TOP = ROWS_TOP + 10;
export const SLIDER_H = 56;
export const SLIDER_LEFT = MARGIN + 20;
export const SLIDER_W = TEX_W - 2 * SLIDER_LEFT;

/** Where along the scrubber (0..1) texture coordinates (u, v) of the list panel are, or null when off its band. */
export function sliderAt(u: number, v: number): number | null {
  if (u < 0 || u > 1 || v < 0 || v > 1) return null;
  const x = u * TEX_W;
  const y = (1 - v) * LIST_TEX_H;
  // The whole of row 0 is the scrubber's band: a forgiving target for a ray held at arm's length.
  if (y < ROWS_TOP || y >= ROWS_TOP + ROW_H || x < MARGIN || x > TEX_W - MARGIN) return null;
  return Math.max(0, Math.min(1, (x - SLIDER_LEFT) / SLIDER_W));
}

/** Texture coordinates of a point at fraction `at` along the scrubber (tests aim with it). */
export function sliderUv(at: number): [number, number] {
  return [(SLIDER_LEFT + at * SLIDER_W) / TEX_W, 1 - (SLIDER_TOP + SLIDER_H / 2) / LIST_TEX_H];
}

/** The tab under texture coordinates (u, v) of the tab strip (v = 0 at the bottom); null on the empty end of a row. */
export function tabAt(u: number, v: number): XrTab | null {
  if (u < 0 || u > 1 || v < 0 || v > 1) return null;
  const col = Math.min(TAB_COLUMNS - 1, Math.floor(u * TAB_COLUMNS));
  const row = Math.min(TAB_ROWS - 1, Math.floor((1 - v) * TAB_ROWS));
  return TABS[row * TAB_COLUMNS + col] ?? null;
}

/** Where tab number `i` sits on the strip's texture: left and top edges (px). */
export function tabCell(i: number): { left: number; top: number } {
  return { left: (i % TAB_COLUMNS) * TAB_W, top: Math.floor(i / TAB_COLUMNS) * TAB_H };
}

/** Texture coordinates of the centre of a list element: the inverse of listHitAt (tests aim with it). */
export function listUv(hit: ListHit): [number, number] {
  const x = hit.area === "action" ? actionLeft(hit.slot) + actionWidth() / 2 : slotLeft(hit.slot) + SLOT_W / 2;
  const y = hit.area === "action" ? ACTIONS_TOP + ACTIONS_H / 2 : ROWS_TOP + hit.row * ROW_H + ROW_H / 2;
  return [x / TEX_W, 1 - y / LIST_TEX_H];
}

export function tabUv(tab: XrTab): [number, number] {
  const c = tabCell(TABS.indexOf(tab));
  return [(c.left + TAB_W / 2) / TEX_W, 1 - (c.top + TAB_H / 2) / TABS_TEX_H];
}
