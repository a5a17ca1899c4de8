import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinAs, watchPage } from "./page.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-collab-"));
let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ DATA_DIR: dataDir, DEV_ROLE: "expert" });
});
test.afterAll(async () => {
  await server?.stop();
});

const seatNamed = (page: Page, name: string) =>
  page.evaluate((n) => {
    const s = window.__gemba!.state();
    const seat = s && [...s.seats.values()].find((x) => x.name === n);
    return seat
      ? {
          id: seat.id,
          head: [seat.head.x, seat.head.y, seat.head.z],
          pointer: seat.pointer.active ? seat.pointer.twin : null,
          selection: seat.selection,
        }
      : null;
  }, name);

test("two people in one plant: avatars move, pointers and selections are shared, follow moves the camera, a pin appears for the other and survives a restart", async ({
  browser,
}) => {
  const ctxA = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const ctxB = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  const wa = watchPage(a, server.url);
  const wb = watchPage(b, server.url);
  await joinAs(a, server.url, "Ada");
  await joinAs(b, server.url, "Bo");

  // B sees A's avatar, and it moves when A moves the camera.
  await expect.poll(() => seatNamed(b, "Ada")).not.toBeNull();
  const adaId = (await seatNamed(b, "Ada"))!.id;
  await expect
    .poll(() => b.evaluate((id) => !!window.__gemba!.scene()!.scene.getMeshByName(`_avatarBody.${id}`), adaId))
    .toBe(true);
  const before = (await seatNamed(b, "Ada"))!.head;
  await a.evaluate(() => {
    const s = window.__gemba!.scene()!;
    s.orbit.alpha += 1.2;
    s.orbit.radius *= 0.6;
  });
  await expect.poll(async () => (await seatNamed(b, "Ada"))!.head[0] !== before[0]).toBe(true);

  // A points at an asset with the mouse: B sees the pointer on it.
  const target = await a.evaluate(() => window.__gemba!.scene()!.screenOf("T201"));
  expect(target).not.toBeNull();
  await a.keyboard.press("p");
  await a.mouse.move(target!.x, target!.y);
  await expect.poll(async () => (await seatNamed(b, "Ada"))!.pointer, { timeout: 60_000 }).not.toBeNull();

  // A selects and shares an asset: B's inspector opens it.
  await a.evaluate(() => window.__gemba!.scene()!.onPick("HX201"));
  await expect.poll(async () => (await seatNamed(b, "Ada"))!.selection).toBe("HX201");
  await a.click("#btn-share");
  await expect(b.locator("#inspector-title")).toContainText("HX201");

  // B follows A: B's camera rides just behind A's viewpoint (not inside A's head).
  await b.click(`#participant-list button[data-follow="${adaId}"]`);
  await expect.poll(() => b.evaluate(() => window.__gemba!.following())).toBe(adaId);
  await expect
    .poll(async () => {
      const head = (await seatNamed(b, "Ada"))!.head;
      const cam = await b.evaluate(() => {
        const c = window.__gemba!.scene()!.scene.activeCamera!.globalPosition;
        return [c.x, c.y, c.z];
      });
      const d = Math.hypot(cam[0]! - head[0]!, cam[1]! - head[1]!, cam[2]! - head[2]!);
      return d > 0.5 && d < 3.5 ? "just behind" : d;
    })
    .toBe("just behind");
  await b.keyboard.press("Escape");

  // A pins a note on T201 by clicking it; B sees it in the list and as a tag, rendered as text.
  await a.keyboard.press("p"); // leave point mode
  await a.keyboard.press("Escape"); // close the inspector so the asset is not under a panel
  await a.evaluate(() => window.__gemba!.scene()!.resetView());
  const spot = await a.evaluate(() => window.__gemba!.scene()!.screenOf("T301"));
  await a.click("#btn-pin");
  await a.mouse.click(spot!.x, spot!.y);
  await expect(a.locator("#note-dialog")).toBeVisible();
  const text = "Check the manway seal <img src=x onerror=alert(1)>";
  await a.fill("#note-text", text);
  const saved = Date.now();
  await a.click("#note-go");
  const row = b.locator("#note-list li").filter({ hasText: "Check the manway seal" });
  await expect(row).toBeVisible();
  test.info().annotations.push({ type: "pin latency (ms, informational)", description: String(Date.now() - saved) });
  await expect(row.locator(".text")).toHaveText(text); // shown literally, never parsed as HTML
  await expect(b.locator("#note-list img")).toHaveCount(0);
  expect(await b.evaluate(() => [...window.__gemba!.state()!.annotations.values()][0]!.twin)).toBe("T301");

  // Restart the server: the note is still there for a fresh page.
  await server.stop();
  server = await startAppServer({ DATA_DIR: dataDir, DEV_ROLE: "expert" });
  const c = await ctxB.newPage();
  await joinAs(c, server.url, "Cy");
  await expect(c.locator("#note-list li").filter({ hasText: "Check the manway seal" })).toBeVisible();

  expect(wa.offOrigin).toEqual([]);
  expect(wb.offOrigin).toEqual([]);
  expect(wa.errors.filter((e) => !/WebSocket|ERR_CONNECTION|Failed to load resource/.test(e))).toEqual([]);
  await ctxA.close();
  await ctxB.close();
});
