/**
 * Pages a finished test opened must not live on: in one worker's browser they would keep rendering the plant in the
 * shared SwiftShader GPU process and starve every later page's boot (test/e2e/fixtures.ts says how that looked).
 */
import type { BrowserContext } from "@playwright/test";
import { expect, test } from "./fixtures.ts";

test.describe.serial("contexts a test opens itself", () => {
  let leftOpen: BrowserContext | null = null;

  test("a test opens its own context with a page and does not close it", async ({ browser }) => {
    leftOpen = await browser.newContext();
    await leftOpen.newPage();
    expect(browser.contexts()).toContain(leftOpen);
  });

  test("the next test starts with that context closed", ({ browser }) => {
    expect(leftOpen).not.toBeNull();
    expect(browser.contexts()).not.toContain(leftOpen);
  });
});
