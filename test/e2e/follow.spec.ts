/**
 * Following someone and finding your way back: the follow camera rides behind and beside the leader, never
 * inside the plant; Stop returns to the mode and place you had; Reset view lands in a clear spot; a page taking
 * its seat back returns to the mode it had.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinAs, seatOf, watchPage } from "./page.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer();
});
test.afterAll(async () => {
  await server?.stop();
});

type V3 = [number, number, number];

/** The active camera's name and world position. */
const cameraOf = (page: Page) =>
  page.evaluate(() => {
    const c = window.__gemba!.scene()!.scene.activeCamera!;
    const p = c.globalPosition;
    return { name: c.name, pos: [p.x, p.y, p.z] as V3 };
  });

/** Whether the straight line between two points passes through no pickable plant mesh (what the page draws). */
const lineIsClear = (page: Page, a: V3, b: V3) =>
  page.evaluate(
    ([a, b]) => {
      const s = window.__gemba!.scene()!;
      const cam = s.scene.activeCamera!;
      const ray = cam.getForwardRay(1);
      ray.origin.set(a[0], a[1], a[2]);
      ray.direction.set(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
      const len = ray.direction.length();
      ray.direction.scaleInPlace(1 / len);
      ray.length = len;
      const hit = s.scene.pickWithRay(ray, (m) => m.isPickable && m.isEnabled() && m.isVisible);
      return hit?.hit ? hit.pickedMesh!.name : "clear";
    },
    [a, b] as const,
  );

const headOf = (page: Page, seat: string) =>
  page.evaluate((id) => {
    const h = window.__gemba!.state()!.seats.get(id)!.head;
    return [h.x, h.y, h.z] as V3;
  }, seat);

const dist = (a: V3, b: V3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

test("following rides behind the leader clear of the plant, and Stop returns to the orbit view you had", async ({
  browser,
}) => {
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  const wb = watchPage(b, server.url);
  await joinAs(a, server.url, "Ada");
  await joinAs(b, server.url, "Bo");
  const adaId = await seatOf(a);

  // Ada walks up to the tank T201 and stands with her back to it, a metre from its wall.
  const stand = await a.evaluate(() => {
    const s = window.__gemba!.scene()!;
    const t = s.twins.get("T201")!;
    s.setWalkMode(true);
    const y = 1.7;
    const out = { x: 1, z: 0 };
    s.walk.position.set(t.center.x + out.x * (t.radius + 1), y, t.center.z + out.z * (t.radius + 1));
    s.walk.setTarget(s.walk.position.add(s.walk.position.subtract(t.center).normalize().scale(5)).clone());
    return [s.walk.position.x, s.walk.position.y, s.walk.position.z] as [number, number, number];
  });
  await expect.poll(async () => dist(await headOf(b, adaId), stand), { timeout: 60_000 }).toBeLessThan(0.05);

  // Bo looks at the plant from his own orbit view, then follows Ada.
  const orbitBefore = await b.evaluate(() => {
    const o = window.__gemba!.scene()!.orbit;
    o.alpha += 0.7;
    o.radius *= 0.8;
    return { alpha: o.alpha, beta: o.beta, radius: o.radius };
  });
  await b.click(`#participant-list button[data-follow="${adaId}"]`);
  await expect.poll(() => b.evaluate(() => window.__gemba!.following())).toBe(adaId);
  await expect(b.locator("#following")).toContainText("Ada");

  // Bo's camera settles near Ada but not in her head, and nothing of the plant stands between them
  // (a fixed offset behind her would put it inside the tank).
  await expect
    .poll(async () => {
      const cam = await cameraOf(b);
      const head = await headOf(b, adaId);
      const d = dist(cam.pos, head);
      return { camera: cam.name, near: d > 0.5 && d < 3, clear: await lineIsClear(b, head, cam.pos) };
    })
    .toEqual({ camera: "walk", near: true, clear: "clear" });

  // Ada steps into open floor: Bo rides behind and beside her, a comfortable distance back.
  const open = await a.evaluate(() => {
    const s = window.__gemba!.scene()!;
    s.resetView();
    return [s.walk.position.x, s.walk.position.y, s.walk.position.z] as [number, number, number];
  });
  await expect.poll(async () => dist(await headOf(b, adaId), open), { timeout: 60_000 }).toBeLessThan(0.05);
  await expect
    .poll(async () => {
      const d = dist((await cameraOf(b)).pos, open);
      return d > 2 && d < 3.5 ? "a comfortable distance back" : d;
    })
    .toBe("a comfortable distance back");

  // Stop: Bo is back in orbit, where he was.
  await b.click("#btn-unfollow");
  await expect(b.locator("#following")).toBeHidden();
  expect((await cameraOf(b)).name).toBe("orbit");
  const orbitAfter = await b.evaluate(() => {
    const o = window.__gemba!.scene()!.orbit;
    return { alpha: o.alpha, beta: o.beta, radius: o.radius };
  });
  expect(orbitAfter.alpha).toBeCloseTo(orbitBefore.alpha, 3);
  expect(orbitAfter.beta).toBeCloseTo(orbitBefore.beta, 3);
  expect(orbitAfter.radius).toBeCloseTo(orbitBefore.radius, 3);
  await expect(b.locator("#btn-walk")).toHaveAttribute("aria-pressed", "false");
  expect(wb.errors).toEqual([]);
});

test("Reset view in walk mode stands in open floor with a clear view toward the plant's centre", async ({ page }) => {
  await joinAs(page, server.url, "Wes");
  await page.click("#btn-walk");
  await page.click("#btn-home");
  const spot = await page.evaluate(() => {
    const p = window.__gemba!.scene()!.walk.position;
    return { pos: [p.x, p.y, p.z] as V3 };
  });
  // Open floor: a metre to each side, ahead and behind is free of plant geometry.
  for (const [dx, dz] of [
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
  ] as const) {
    const [x, y, z] = spot.pos;
    expect(await lineIsClear(page, spot.pos, [x + dx, y, z + dz]), `room at ${dx},${dz}`).toBe("clear");
  }
  // The middle of the view is the plant, not a pillar: the first thing on the line to where the camera looks is an
  // asset (or nothing), and from there the person sees at least half of the plant's assets.
  const view = await page.evaluate(() => {
    const s = window.__gemba!.scene()!;
    const c = s.walk;
    const target = c.getTarget();
    const ray = c.getForwardRay(1);
    ray.origin.copyFrom(c.position);
    ray.direction.copyFrom(target.subtract(c.position).normalize());
    ray.length = target.subtract(c.position).length();
    const hit = s.scene.pickWithRay(ray, (m) => m.isPickable && m.isEnabled() && m.isVisible);
    const blocker = hit?.hit && hit.pickedMesh && s.twinOf(hit.pickedMesh) === null ? hit.pickedMesh.name : null;
    return { blocker, seen: s.assetsSeenFrom(c.position), assets: s.twinList.length };
  });
  expect(view.blocker).toBeNull();
  expect(view.seen).toBeGreaterThanOrEqual(view.assets / 2);
});

test("taking the seat back returns the page to the orbit view it had; the page that took it over keeps orbit too", async ({
  browser,
}) => {
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await joinAs(a, server.url, "Pat");
  const before = await a.evaluate(() => {
    const o = window.__gemba!.scene()!.orbit;
    o.alpha += 0.5;
    return { alpha: o.alpha, beta: o.beta, radius: o.radius };
  });
  // The room has A's head pose from this view before the seat moves.
  const seat = await seatOf(a);
  const aCam = (await cameraOf(a)).pos;
  await expect.poll(async () => dist(await headOf(a, seat), aCam), { timeout: 60_000 }).toBeLessThan(0.05);

  await b.goto(server.url + "/");
  await b.fill("#join-name", "Pat");
  await b.click("#join-go");
  await b.click("#pull-yes");
  await expect(a.locator("#moved-dialog")).toContainText("Moved to desktop");
  await b.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 180_000 });
  await expect.poll(() => b.evaluate(() => window.__gemba?.seat() ?? null)).toBe(seat);
  // B looks from where A looked, in orbit (the laptop's own mode), not dropped into walk mode.
  await expect.poll(async () => (await cameraOf(b)).name).toBe("orbit");
  expect(dist((await cameraOf(b)).pos, aCam)).toBeLessThan(0.1);
  await expect(b.locator("#btn-walk")).toHaveAttribute("aria-pressed", "false");

  await a.click("#take-back");
  await expect(b.locator("#moved-dialog")).toContainText("Moved to desktop");
  await expect.poll(() => a.evaluate(() => window.__gemba!.scene()!.scene.activeCamera!.name)).toBe("orbit");
  const after = await a.evaluate(() => {
    const o = window.__gemba!.scene()!.orbit;
    return { alpha: o.alpha, beta: o.beta, radius: o.radius };
  });
  expect(after.alpha).toBeCloseTo(before.alpha, 3);
  expect(after.beta).toBeCloseTo(before.beta, 3);
  expect(after.radius).toBeCloseTo(before.radius, 3);
});
