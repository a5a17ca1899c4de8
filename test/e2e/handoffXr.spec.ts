/**
 * Moving a session from a headset to a laptop mid-call, in real Chromium pages:
 * the headset is a Quest 3 emulated by iwer (Quest browser user agent, an
 * immersive-vr session running), the laptop a desktop page, and a third person
 * listens in the voice call. The fake capture device's beep is the speech.
 */
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { useCallRig } from "./callRig.ts";
import { joinPlant } from "../../kit/observer.ts";
import { installIwer, xrFrames } from "../../kit/iwer.ts";
import { joinAs, seatOf, watchPage } from "./page.ts";
import { holdControllers, openTab, pressList, wristText } from "./xrWrist.ts";

const rig = useCallRig();

const QUEST_UA =
  "Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 (KHTML, like Gecko) OculusBrowser/36.0 SamsungBrowser/4.0 Chrome/134.0 VR Safari/537.36";

/** Fresh voice link stats from `page` for its link to `seat` (null when there is none). */
const link = (page: Page, seat: string) =>
  page.evaluate(async (s) => (await window.__gemba_voice!.refreshStats()).find((p) => p.seat === s) ?? null, seat);

/** Bytes received from `seat` keep growing on `page`: that person is heard. */
async function expectHeard(page: Page, seat: string): Promise<void> {
  const first = (await link(page, seat))?.inboundBytes ?? 0;
  await expect
    .poll(async () => ((await link(page, seat))?.inboundBytes ?? 0) > first + 500, { timeout: 60_000 })
    .toBe(true);
}

test("a headset in VR hands its session to a laptop by short code: same seat, selection, viewpoint and voice call; one avatar throughout; then takes it back", async () => {
  // Three pages (one in emulated VR, all in a call) in software rendering on 2 shared cores: ~1.5 min alone, ~2 min under load.
  test.setTimeout(480_000);
  const headset = await rig.page({ userAgent: QUEST_UA, width: 800, height: 500 });
  const desk = await rig.page({ width: 1000, height: 600 });
  const listener = await rig.page({ width: 640, height: 400 });
  const wh = watchPage(headset, rig.server.url);
  const wd = watchPage(desk, rig.server.url);

  // An observer (a real SDK client) records how many entries "Tech Tam" has on every patch.
  const observer = await joinPlant(rig.server.url, "Observer");
  const tamEntries: number[] = [];
  const tam = () => [...observer.state.seats.values()].find((s) => s.name === "Tech Tam");
  observer.onStateChange((s) => tamEntries.push([...s.seats.values()].filter((x) => x.name === "Tech Tam").length));

  await installIwer(headset);
  await joinAs(headset, rig.server.url, "Tech Tam");
  await joinAs(listener, rig.server.url, "Lee");
  const tamSeat = await seatOf(headset);

  // In the call: the technician and a listener.
  await headset.click("#voice-join");
  await listener.click("#voice-join");
  await expectHeard(listener, tamSeat);

  // Into VR, with an asset selected.
  await holdControllers(headset);
  // The person is looking at the headset's page (the other pages are other people's screens).
  await headset.bringToFront();
  await headset.click("#btn-xr-vr");
  await headset.waitForFunction(() => window.__gemba_xr?.mode === "vr", null, { timeout: 60_000 });
  await xrFrames(headset, 5);
  await headset.evaluate(() => window.__gemba!.scene()!.onPick("P201"));
  await expect.poll(() => tam()?.device).toBe("headset");
  await expect.poll(() => tam()?.selection).toBe("P201");

  // Move: on the wrist, People → Move device shows a code; the laptop types it and accepts.
  await openTab(headset, "people");
  expect(await pressList(headset, { area: "action", slot: 0 })).toBe("list:move");
  await expect.poll(() => wristText(headset), { timeout: 60_000 }).toMatch(/Move: type \d{6} on the other device/);
  const code = /Move: type (\d{6})/.exec(await wristText(headset))![1]!;
  // The technician walks a few metres, then takes the headset off: that last head pose (plant frame) is where the laptop starts.
  const before = { x: tam()!.head.x, z: tam()!.head.z };
  await headset.evaluate(() => window.__iwer!.headset([1.5, 1.6, 4], [0, 1.2, 0]));
  await xrFrames(headset, 5);
  await expect
    .poll(() => Math.hypot(tam()!.head.x - before.x, tam()!.head.z - before.z), { timeout: 60_000 })
    .toBeGreaterThan(2);
  const headPose = [tam()!.head.x, tam()!.head.y, tam()!.head.z];
  await desk.goto(rig.server.url + "/");
  await desk.fill("#join-code", code);
  await desk.click("#join-continue");
  await expect(desk.locator("#continue-dialog")).toContainText("Continue Tech Tam's session from headset?");
  await desk.click("#continue-yes");
  await desk.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 180_000 });

  // The headset left VR and says where the session went; the laptop has the seat, selection and viewpoint.
  await expect(headset.locator("#moved-dialog")).toContainText("Moved to desktop");
  await headset.waitForFunction(() => !window.__gemba_xr?.mode, null, { timeout: 60_000 });
  // The server tells both devices at once ("moved" to the headset, "driving" to the laptop); either page may hear first.
  await expect.poll(() => desk.evaluate(() => window.__gemba!.seat())).toBe(tamSeat);
  await expect(desk.locator("#inspector-title")).toContainText("P201");
  const cam = await desk.evaluate(() => {
    const p = window.__gemba!.scene()!.scene.activeCamera!.position;
    return [p.x, p.y, p.z];
  });
  headPose.forEach((v, i) => expect(cam[i], `camera axis ${i}`).toBeCloseTo(v, 1));
  await expect.poll(() => tam()?.device).toBe("desktop");

  // The call moved with the seat: the laptop is in it, the headset hung up, the listener hears Tam from the laptop.
  await desk.waitForFunction(() => window.__gemba_voice?.inCall === true, null, { timeout: 60_000 });
  await headset.waitForFunction(() => window.__gemba_voice?.inCall === false, null, { timeout: 60_000 });
  await expect.poll(async () => (await link(listener, tamSeat))?.state, { timeout: 60_000 }).toBe("connected");
  await expectHeard(listener, tamSeat);
  expect(tam()?.inCall).toBe(true);

  // Take it back from the headset: the seat and the call return to it.
  await headset.click("#take-back");
  await expect.poll(() => tam()?.device).toBe("headset");
  await expect(desk.locator("#moved-dialog")).toContainText("Moved to headset");
  await headset.waitForFunction(() => window.__gemba_voice?.inCall === true, null, { timeout: 60_000 });
  await desk.waitForFunction(() => window.__gemba_voice?.inCall === false, null, { timeout: 60_000 });
  await expectHeard(listener, tamSeat);

  // From Tam's arrival on: never two entries for Tam, never none, on any patch the observer saw.
  const sinceArrival = tamEntries.slice(tamEntries.indexOf(1));
  expect(sinceArrival.length).toBeGreaterThan(2);
  expect(sinceArrival.every((n) => n === 1)).toBe(true);
  expect(wh.offOrigin).toEqual([]);
  expect(wd.offOrigin).toEqual([]);
  expect(wh.errors).toEqual([]);
  expect(wd.errors).toEqual([]);
  await observer.leave();
});
