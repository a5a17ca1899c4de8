/**
 * Into the plant in XR, in headless Chromium with Meta's emulator (iwer) as the
 * headset: enter VR, select an asset with a controller ray and with a hand pinch,
 * switch to tabletop and move/scale the miniature, place the plant in AR on a
 * synthetic room's surface with an anchor, and leave XR back to the desktop view.
 * Every test also checks that nothing leaves the origin and nothing logs an error.
 */
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { click, installIwer, semRoom, xrFrames } from "../../kit/iwer.ts";
import { expectQuietPage, joinAs, watchPage } from "./page.ts";
import { enterXr, holdControllers, selectAheadWithRay } from "./xrWrist.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer();
});
test.afterAll(async () => {
  await server?.stop();
});

async function mySeatSelection(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const g = window.__gemba!;
    const seat = g.seat?.();
    return (seat && g.state()?.seats.get(seat)?.selection) || null;
  });
}

test("a headset user enters VR, points the right controller at an asset and pulls the trigger: the wrist panel shows its live points and the desktop selection follows", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await installIwer(page);
  await joinAs(page, server.url, "Headset");
  await holdControllers(page);
  await enterXr(page, "vr");
  let xr = (await page.evaluate(() => window.__gemba_xr))!;
  expect(xr.scaleMode).toBe("walk");
  expect(xr.placement.scale).toBe(1);
  expect(xr.hands.sort()).toEqual(["left:controller", "right:controller"]);
  expect(xr.panelText).toContain("Nothing selected");

  const id = (await selectAheadWithRay(page, "controller-right")).id;
  // The panel names the asset and lists its live points with values (units come from the plant model).
  await page.waitForFunction(
    (twin) => {
      const t = window.__gemba_xr?.panelText ?? "";
      return t.startsWith(`${twin} · `) && /: -?\d/.test(t);
    },
    id,
    { timeout: 60_000 },
  );
  // The desktop side of the page selected it too, and the room knows this seat selected it.
  await expect(page.locator("#inspector-title")).toContainText(id);
  await expect.poll(() => mySeatSelection(page), { timeout: 60_000 }).toBe(id);
  // Values keep moving on the panel (≤ 5 Hz refresh, only on change).
  const before = (await page.evaluate(() => window.__gemba_xr!.panelText)).split("\n").slice(2).join("\n");
  await page.waitForFunction(
    (prev) => (window.__gemba_xr?.panelText ?? "").split("\n").slice(2).join("\n") !== prev,
    before,
    { timeout: 60_000 },
  );
  xr = (await page.evaluate(() => window.__gemba_xr))!;
  expect(xr.selected).toBe(id);

  // Pin the panel with its own button (the ray hits the bottom-left third of the panel), and it stays put
  // when the wrist moves; the upper face button (Y) unpins it back onto the wrist.
  const panelPos = () => page.evaluate(() => window.__iwer!.nodeToWorld("_xrPanel", [0, 0, 0]));
  const pinButton = await page.evaluate(() => window.__iwer!.nodeToWorld("_xrPanel", [-0.1, -0.21 / 2 + 0.015, 0]));
  await page.evaluate((w) => window.__iwer!.aimAtWorld("controller-right", w), pinButton);
  await xrFrames(page, 3);
  await click(page, "controller-right");
  xr = (await page.evaluate(() => window.__gemba_xr))!;
  expect(xr.lastClick).toBe("panel:pin");
  expect(xr.pinned).toBe(true);
  expect(xr.selected, "pressing a panel button does not change the selection").toBe(id);
  const pinnedAt = await panelPos();
  await page.evaluate(() => window.__iwer!.pose("controller-left", [-0.45, 1.1, -0.2], [-0.5, 1.2, -1.2]));
  await xrFrames(page, 3);
  const nowAt = await panelPos();
  pinnedAt.forEach((v, i) => expect(nowAt[i], `panel axis ${i}`).toBeCloseTo(v, 5));
  await click(page, "controller-left", "y-button");
  expect((await page.evaluate(() => window.__gemba_xr))!.pinned).toBe(false);
  const onWrist = await panelPos();
  expect(Math.hypot(onWrist[0] - pinnedAt[0], onWrist[2] - pinnedAt[2])).toBeGreaterThan(0.1);
  expectQuietPage(watch);
});

