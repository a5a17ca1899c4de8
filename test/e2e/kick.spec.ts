import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer();
});
test.afterAll(async () => {
  await server?.stop();
});

/** Join as `name` with a development role (the page's ?role=). */
async function joinWithRole(page: Page, name: string, role: string): Promise<void> {
  await page.goto(`${server.url}/?role=${role}`);
  await expect(page.locator("#join")).toBeVisible();
  await page.fill("#join-name", name);
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 180_000 });
}

test("only an admin sees Remove; the removed page says by whom and why, and stays out", async ({ browser }) => {
  test.setTimeout(480_000); // two pages rendering the plant on a shared 2-core machine
  const admin = await (await browser.newContext()).newPage();
  const viewer = await (await browser.newContext()).newPage();
  await joinWithRole(admin, "Ada", "admin");
  await joinWithRole(viewer, "Vic", "viewer");

  const vicRow = admin.locator("#participant-list li", { hasText: "Vic" });
  await expect(vicRow.getByRole("button", { name: "Remove" })).toBeVisible();
  await expect(
    admin.locator("#participant-list li", { hasText: "Ada (you)" }).getByRole("button", { name: "Remove" }),
  ).toHaveCount(0);
  await expect(viewer.locator("#participant-list li", { hasText: "Ada" })).toBeVisible();
  await expect(viewer.locator("#participant-list button[data-kick]")).toHaveCount(0);

  await vicRow.getByRole("button", { name: "Remove" }).click();
  await expect(admin.locator("#kick-dialog")).toBeVisible();
  await admin.fill("#kick-reason", "Training is over");
  await admin.click("#kick-yes");
  await expect(viewer.locator("#removed-text")).toHaveText("You were removed from the room by Ada: Training is over");
  await expect(admin.locator("#participant-list li", { hasText: "Vic" })).toHaveCount(0);
  await expect(viewer.locator("#conn")).toHaveText("disconnected");
});
