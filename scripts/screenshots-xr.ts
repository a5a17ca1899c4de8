/**
 * `npx tsx scripts/screenshots-xr.ts [outDir]` (after `npm run build`): start the app
 * like `npm start`, open it in headless Chromium with an emulated Meta Quest 3 (iwer),
 * and save what the headset shows: walk-in VR with an asset selected and the wrist
 * panel raised (xr-vr.png), the wrist's Alarms, People, Notes and Time tabs (xr-alarms.png,
 * xr-people.png, xr-notes.png, xr-time.png: the shared timeline scrubbed back, with a bookmark), the tabletop miniature (xr-tabletop.png),
 * a trainee's drill score on the Drills tab with the debrief replaying (xr-drill-debrief.png), and the plant
 * placed on a desk of a synthetic office in AR (xr-ar.png). Prints draw calls and
 * frame times per view, with the desktop view of the same run as the baseline
 * (SwiftShader: compare ratios, not absolute numbers).
 */
import type { Page } from "@playwright/test";
import { launchChromium } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { devToken } from "../kit/devSignIn.ts";
import { joinPlant } from "../kit/observer.ts";
import { click, installIwer, selectWithRay, semRoom, xrFrames } from "../kit/iwer.ts";
import { LIST_H, LIST_W, listUv, TABS_H, TABS_W, tabUv } from "../client/xr/panelLayout.ts";
import type { XrTab } from "../client/xr/panelModels.ts";

const out = process.argv[2] ?? "docs/screenshots";
const VIEWPORT = { width: 1280, height: 720 };

interface Sample {
  view: string;
  /** Views rendered per frame (the emulator renders 2 eye cameras even in mono: one has a zero viewport). */
  views: number;
  drawCalls: number;
  perView: number;
  activeMeshes: number;
  renderMs: number;
  frameMs: number;
}

/** Median draw calls, active meshes, render CPU time and frame interval over `frames` rendered frames. */
async function measure(page: Page, view: string, frames = 40): Promise<Sample> {
  const r = await page.evaluate(async (n) => {
    const scene = window.__gemba!.scene()!.scene;
    const engine = scene.getEngine() as unknown as { _drawCalls: { fetchNewFrame(): void; current: number } };
    const rows: { dc: number; am: number; render: number; t: number }[] = [];
    const views = Math.max(1, scene.activeCamera?.rigCameras.length ?? 1);
    let t0 = 0;
    const before = scene.onBeforeRenderObservable.add(() => {
      engine._drawCalls.fetchNewFrame();
      t0 = performance.now();
    });
    await new Promise<void>((resolve) => {
      const after = scene.onAfterRenderObservable.add(() => {
        rows.push({
          dc: engine._drawCalls.current,
          am: scene.getActiveMeshes().length,
          render: performance.now() - t0,
          t: performance.now(),
        });
        if (rows.length >= n) {
          scene.onAfterRenderObservable.remove(after);
          resolve();
        }
      });
    });
    scene.onBeforeRenderObservable.remove(before);
    // Medians (no named helpers in here: tsx would wrap them in a __name() the page does not have).
    const cols = [
      rows.map((x) => x.dc),
      rows.map((x) => x.am),
      rows.map((x) => x.render),
      rows.slice(1).map((row, i) => row.t - rows[i]!.t),
    ];
    const [dc, am, render, frame] = cols.map((xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
    return { dc: dc!, am: am!, render: render!, frame: frame!, views };
  }, frames);
  return {
    view,
    views: r.views,
    drawCalls: r.dc,
    perView: Math.round(r.dc / r.views),
    activeMeshes: r.am,
    renderMs: +r.render.toFixed(1),
    frameMs: +r.frame.toFixed(1),
  };
}

async function join(page: Page, url: string, name: string, query = ""): Promise<void> {
  await page.goto(url + "/" + query);
  await page.fill("#join-name", name);
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 90_000 });
  await page.waitForSelector('.label[data-twin="T201"] .val:not(:text("—"))');
}

async function enter(page: Page, mode: "vr" | "ar"): Promise<void> {
  await page.click(`#btn-xr-${mode}`);
  await page.waitForFunction((m) => window.__gemba_xr?.mode === m, mode, { timeout: 30_000 });
  await xrFrames(page, 5);
}

