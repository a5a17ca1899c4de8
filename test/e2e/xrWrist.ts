/** Drive the headset's wrist tabs (client/xr/XrPanels) with the right controller's ray, as a person would. */
import { expect, type Page } from "@playwright/test";
import { LIST_H, LIST_W, listUv, TABS_H, TABS_W, tabUv, type ListHit } from "../../client/xr/panelLayout.ts";
import type { XrTab } from "../../client/xr/panelModels.ts";
import { click, installIwer, xrFrames, type InputKind } from "../../kit/iwer.ts";

export { selectWithRay } from "../../kit/iwer.ts";
import { joinAs } from "./page.ts";

type V3 = [number, number, number];

type WristMesh = "_xrTabs" | "_xrList" | "_xrKeyboard";

/** Aim the right controller at a point of the tab strip or the list panel (texture coordinates). */
async function aimAtWrist(page: Page, mesh: WristMesh, uv: [number, number]): Promise<void> {
  // The keyboard is the list panel's size, over it.
  const [w, h] = mesh === "_xrTabs" ? [TABS_W, TABS_H] : [LIST_W, LIST_H];
  const local: V3 = [(uv[0] - 0.5) * w, (uv[1] - 0.5) * h, 0];
  const world = await page.evaluate(([m, l]) => window.__iwer!.nodeToWorld(m, l), [mesh, local] as const);
  await page.evaluate((p) => window.__iwer!.aimAtWorld("controller-right", p), world);
  await xrFrames(page, 3);
}

/** Aim at a point of the tab strip or the list panel (texture coordinates) and pull the trigger; returns what it hit. */
export async function pressWrist(page: Page, mesh: WristMesh, uv: [number, number]): Promise<string> {
  await aimAtWrist(page, mesh, uv);
  await click(page, "controller-right");
  return page.evaluate(() => window.__gemba_xr!.lastClick);
}

/**
 * Press a list button that reopens the page elsewhere (the Drills tab's Join drill): the press acts on the trigger's
 * release, and the page it was in goes away, so this waits for the new address instead of reading the press back.
 */
export async function pressListAway(page: Page, hit: ListHit, url: RegExp): Promise<void> {
  await aimAtWrist(page, "_xrList", listUv(hit));
  await page.evaluate(() => window.__iwer!.button("controller-right", "trigger", 1));
  await xrFrames(page, 3);
  await Promise.all([
    page.waitForURL(url),
    page.evaluate(() => window.__iwer!.button("controller-right", "trigger", 0)),
  ]);
}

export async function openTab(page: Page, tab: XrTab): Promise<void> {
  expect(await pressWrist(page, "_xrTabs", tabUv(tab))).toBe(`tab:${tab}`);
  await page.waitForFunction((t) => window.__gemba_xr?.tab === t, tab);
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

/** Open the page with an emulated Quest 3, join as `name`, hold both controllers ahead and enter immersive VR. */
export async function joinInHeadset(page: Page, url: string, name: string): Promise<void> {
  await installIwer(page);
  await joinAs(page, url, name);
  await enterVr(page);
}

/** Hold both controllers ahead, press Enter VR and wait until the page is in immersive VR with frames flowing. */
export async function enterVr(page: Page): Promise<void> {
  await holdControllers(page);
  await enterXr(page, "vr");
}

/** Press Enter VR or Enter AR (it must be on screen) and wait until the page is in that mode with frames flowing. */
export async function enterXr(page: Page, mode: "vr" | "ar"): Promise<void> {
  const button = page.locator(`#btn-xr-${mode}`);
  await expect(button).toBeVisible();
  await button.click();
  await page.waitForFunction((m) => window.__gemba_xr?.mode === m, mode, { timeout: 60_000 });
  await xrFrames(page, 5);
}

/**
 * Aim `input` at the nearest asset ahead it can reach and select it as a person would (trigger, or pinch for a hand);
 * waits until the headset has it selected and returns it.
 */
export async function selectAheadWithRay(
  page: Page,
  input: InputKind = "controller-right",
): Promise<{ id: string; world: V3 }> {
  const twin = await visibleAsset(page, input);
  await page.evaluate(([k, w]) => window.__iwer!.aimAtWorld(k, w), [input, twin.world] as const);
  await xrFrames(page, 3);
  await click(page, input, input.startsWith("hand") ? "pinch" : "trigger");
  await page.waitForFunction((id) => window.__gemba_xr?.selected === id, twin.id, { timeout: 60_000 });
  return twin;
}

/**
 * The nearest asset in front of the viewer that `input`'s ray reaches unobstructed (the ray from the input to the
 * asset's centre hits the asset first): its id and Babylon world centre.
 */
export async function visibleAsset(
  page: Page,
  input: InputKind = "controller-right",
): Promise<{ id: string; world: V3 }> {
  const side = input.endsWith("right") ? "right" : "left";
  const found = await page.evaluate((s) => {
    const ps = window.__gemba!.scene()!;
    const scene = ps.scene;
    const cam = scene.activeCamera!;
    const forward = cam.getForwardRay().direction;
    // Babylon's classes are bundled away; reach Ray and Vector3 through instances the page already has.
    const RayCtor = cam.getForwardRay().constructor as new (o: unknown, d: unknown, l: number) => never;
    const VecCtor = cam.position.constructor as new (x: number, y: number, z: number) => typeof cam.position;
    const pointer = scene.meshes.filter((m) => m.name.endsWith(`-${s}-pointer`)).pop()!;
    const from = pointer.getAbsolutePosition().clone();
    let best: { id: string; world: [number, number, number]; dist: number } | null = null;
    for (const t of ps.twinList) {
      const w = window.__iwer!.nodeToWorld("_plantFrame", [t.center.x, t.center.y, t.center.z]);
      const dir = new VecCtor(w[0], w[1], w[2]).subtract(from);
      const dist = dir.length();
      dir.normalize();
      if (dir.x * forward.x + dir.y * forward.y + dir.z * forward.z < 0.5) continue;
      const hit = scene.pickWithRay(
        new RayCtor(from, dir, 1000),
        (m) => m.isPickable && m.isEnabled() && m.isVisible && !m.name.startsWith("_xr"),
      );
      if (hit?.pickedMesh && ps.twinOf(hit.pickedMesh) === t.id && (!best || dist < best.dist))
        best = { id: t.id, world: w, dist };
    }
    return best;
  }, side);
  expect(found, "an asset in front of the viewer that the ray can reach").not.toBeNull();
  return { id: found!.id, world: found!.world };
}
