/**
 * `npm run screenshots`: start the app like `npm start`, open it in headless
 * Chromium at 1280×720, join, wait for live values, and save the README's desktop screenshots
 * (the pump P401 in alarm, as the demo fault shows it, then in the inspector); then scripts/screenshots-xr.ts takes the headset's.
 */
import { launchChromium } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { devToken } from "../kit/devSignIn.ts";

const out = process.argv[2] ?? "docs/screenshots";
const server = await startAppServer();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  // Hang guards, not speed limits: on a busy 2-core machine a second page rendering the plant takes a while.
  page.setDefaultTimeout(120_000);
  page.on("console", (m) => m.type() === "error" && console.error("page:", m.text()));
  await page.goto(server.url + "/");
  await page.fill("#join-name", "Ada");
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 90_000 });
  await page.waitForSelector('.label[data-twin="P101"] .val:not(:text("—"))');
  // The simulator's demo fault, injected as a trainer would: the alarm list shows it in plant words.
  const trainer = { authorization: `Bearer ${await devToken(server.url, "Trainer", "expert")}` };
  const fault = await page.request.post(`${server.url}/api/sim/faults`, {
    headers: trainer,
    data: { name: "cavitation", target: "P401" },
  });
  if (fault.status() !== 201) throw new Error(`the demo fault was refused (${fault.status()})`);
  await page.waitForSelector('#alarm-list li[data-alarm="limit.suctionPressure:P401"]', { timeout: 60_000 });
  await page.waitForTimeout(1500); // let the first patches settle into labels and status discs
  await page.screenshot({ path: `${out}/desktop.png` });
  // The pump in alarm: its chart shows the suction pressure under its limit line.
  await page.evaluate(() => window.__gemba!.scene()!.onPick("P401"));
  await page.waitForTimeout(700);
  await page.screenshot({ path: `${out}/inspector.png` });

  // Two participants: Bo (on a Quest) points at the blend tank and pins a note; Ada sees Bo's avatar, pointer and pin.
  const bo = await browser.newPage({
    viewport: { width: 1280, height: 720 },
    userAgent:
      "Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 (KHTML, like Gecko) OculusBrowser/36.0 Chrome/134.0 VR Safari/537.36",
  });
  bo.setDefaultTimeout(120_000);
  await bo.goto(server.url + "/");
  await bo.fill("#join-name", "Bo");
  await bo.click("#join-go");
  await bo.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 90_000 });
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
  await bo.waitForTimeout(300);
  const spot = await bo.evaluate(() => window.__gemba!.scene()!.screenOf("T201"));
  await bo.click("#btn-pin");
  await bo.mouse.click(spot!.x, spot!.y - 20);
  await bo.fill("#note-text", "Manway gasket weeping — check before the next CIP");
  await bo.click("#note-go");
  await bo.keyboard.press("p");
  const p201 = await bo.evaluate(() => window.__gemba!.scene()!.screenOf("P201"));
  await bo.mouse.move(p201!.x, p201!.y);
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `${out}/two-participants.png` });
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
  await server.stop();
}