test("in VR the thumbstick teleports and snap-turns; leaving XR puts the desktop camera back where it was", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await installIwer(page);
  await joinAs(page, server.url, "Walker");
  const desktop = await page.evaluate(() => {
    const s = window.__gemba!.scene()!;
    return {
      alpha: s.orbit.alpha,
      beta: s.orbit.beta,
      radius: s.orbit.radius,
      target: s.orbit.target.asArray(),
      active: s.scene.activeCamera!.name,
    };
  });
  await holdControllers(page);
  await enterXr(page, "vr");
  const camera = () =>
    page.evaluate(() => {
      const c = window.__gemba!.scene()!.scene.activeCamera!;
      const f = c.getForwardRay().direction;
      // The camera's local +x (screen right) in world: row 0 of its world matrix.
      const m = c.getWorldMatrix().m;
      return {
        x: c.position.x,
        z: c.position.z,
        heading: Math.atan2(f.x, f.z),
        fx: f.x,
        fz: f.z,
        rx: m[0]!,
        rz: m[2]!,
      };
    });
  const start = await camera();

  // Teleport: left stick forward aims at the floor (reticle), release jumps there.
  await page.evaluate(() => window.__iwer!.pose("controller-left", [-0.2, 1.3, -0.35], [-0.2, 0.9, -1.3]));
  await page.evaluate(() => window.__iwer!.stick("controller-left", 0, -1));
  await xrFrames(page, 4);
  await page.evaluate(() => window.__iwer!.stick("controller-left", 0, 0));
  await xrFrames(page, 4);
  const moved = await camera();
  expect(Math.hypot(moved.x - start.x, moved.z - start.z)).toBeGreaterThan(1);

  // Snap turn: right stick flicked right turns the view 45° to the right, once per flick.
  await page.evaluate(() => window.__iwer!.stick("controller-right", 1, 0));
  await xrFrames(page, 4);
  await page.evaluate(() => window.__iwer!.stick("controller-right", 0, 0));
  await xrFrames(page, 4);
  const turned = await camera();
  const delta = Math.atan2(Math.sin(turned.heading - moved.heading), Math.cos(turned.heading - moved.heading));
  expect(Math.abs(Math.abs(delta) - Math.PI / 4)).toBeLessThan(0.02);
  expect(turned.fx * moved.rx + turned.fz * moved.rz, "turned towards the old right").toBeGreaterThan(0.5);

  // Leave through the headset's system menu (the session ends from outside the page).
  await page.evaluate(() => window.__iwer!.endSession());
  await page.waitForFunction(() => window.__gemba_xr?.mode === null, null, { timeout: 60_000 });
  const after = await page.evaluate(() => {
    const s = window.__gemba!.scene()!;
    return {
      alpha: s.orbit.alpha,
      beta: s.orbit.beta,
      radius: s.orbit.radius,
      target: s.orbit.target.asArray(),
      active: s.scene.activeCamera!.name,
    };
  });
  expect(after.active).toBe(desktop.active);
  expect(after.alpha).toBeCloseTo(desktop.alpha, 5);
  expect(after.beta).toBeCloseTo(desktop.beta, 5);
  expect(after.radius).toBeCloseTo(desktop.radius, 5);
  desktop.target.forEach((v, i) => expect(after.target[i], `target axis ${i}`).toBeCloseTo(v, 5));
  const xr = (await page.evaluate(() => window.__gemba_xr))!;
  expect(xr.placement.scale).toBe(1);
  await expect(page.locator("#btn-xr-vr")).toHaveText("Enter VR");
  expectQuietPage(watch);
});

