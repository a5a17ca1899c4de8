/**
 * A drill end to end (docs/TRAINING.md): an instructor starts "Cavitation on CIP pump P401" for a trainee; the trainee
 * is offered "Join drill" and enters the drill's sandbox room; the cavitation alarm comes up there (the sandbox's own
 * simulator, fault injected at its onset); the trainee shows P401 and acknowledges the alarm; a score appears for
 * both; the instructor's "Debrief" puts the room in playback at the drill's start with the trainee's actions marked
 * on the timeline; the score is kept under "Drill scores". The real plant's journal holds none of it.
 */
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { devToken } from "../../kit/devSignIn.ts";
import { DRILL_URL, expectQuietPage, joinAs, rejoinAfterReload, watchPage } from "./page.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ DEV_ROLE: "operator" });
});
test.afterAll(async () => {
  await server?.stop();
});

/** Follow the drill's "Join drill"/"Watch drill": the page reopens on the sandbox plant and joins with its name. */
async function enterDrill(page: Page, button: string): Promise<void> {
  await page.locator("#drills .drill-card button", { hasText: button }).click();
  await rejoinAfterReload(page, DRILL_URL);
}

test("alone in the room, an instructor cannot start a drill and is told why; no empty scores table", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const ines = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const wi = watchPage(ines, server.url);
  await joinAs(ines, server.url, "Instructor Ines", "?role=expert");
  await ines.click("#btn-drills");
  await expect(ines.locator("#drill-scenario")).toBeVisible();
  await expect(ines.locator("#drill-go")).toBeDisabled();
  await expect(ines.locator("#drills .drill-start")).toContainText("Nobody else is in the room to train.");
  await expect(ines.locator("#drills .drill-no-scores")).toHaveText("No drill scored on this plant yet.");
  await expect(ines.locator("#drills table")).toHaveCount(0);
  await ines.context().close();
  expectQuietPage(wi);
});

test("an instructor starts a drill, the trainee finds the fault and acts in the sandbox, both see the score, the debrief marks the trainee's actions", async ({
  browser,
}, testInfo) => {
  test.setTimeout(300_000);
  const ines = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const tina = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const wi = watchPage(ines, server.url);
  const wt = watchPage(tina, server.url);
  await joinAs(ines, server.url, "Instructor Ines", "?role=expert");
  await joinAs(tina, server.url, "Trainee Tina");

  // The instructor picks the scenario and the trainee among the people in the room.
  await ines.click("#btn-drills");
  const go = ines.locator("#drill-go");
  await expect(go).toBeDisabled();
  await ines.selectOption("#drill-scenario", "cip-pump-cavitation");
  await ines.locator("#drills label.drill-trainee", { hasText: "Trainee Tina" }).locator("input").check();
  await go.click();

  // The trainee's panel opens by itself with the brief (never the fault) and "Join drill".
  await expect(tina.locator("#drills")).toBeVisible();
  await expect(tina.locator("#drills .drill-brief")).toContainText("find what is wrong");
  await expect(tina.locator("#drills")).not.toContainText("Cavitation");
  await enterDrill(tina, "Join drill");
  await enterDrill(ines, "Watch drill");
  await expect(tina.locator("#drills .drill-sandbox")).toContainText("nothing done here reaches the real plant");

  // The sandbox's simulator cavitates P401 at the onset; its rule raises the alarm in the drill room.
  const alarm = tina.locator('#alarm-list li[data-alarm="pump-cavitation:P401"]');
  await expect(alarm).toBeVisible({ timeout: 90_000 });
  await alarm.locator("button", { hasText: "Show" }).click();
  await expect(tina.locator("#inspector-title")).toContainText("P401");
  await alarm.locator("button.ack").click();

  // Scored as soon as the correct action is journaled, shown to both.
  for (const p of [tina, ines]) {
    const row = p.locator("#drills li.trainee.scored[data-user]", { hasText: "Trainee Tina" });
    await expect(row).toContainText(/Trainee Tina: \d+ points/, { timeout: 30_000 });
    await expect(row).toContainText(/found it in \d+ s · acted in \d+ s · no wrong actions/);
  }
  const points = Number((await tina.locator("#drills li.trainee .points").textContent())!.match(/(\d+) points/)![1]);
  expect(points).toBeGreaterThan(0);
  await expect(tina.locator("#drills .drill-scores tr", { hasText: "Trainee Tina" })).toContainText(String(points));

  // Debrief: the instructor replays the drill to the room, playing from its start (not a paused timeline); the
  // trainee's actions are marks on the timeline.
  await ines.click("#drill-debrief");
  for (const p of [ines, tina]) await expect(p.locator("#tl-label")).toContainText(/PLAYBACK \d\d:\d\d:\d\d ▶ 1×/);
  const shownAt = () => tina.evaluate(() => window.__gemba!.state()!.viewTime);
  const first = await shownAt();
  await expect.poll(shownAt, { timeout: 20_000 }).toBeGreaterThan(first);
  // The instructor's timeline redraws at once; the trainee's on its next refresh (every 10 s).
  for (const p of [ines, tina]) {
    await expect(p.locator('#tl-marks .tl-mark.select[title*="Trainee Tina selected P401"]')).toHaveCount(1, {
      timeout: 20_000,
    });
    await expect(
      p.locator('#tl-marks .tl-mark.alarm-ack[title*="Trainee Tina acknowledged the alarm on P401"]'),
    ).toHaveCount(1);
    await expect(p.locator("#tl-marks .tl-mark.drill-onset")).toHaveCount(1);
  }
  // The score opened the trainee's panel: the score and the debrief's marks are on screen together.
  await expect(tina.locator("#drills li.trainee.scored")).toBeVisible();
  await tina.screenshot({ path: testInfo.outputPath("drill-score-debrief.png") });

  // Nothing of the drill is in the real plant's journal.
  const admin = { authorization: `Bearer ${await devToken(server.url, "Auditor", "admin")}` };
  const real = await ines.request.get(`${server.url}/api/plants/demo/journal?limit=1000`, { headers: admin });
  expect(real.status()).toBe(200);
  const rows = (await real.json()) as { entries: { kind: string; subject: string }[] };
  expect(rows.entries.length).toBeGreaterThan(0);
  expect(
    rows.entries.filter(
      (e) => e.kind.startsWith("drill.") || e.kind === "select" || e.subject.startsWith("pump-cavitation"),
    ),
  ).toEqual([]);
  expectQuietPage(wi);
  expectQuietPage(wt);
});