/** Enter walk-in VR standing in front of `twin`, both controllers held ahead. */
async function enterVrFacing(page: Page, twin: string): Promise<void> {
  await page.evaluate((id) => window.__gemba!.scene()!.focus(id), twin);
  await page.evaluate(() => {
    window.__iwer!.pose("controller-left", [-0.2, 1.2, -0.3], [-0.15, 1.3, -1.3]);
    window.__iwer!.pose("controller-right", [0.2, 1.25, -0.3], [0.2, 1.25, -1.3]);
  });
  await enter(page, "vr");
}

/** Aim the right controller at an asset (plant coordinates → world through the plant frame) and pull the trigger. */
async function selectAsset(page: Page, twin: string): Promise<void> {
  await selectWithRay(page, twin, 10_000);
  // Let the panel's 5 Hz refresh fill in the live values.
  await page.waitForFunction(() => /: -?\d/.test(window.__gemba_xr?.panelText ?? ""), null, { timeout: 10_000 });
}

/** Left hand held forward at chest height: the panel above it faces the eyes from ~40 cm. */
async function raiseWrist(page: Page): Promise<void> {
  await page.evaluate(() => window.__iwer!.pose("controller-left", [-0.13, 1.31, -0.36], [-0.1, 1.39, -1.3]));
  await xrFrames(page, 3);
}

/** Aim the right controller at a point of an in-XR panel (texture coordinates) and pull the trigger. */
async function press(page: Page, mesh: "_xrTabs" | "_xrList", uv: [number, number]): Promise<void> {
  const [w, h] = mesh === "_xrTabs" ? [TABS_W, TABS_H] : [LIST_W, LIST_H];
  const local: [number, number, number] = [(uv[0] - 0.5) * w, (uv[1] - 0.5) * h, 0];
  const world = await page.evaluate(([m, l]) => window.__iwer!.nodeToWorld(m, l), [mesh, local] as const);
  await page.evaluate((p) => window.__iwer!.aimAtWorld("controller-right", p), world);
  await xrFrames(page, 3);
  await click(page, "controller-right");
}

async function openTab(page: Page, tab: XrTab): Promise<void> {
  await press(page, "_xrTabs", tabUv(tab));
  await page.waitForFunction((t) => window.__gemba_xr?.tab === t, tab);
}

/** Right hand back down, out of the picture of the raised wrist. */
async function lowerRight(page: Page): Promise<void> {
  await page.evaluate(() => window.__iwer!.pose("controller-right", [0.25, 1.0, -0.3], [0.3, 0.9, -1.3]));
  await xrFrames(page, 3);
}