test("tabletop: the plant shrinks to 1:50 on a table, a squeeze drags it, two squeezes scale it, selection still works, and the pose others see stays in plant coordinates", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await installIwer(page);
  await joinAs(page, server.url, "Tabletop");
  await holdControllers(page);
  await enterXr(page, "vr");

  // A (right controller) switches walk-in ↔ tabletop.
  await click(page, "controller-right", "a-button");
  await page.waitForFunction(() => window.__gemba_xr?.scaleMode === "tabletop");
  let xr = (await page.evaluate(() => window.__gemba_xr))!;
  expect(xr.placement.scale).toBeCloseTo(1 / 50, 6);
  expect(xr.placement.y).toBeGreaterThan(0.7); // on the table top, not on the floor

  // The head pose sent to the room is in plant coordinates: ~0.8 m above the table is ~40 m above the plant.
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const g = window.__gemba!;
          const seat = g.seat?.();
          return (seat && g.state()?.seats.get(seat)?.head.y) || 0;
        }),
      { timeout: 60_000 },
    )
    .toBeGreaterThan(25);

  // One squeeze drags the plant with the hand.
  const p0 = xr.placement;
  await page.evaluate(() => window.__iwer!.button("controller-right", "squeeze", 1));
  await xrFrames(page, 3);
  await page.evaluate(() => window.__iwer!.pose("controller-right", [0.42, 1.3, -0.35], [0.4, 1.3, -1.3]));
  await xrFrames(page, 3);
  await page.evaluate(() => window.__iwer!.button("controller-right", "squeeze", 0));
  await xrFrames(page, 3);
  xr = (await page.evaluate(() => window.__gemba_xr))!;
  expect(Math.hypot(xr.placement.x - p0.x, xr.placement.z - p0.z)).toBeCloseTo(0.2, 1);
  expect(xr.placement.scale).toBeCloseTo(p0.scale, 6);

  // Two squeezes, hands moving apart to twice the distance: twice the scale. The hands move back
  // and squeeze in the same frame: the gesture must start from where they are now, not a frame ago.
  await page.evaluate(() => {
    window.__iwer!.pose("controller-left", [-0.2, 1.3, -0.35], [-0.15, 1.45, -1.3]);
    window.__iwer!.pose("controller-right", [0.22, 1.3, -0.35], [0.2, 1.3, -1.3]);
    window.__iwer!.button("controller-left", "squeeze", 1);
    window.__iwer!.button("controller-right", "squeeze", 1);
  });
  await xrFrames(page, 3);
  await page.evaluate(() => {
    window.__iwer!.pose("controller-left", [-0.41, 1.3, -0.35], [-0.15, 1.45, -1.3]);
    window.__iwer!.pose("controller-right", [0.43, 1.3, -0.35], [0.2, 1.3, -1.3]);
  });
  await xrFrames(page, 3);
  await page.evaluate(() => {
    window.__iwer!.button("controller-left", "squeeze", 0);
    window.__iwer!.button("controller-right", "squeeze", 0);
  });
  await xrFrames(page, 3);
  const scaled = (await page.evaluate(() => window.__gemba_xr))!;
  expect(scaled.placement.scale / xr.placement.scale).toBeCloseTo(2, 1);

  // Selecting on the miniature works like at 1:1.
  await holdControllers(page);
  await xrFrames(page, 2);
  const id = (await selectAheadWithRay(page, "controller-right")).id;
  await expect(page.locator("#inspector-title")).toContainText(id);
  expect(scaled.frameSyncs).toBeGreaterThan(0);
  expectQuietPage(watch);
});

