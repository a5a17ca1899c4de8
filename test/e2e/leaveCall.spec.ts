/**
 * People who leave are gone from the call list and the participants at once, whether they press Leave or close the
 * tab. The server holds a dropped connection's seat for RECONNECT_SECONDS (here an hour), so only a real goodbye
 * from the page can make them disappear within this test: before pages said goodbye, a closed tab stayed "in call"
 * for the whole hold. Runs in a browser of its own: the call needs the fake-media flags.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { joinCall, useCallRig } from "./callRig.ts";
import { joinAs, seatOf, watchPage, type PageWatch } from "./page.ts";

const rig = useCallRig({ RECONNECT_SECONDS: "3600" });

async function person(name: string): Promise<{ page: Page; watch: PageWatch }> {
  const page = await rig.page();
  const watch = watchPage(page, rig.server.url);
  await joinAs(page, rig.server.url, name);
  return { page, watch };
}

test("someone who presses Leave or closes the tab leaves the call list and the participants at once", async () => {
  test.setTimeout(480_000);
  const ada = await person("Ada");
  const bo = await person("Bo");
  const a = ada.page;
  const b = bo.page;
  await joinCall(a);
  await joinCall(b);
  let boId = await seatOf(b);
  const boInCall = () => a.locator(`#voice-list li[data-seat="${boId}"]`);
  await expect(boInCall()).toBeVisible();
  await expect(a.locator("#participant-list")).toContainText("Bo");

  // Bo presses Leave: out of the call and the room for Ada right away; Bo's page says so.
  await b.click("#btn-leave");
  await expect(b.locator("#left-dialog")).toBeVisible();
  expect(await b.evaluate(() => window.__gemba_voice!.inCall)).toBe(false);
  await expect(boInCall()).toHaveCount(0);
  await expect(a.locator("#participant-list")).not.toContainText("Bo");

  // Bo rejoins (the page starts again, name filled in) and joins the call again.
  await b.click("#rejoin");
  await expect(b.locator("#join-name")).toHaveValue("Bo");
  await b.click("#join-go");
  await b.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 180_000 });
  await joinCall(b);
  boId = await seatOf(b);
  await expect(boInCall()).toBeVisible();

  // Bo closes the tab: gone from Ada's call list and participants, not "in call" until the hold runs out.
  await b.close();
  await expect(boInCall()).toHaveCount(0);
  await expect(a.locator("#participant-list")).not.toContainText("Bo");
  await expect.poll(() => a.evaluate(async () => (await window.__gemba_voice!.refreshStats()).length)).toBe(0);

  for (const w of [ada.watch, bo.watch]) {
    expect(w.offOrigin).toEqual([]);
    expect(w.errors).toEqual([]);
  }
});
