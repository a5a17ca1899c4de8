/**
 * `npm run screenshots`: start the app like `npm start`, open it in headless
 * Chromium at 1280×720, join, wait for live values, and save the README's desktop screenshots
 * (the pump P401 in alarm, as the demo fault shows it, then in the inspector); then scripts/screenshots-xr.ts takes the headset's.
 * Each screenshot waits for what it shows (a value, a chart's scale, a colleague's pin and avatar) and one drawn frame,
 * never a fixed time: on a busy machine a guessed pause shot a half-updated view.
 */
import type { Page } from "@playwright/test";
import { launchChromium } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { devToken } from "../kit/devSignIn.ts";

const out = process.argv[2] ?? "docs/screenshots";
const NOTE = "Manway gasket weeping — check before the next CIP";

async function join(page: Page, url: string, name: string): Promise<void> {
  // Hang guards, not speed limits: on a busy 2-core machine a second page rendering the plant takes a while.
  page.setDefaultTimeout(120_000);
  await page.goto(url + "/");
  await page.fill("#join-name", name);
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 90_000 });
}

/**
 * Resolves once the page's 3D view has drawn a frame from now on, so what was set before (a status colour, a moved
 * camera, a selection ring) is on the next screenshot. The view draws at least once a second when calm
 * (client/scene/FramePacer.ts), every frame while something moves.
 */
function frameDrawn(page: Page): Promise<void> {
  return page.evaluate(
    () => new Promise<void>((drawn) => window.__gemba!.scene()!.scene.onAfterRenderObservable.addOnce(() => drawn())),
  );
}

const server = await startAppServer();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on("console", (m) => m.type() === "error" && console.error("page:", m.text()));
  await join(page, server.url, "Ada");
  await page.waitForSelector('.label[data-twin="P101"] .val:not(:text("—"))');
  // The simulator's demo fault, injected as a trainer would: the alarm list shows it in plant words.
  const trainer = { authorization: `Bearer ${await devToken(server.url, "Trainer", "expert")}` };
  const fault = await page.request.post(`${server.url}/api/sim/faults`, {
    headers: trainer,
    data: { name: "cavitation", target: "P401" },
  });
  if (fault.status() !== 201) throw new Error(`the demo fault was refused (${fault.status()})`);
  await page.waitForSelector('#alarm-list li[data-alarm="limit.suctionPressure:P401"]', { timeout: 60_000 });
  // The labels and status discs take a patch in the same pass as the alarm list (client/app/DesktopPanels.ts): the
  // pump's label in alarm colour (s2) says the patch is in; one drawn frame puts its disc on screen.
  await page.waitForSelector('.label.s2[data-twin="P401"]');
  await page.waitForSelector('.label[data-twin="T301"] .val:text("%")');
  await frameDrawn(page);
  await page.screenshot({ path: `${out}/desktop.png` });
  // The pump in alarm: its chart shows the suction pressure under its limit line (drawn once its history came:
  // the chart's scale is set then), beside its live value.
  await page.evaluate(() => window.__gemba!.scene()!.onPick("P401"));
  await page.waitForSelector("#inspector-title:text('P401')");
  const suction = '#inspector-rows tr[data-point="suctionPressure"]';
  await page.waitForSelector(`${suction} canvas[data-scale]:not([data-scale=""])`);
  await page.waitForSelector(`${suction} td.v:not(:text-is("—"))`);
  await frameDrawn(page);
  await page.screenshot({ path: `${out}/inspector.png` });

  // Two participants: Bo (on a Quest) points at the blend tank and pins a note; Ada sees Bo's avatar, pointer and pin.
  const bo = await browser.newPage({
    viewport: { width: 1280, height: 720 },
    userAgent:
      "Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 (KHTML, like Gecko) OculusBrowser/36.0 Chrome/134.0 VR Safari/537.36",
  });
  await join(bo, server.url, "Bo");
  await page.evaluate(() => window.__gemba!.scene()!.onPick(null));
  await bo.evaluate(() => {
    const s = window.__gemba!.scene()!;
    s.focus("T201");
    s.orbit.radius = 9;
    s.orbit.alpha = 0.6;
    s.orbit.beta = 1.15;
  });
  await page.evaluate(() => {
    const s = window.__gemba!.scene()!;
    s.focus("T201");
    s.orbit.radius = 22;
    s.orbit.alpha = -0.9;
    s.orbit.beta = 1.05;
  });
  // Bo clicks on the view as drawn from where his camera now is.
  await frameDrawn(bo);
  const spot = await bo.evaluate(() => window.__gemba!.scene()!.screenOf("T201"));
  await bo.click("#btn-pin");
  await bo.mouse.click(spot!.x, spot!.y - 20);
  await bo.fill("#note-text", NOTE);
  await bo.click("#note-go");
  await bo.keyboard.press("p");
  const p201 = await bo.evaluate(() => window.__gemba!.scene()!.screenOf("P201"));
  await bo.mouse.move(p201!.x, p201!.y);
  // Ada's view has caught up with Bo: his pointer shown, his pin placed, his avatar glided to where his camera is.
  const boSeat = await bo.evaluate(() => window.__gemba!.seat()!);
  const boCamera = await bo.evaluate(() => {
    const c = window.__gemba!.scene()!.scene.activeCamera!.globalPosition;
    return [c.x, c.y, c.z] as const;
  });
  // Looked at again after every frame Ada's view draws; a view that never catches up says what it lacks.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const lacking = await page.evaluate(
      ({ seat, camera, note }) => {
        const g = window.__gemba!;
        const who = g.state()?.seats.get(seat);
        const pin = [...(g.state()?.annotations.values() ?? [])].find((a) => a.text === note);
        const avatar = g.scene()?.scene.getTransformNodeByName(`_avatar.${seat}`)?.position;
        const glided = avatar && Math.hypot(avatar.x - camera[0], avatar.y - camera[1], avatar.z - camera[2]) < 0.01;
        return [
          who?.pointer.active ? "" : "Bo's pointer",
          pin && g.noteWorld(pin.id) ? "" : "Bo's pin",
          glided ? "" : `Bo's avatar where his camera is (at ${avatar ? avatar.toString() : "none"})`,
        ].filter(Boolean);
      },
      { seat: boSeat, camera: boCamera, note: NOTE },
    );
    if (lacking.length === 0) break;
    if (Date.now() > deadline) throw new Error(`Ada's view never showed ${lacking.join(", ")}`);
    await frameDrawn(page);
  }
  await frameDrawn(page);
  await page.screenshot({ path: `${out}/two-participants.png` });
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
  await server.stop();
}