test("hand tracking: a pinch with the right hand selects the asset the hand points at", async ({ page }) => {
  const watch = watchPage(page, server.url);
  await installIwer(page);
  await joinAs(page, server.url, "Hands");
  await page.evaluate(() => {
    window.__iwer!.setInputMode("hand");
    window.__iwer!.pose("hand-left", [-0.2, 1.3, -0.35], [-0.15, 1.45, -1.3]);
    window.__iwer!.pose("hand-right", [0.22, 1.3, -0.35], [0.2, 1.3, -1.3]);
  });
  await enterXr(page, "vr");
  await page.waitForFunction(() => (window.__gemba_xr?.hands ?? []).includes("right:hand"), null, { timeout: 60_000 });
  const id = (await selectAheadWithRay(page, "hand-right")).id;
  await expect(page.locator("#inspector-title")).toContainText(id);
  // Hand joints are drawn from our own sphere, not a downloaded hand model.
  const joints = await page.evaluate(
    () => window.__gemba!.scene()!.scene.meshes.filter((m) => m.name.includes("-handJoint-") && m.isVisible).length,
  );
  expect(joints).toBeGreaterThan(20);
  expectQuietPage(watch);
});

test("AR: with no surface found the plant goes in front of the user; in a synthetic office the reticle finds the desk, a trigger pull puts the plant on it at tabletop scale with a WebXR anchor, and re-place moves it", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await installIwer(page, { sem: true });
  await joinAs(page, server.url, "Passthrough");
  await holdControllers(page);
  // Look down at the desk ahead (once the room is there), where the hit test from the head finds its top.
  await page.evaluate(() => window.__iwer!.headset([0, 1.6, 0], [0, 0, -1.2]));
  await enterXr(page, "ar");
  let xr = (await page.evaluate(() => window.__gemba_xr))!;
  expect(xr.scaleMode).toBe("tabletop");
  expect(xr.placed).toBe(false);

  // No room scanned yet: nothing to hit, so the plant goes 0.8 m ahead at about table height, anchored.
  await xrFrames(page, 5);
  expect((await page.evaluate(() => window.__gemba_xr))!.surface).toBe(false);
  await click(page, "controller-right");
  await page.waitForFunction(() => window.__gemba_xr?.placed === true && window.__gemba_xr.anchors === 1, null, {
    timeout: 60_000,
  });
  expect((await page.evaluate(() => window.__gemba_xr))!.lastClick).toBe("placed-in-front");

  // The room appears (planes, meshes); A picks the plant up, the reticle finds the desk, a trigger pull puts it there.
  await page.evaluate((room) => window.__iwer!.loadRoom(room), semRoom("office_small"));
  await click(page, "controller-right", "a-button");
  await page.waitForFunction(() => window.__gemba_xr?.placed === false);
  await page.waitForFunction(() => window.__gemba_xr?.surface === true, null, { timeout: 60_000 });
  await click(page, "controller-right");
  await page.waitForFunction(() => window.__gemba_xr?.placed === true && window.__gemba_xr.anchors === 1, null, {
    timeout: 60_000,
  });
  xr = (await page.evaluate(() => window.__gemba_xr))!;
  expect(xr.lastClick).toBe("placed");
  expect(xr.placement.scale).toBeCloseTo(1 / 50, 6);
  // office_small's desk top is 0.75 m above the floor.
  expect(xr.placement.y).toBeGreaterThan(0.7);
  expect(xr.placement.y).toBeLessThan(0.8);
  const onDesk = xr.placement;

  // Re-place again somewhere else: it moves there, and the old anchor is gone (still exactly one).
  await click(page, "controller-right", "a-button");
  await page.waitForFunction(() => window.__gemba_xr?.placed === false);
  await page.evaluate(() => window.__iwer!.headset([0, 1.6, 0], [0.8, 0, -1.2]));
  await xrFrames(page, 4);
  await click(page, "controller-right");
  await page.waitForFunction(() => window.__gemba_xr?.placed === true && window.__gemba_xr.anchors === 1, null, {
    timeout: 60_000,
  });
  xr = (await page.evaluate(() => window.__gemba_xr))!;
  expect(Math.hypot(xr.placement.x - onDesk.x, xr.placement.z - onDesk.z)).toBeGreaterThan(0.3);

  await page.evaluate(() => window.__iwer!.endSession());
  await page.waitForFunction(() => window.__gemba_xr?.mode === null, null, { timeout: 60_000 });
  expectQuietPage(watch);
});
