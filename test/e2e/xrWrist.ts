/** Drive the headset's wrist tabs (client/xr/XrPanels) with the right controller's ray, as a person would. */
import { expect, type Page } from "@playwright/test";
import { LIST_H, LIST_W, listUv, TABS_H, TABS_W, tabUv, type ListHit } from "../../client/xr/panelLayout.ts";
import type { XrTab } from "../../client/xr/panelModels.ts";
import { click, xrFrames } from "../../kit/iwer.ts";

type V3 = [number, number, number];

/** Aim at a point of the tab strip or the list panel (texture coordinates) and pull the trigger; returns what it hit. */
export async function pressWrist(page: Page, mesh: "_xrTabs" | "_xrList", uv: [number, number]): Promise<string> {
  const [w, h] = mesh === "_xrTabs" ? [TABS_W, TABS_H] : [LIST_W, LIST_H];
  const local: V3 = [(uv[0] - 0.5) * w, (uv[1] - 0.5) * h, 0];
  const world = await page.evaluate(([m, l]) => window.__iwer!.nodeToWorld(m, l), [mesh, local] as const);
  await page.evaluate((p) => window.__iwer!.aimAtWorld("controller-right", p), world);
  await xrFrames(page, 3);
  await click(page, "controller-right");
  return page.evaluate(() => window.__gemba_xr!.lastClick);
}

export async function openTab(page: Page, tab: XrTab): Promise<void> {
  expect(await pressWrist(page, "_xrTabs", tabUv(tab))).toBe(`tab:${tab}`);
}

export async function pressList(page: Page, hit: ListHit): Promise<string> {
  return pressWrist(page, "_xrList", listUv(hit));
}

export const wristText = (page: Page) => page.evaluate(() => window.__gemba_xr!.tabText);

/** Natural controller poses (device space, metres): both hands in front of the chest, pointing ahead. */
export async function holdControllers(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__iwer!.pose("controller-left", [-0.2, 1.3, -0.35], [-0.15, 1.45, -1.3]);
    window.__iwer!.pose("controller-right", [0.22, 1.3, -0.35], [0.2, 1.3, -1.3]);
  });
}