// The headset user is an expert, so the Time tab shows the controls that move the room's time.
const server = await startAppServer({ DEV_ROLE: "expert" });
// Something to show in the Alarms tab: two simulator faults, raised while the page loads (experts may).
const trainer = await devToken(server.url, "Trainer", "expert");
for (const [name, target] of [
  ["cavitation", "P101"],
  ["bearing-wear", "P201"],
] as const) {
  await fetch(`${server.url}/api/sim/faults`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${trainer}` },
    body: JSON.stringify({ name, target }),
  }).catch(() => undefined);
}
// Someone else in the room for the People tab: a desktop user in the voice call, speaking.
const bo = await joinPlant(server.url, "Bo", { device: "desktop" });
bo.onMessage("error", () => {});
bo.send("pose", { h: [-6, 1.7, -14, 0, 0, 0, 1] });
bo.send("voice", { inCall: true, muted: false, speaking: true });
const browser = await launchChromium();
const samples: Sample[] = [];
try {
  // ---- VR: walk-in and tabletop
  {
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on("console", (m) => m.type() === "error" && console.error("page:", m.text()));
    await installIwer(page);
    await join(page, server.url, "Ada");
    samples.push(await measure(page, "desktop (orbit)"));
    // Stand in front of the product tank: the spawn point is in front of what the desktop camera looks at.
    await enterVrFacing(page, "T201");
    await selectAsset(page, "T201");
    await raiseWrist(page);
    samples.push(await measure(page, "VR walk-in 1:1"));
    await page.screenshot({ path: `${out}/xr-vr.png` });

    // The wrist's tabs: alarms (with Ack / Shelve), people, and a quick-label pin note on the selected tank.
    await openTab(page, "alarms");
    await page.waitForFunction(() => /\[Ack\]|\[Shelve/.test(window.__gemba_xr?.tabText ?? ""), null, {
      timeout: 60_000,
    });
    await lowerRight(page);
    await raiseWrist(page);
    samples.push(await measure(page, "VR 1:1, alarms tab"));
    await page.screenshot({ path: `${out}/xr-alarms.png` });
    await openTab(page, "people");
    await page.waitForFunction(() => (window.__gemba_xr?.tabText ?? "").includes("Bo"));
    await lowerRight(page);
    await raiseWrist(page);
    await page.screenshot({ path: `${out}/xr-people.png` });
    // Left hand down so the raised panel is not between the right controller and the tank.
    await page.evaluate(() => window.__iwer!.pose("controller-left", [-0.3, 0.9, -0.2], [-0.35, 0.5, -1.2]));
    await lowerRight(page);
    await page.evaluate(() => window.__iwer!.pose("controller-right", [0.2, 1.25, -0.3], [0.2, 1.25, -1.3]));
    await selectAsset(page, "T201");
    await openTab(page, "notes");
    await press(page, "_xrList", listUv({ area: "action", slot: 1 }));
    await page.waitForFunction(() => (window.__gemba_xr?.tabText ?? "").includes("Leak? — Ada"), null, {
      timeout: 15_000,
    });
    await lowerRight(page);
    await raiseWrist(page);
    await page.screenshot({ path: `${out}/xr-notes.png` });
    // The shared timeline: back a minute, bookmark that moment, then the wrist raised to read it.
    await openTab(page, "time");
    await press(page, "_xrList", listUv({ area: "action", slot: 0 }));
    await page.waitForFunction(() => (window.__gemba!.state()?.viewTime ?? 0) > 0, null, { timeout: 15_000 });
    await press(page, "_xrList", listUv({ area: "row", row: 1, slot: 0 }));
    await page.waitForFunction(() => /\nBookmark [^\n]*\[Go\]/.test(window.__gemba_xr?.tabText ?? ""), null, {
      timeout: 15_000,
    });
    await lowerRight(page);
    await raiseWrist(page);
    await page.screenshot({ path: `${out}/xr-time.png` });
    await press(page, "_xrList", listUv({ area: "row", row: 1, slot: 1 }));
    await page.waitForFunction(() => window.__gemba!.state()?.viewTime === 0, null, { timeout: 15_000 });
    await openTab(page, "asset");

    await click(page, "controller-right", "a-button");
    await page.waitForFunction(() => window.__gemba_xr?.scaleMode === "tabletop");
    await page.evaluate(() => window.__iwer!.pose("controller-right", [0.2, 1.25, -0.3], [0.2, 1.25, -1.3]));
    await selectAsset(page, "P101");
    // Look down at the table; the left hand (and its panel) off to the side.
    await page.evaluate(() => {
      window.__iwer!.headset([0, 1.6, 0], [0.05, 0.75, -1.0]);
      window.__iwer!.pose("controller-left", [-0.3, 1.25, -0.33], [-0.32, 1.36, -1.3]);
    });
    await xrFrames(page, 3);
    samples.push(await measure(page, "VR tabletop 1:50"));
    await page.screenshot({ path: `${out}/xr-tabletop.png` });
    await page.close();
  }
  // ---- A drill: the trainee acknowledges the drill's alarm from the wrist, reads the score, starts the debrief
  {
    const ines = await joinPlant(server.url, "Instructor Ines", { role: "expert" });
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on("console", (m) => m.type() === "error" && console.error("page:", m.text()));
    await installIwer(page);
    await join(page, server.url, "Trainee Tina");
    const tina = await new Promise<string>((resolve) => {
      const find = () => [...ines.state.seats.values()].find((x) => x.name === "Trainee Tina")?.id;
      const seen = find();
      if (seen) return resolve(seen);
      ines.onStateChange(() => {
        const id = find();
        if (id) resolve(id);
      });
    });
    const { plant } = await ines.request<object, { plant: string }>("drillStart", {
      scenario: "cip-pump-cavitation",
      trainees: [tina],
      request: "screenshots-xr-drill",
    });
    // As the wrist's Join drill does: the page on the drill's sandbox room.
    await join(page, server.url, "Trainee Tina", `?plant=${encodeURIComponent(plant)}`);
    await enterVrFacing(page, "P401");
    await openTab(page, "alarms");
    // The cavitation alarm's own row: the pump's limit alarm can be listed first.
    await page.waitForFunction(() => /\nP401 · Cavitation[^\n]*\[Ack\]/.test(window.__gemba_xr?.tabText ?? ""), null, {
      timeout: 90_000,
    });
    const row = await page.evaluate(() =>
      window
        .__gemba_xr!.tabText.split("\n")
        .slice(2)
        .findIndex((l) => l.startsWith("P401 · Cavitation")),
    );
    await press(page, "_xrList", listUv({ area: "row", row, slot: 0 }));
    await openTab(page, "drills");
    await page.waitForFunction(() => /^Your score: \d+ points/.test(window.__gemba_xr?.tabText ?? ""), null, {
      timeout: 30_000,
    });
    await press(page, "_xrList", listUv({ area: "action", slot: 0 }));
    await page.waitForFunction(() => /^Debrief ▶ 1×/.test(window.__gemba_xr?.tabText ?? ""), null, { timeout: 30_000 });
    await lowerRight(page);
    await raiseWrist(page);
    await page.screenshot({ path: `${out}/xr-drill-debrief.png` });
    await page.close();
    await ines.leave();
  }
  // ---- AR: a synthetic small office, the plant on the desk
  {
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on("console", (m) => m.type() === "error" && console.error("page:", m.text()));
    await installIwer(page, { sem: true });
    await join(page, server.url, "Ada (passthrough)");
    await page.evaluate((room) => window.__iwer!.loadRoom(room), semRoom("office_small"));
    await page.evaluate(() => {
      window.__iwer!.headset([0.05, 1.55, 0.55], [0.06, 0.75, -0.6]);
      window.__iwer!.pose("controller-left", [-0.2, 1.2, 0.25], [-0.15, 1.0, -0.6]);
      window.__iwer!.pose("controller-right", [0.22, 1.2, 0.25], [0.1, 0.8, -0.6]);
    });
    await enter(page, "ar");
    await page.waitForFunction(() => window.__gemba_xr?.surface === true, null, { timeout: 20_000 });
    await click(page, "controller-right");
    await page.waitForFunction(() => window.__gemba_xr?.placed === true && window.__gemba_xr.anchors === 1, null, {
      timeout: 20_000,
    });
    // Two-hand pinch-in to 1:100 so the plant fits the desk.
    await page.evaluate(() => {
      window.__iwer!.button("controller-left", "squeeze", 1);
      window.__iwer!.button("controller-right", "squeeze", 1);
    });
    await xrFrames(page, 3);
    await page.evaluate(() => {
      window.__iwer!.pose("controller-left", [-0.1, 1.2, 0.25], [-0.15, 1.0, -0.6]);
      window.__iwer!.pose("controller-right", [0.12, 1.2, 0.25], [0.1, 0.8, -0.6]);
    });
    await xrFrames(page, 3);
    await page.evaluate(() => {
      window.__iwer!.button("controller-left", "squeeze", 0);
      window.__iwer!.button("controller-right", "squeeze", 0);
      window.__iwer!.pose("controller-left", [-0.2, 1.2, 0.25], [-0.15, 1.0, -0.6]);
    });
    await xrFrames(page, 5);
    await selectAsset(page, "T101");
    // Hands out of the way of the miniature for the picture.
    await page.evaluate(() => {
      window.__iwer!.pose("controller-left", [-0.3, 1.22, 0.22], [-0.25, 1.1, -0.6]);
      window.__iwer!.pose("controller-right", [0.32, 1.05, 0.25], [0.12, 0.78, -0.6]);
    });
    await xrFrames(page, 3);
    samples.push(await measure(page, "AR placed (1:100)"));
    await page.screenshot({ path: `${out}/xr-ar.png` });
    await page.close();
  }
  console.table(samples);
  console.log(`XR screenshots written to ${out}/`);
} finally {
  await browser.close();
  await bo.leave().catch(() => undefined);
  await server.stop();
}
