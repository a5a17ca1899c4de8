/**
 * The `test` every browser spec uses: Playwright's, plus one rule. Contexts a test opens itself with
 * `browser.newContext()` are closed when the test ends, pass or fail. Playwright closes only the contexts
 * of its own `page`/`context` fixtures; the browser lives for the whole worker. Before this rule, pages
 * from earlier tests (two from `kick`, two from the handoff pull, two from `playback`, and any failed
 * test's) kept rendering the plant in the one SwiftShader GPU process. A later page then took a minute
 * to boot. That was the page that "drew the plant but never showed the join dialog". Retries hid it,
 * because the retry ran in a fresh worker with a fresh browser.
 */
import { test as base } from "@playwright/test";

export { expect } from "@playwright/test";

export const test = base.extend<{ closeOwnContexts: void }>({
  closeOwnContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      for (const c of browser.contexts()) if (!before.has(c)) await c.close().catch(() => undefined);
    },
    { auto: true },
  ],
});
