/**
 * A procedure run in two browsers (docs/TRAINING.md): one operator starts "Isolate CIP pump P401 after cavitation";
 * step 1's Done stays disabled, with the reason, until the simulated pump really cavitates (a fault injected into the
 * simulator) and the server's gate holds; then it is enabled and accepted, and the other page sees the progress.
 */
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinAs, watchPage } from "./page.ts";
import { devToken } from "../../kit/devSignIn.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ DEV_ROLE: "operator" });
});
test.afterAll(async () => {
  await server?.stop();
});

test("a gated step's Done is disabled until the simulated value meets the gate, then enabled; the other page sees the progress", async ({
  browser,
}, testInfo) => {
  const a = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const b = await (await browser.newContext()).newPage();
  const wa = watchPage(a, server.url);
  await joinAs(a, server.url, "Operator Ada");
  await joinAs(b, server.url, "Operator Bo");

  await a.click("#btn-procedures");
  const start = a.locator('#procedures li[data-procedure="isolate-p401"] button', { hasText: "Start" });
  await start.click();

  // Both pages show the run; B's panel opened by itself. The current step's asset is selected on each page.
  for (const p of [a, b]) {
    await expect(p.locator("#procedures")).toBeVisible();
    await expect(p.locator("#procedures .proc-title")).toHaveText("Isolate CIP pump P401 after cavitation");
    await expect(p.locator("#procedures .proc-steps li.current")).toContainText("P401: Confirm the cavitation");
    await expect(p.locator("#inspector-title")).toContainText("P401");
  }
  const done = a.locator("#proc-done");
  await expect(a.locator("#procedures .proc-gate")).toHaveText("Gate: running == 1 and suctionPressure < 0.25 for 5s");
  // The healthy pump: the gate's live values are shown and Done says why it waits.
  await expect(a.locator("#procedures .proc-gate-now")).toContainText(/suctionPressure \d+\.\d\d bar — not met yet/);
  await expect(done).toBeDisabled();
  await expect(a.locator("#proc-reason")).toHaveText("Waiting for the gate on P401.");

  const headers = { authorization: `Bearer ${await devToken(server.url, "Trainer", "expert")}` };
  const res = await a.request.post(`${server.url}/api/sim/faults`, {
    headers,
    data: { name: "cavitation", target: "P401" },
  });
  expect(res.status()).toBe(201);
  await expect(done).toBeEnabled({ timeout: 60_000 });
  await expect(a.locator("#procedures .proc-gate-now")).toContainText("holds");
  await expect(a.locator("#proc-reason")).toHaveText("");
  await a.locator("#procedures").screenshot({ path: testInfo.outputPath("procedure-gate-holds.png") });
  await a.screenshot({ path: testInfo.outputPath("procedure-page.png") });
  await done.click();

  // B sees step 1 done by Ada and the run at step 2, on T101.
  await expect(b.locator("#procedures .proc-steps li.done")).toHaveCount(1);
  await expect(b.locator("#procedures .proc-steps li.done")).toContainText("Operator Ada");
  await expect(b.locator("#procedures .proc-steps li.current")).toContainText("T101:");
  await expect(b.locator("#inspector-title")).toContainText("T101");

  await a.request.delete(`${server.url}/api/sim/faults`, { headers, data: {} });
  expect(wa.offOrigin).toEqual([]);
});
