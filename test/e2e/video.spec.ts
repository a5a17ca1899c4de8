/**
 * The call's camera in real Chromium pages against the real server (docs/VIDEO.md). Chromium's fake camera plays
 * a generated test pattern (kit/y4m.ts) whose frame number is written in blocks, so the receiving page can tell
 * which frame it shows: frame rate and resolution are measured, and the delay from each frame's capture to its
 * presentation at the other page (kit/frameTimes.ts), all printed, not asserted against wall-clock limits. A stroke drawn on the technician's video reaches the technician's overlay; from a
 * device placed in the plant (AR, iwer) it becomes an ink annotation on the asset under it; a thin link (UDP over
 * loopback shaped by the kernel, kit/thinLink.ts) switches the camera to stills and back.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { chromium } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { CHROMIUM_ARGS, CHROMIUM_PATH, VOICE_CALL_ARGS } from "../../kit/browser.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { captureDelays, FRAME_TIMES_SOURCE } from "../../kit/frameTimes.ts";
import { click, installIwer, xrFrames } from "../../kit/iwer.ts";
import { devToken } from "../../kit/devSignIn.ts";
import { loopbackShapingStats, removeLoopbackShaping, shapeLoopbackUdp } from "../../kit/thinLink.ts";
import { BIT_BLOCK, FRAME_BITS, readFrameNumber, writeTestPattern } from "../../kit/y4m.ts";
import { expectQuietPage, joinAs, seatOf, watchPage, type PageWatch } from "./page.ts";
import { buttonLocal, pictureLocal } from "../../client/xr/videoPanelLayout.ts";
import { enterXr, holdControllers } from "./xrWrist.ts";

// Hang guard: four pages with WebGL and a video call on a shared two-core machine take minutes, not seconds.
test.describe.configure({ timeout: 900_000 });

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const patternFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-y4m-")), "pattern.y4m");
const pattern = writeTestPattern(patternFile, { fps: 15, frames: 60 });

test.beforeAll(async () => {
  server = await startAppServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...VOICE_CALL_ARGS, `--use-file-for-fake-video-capture=${patternFile}`],
  });
});
// Each test's people leave when it ends: a camera left sharing from an earlier test would show in the next one's
// panels, and every open page renders the plant on the same two cores.
test.afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
});
test.afterAll(async () => {
  removeLoopbackShaping();
  await browser?.close();
  await server?.stop();
});

/** A person in the call; `xr` puts an emulated Quest 3 in their page ("ar": with a synthetic room for hit tests). */
async function person(
  name: string,
  xr: "vr" | "ar" | null = null,
): Promise<{ page: Page; watch: PageWatch; seat: string }> {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.addInitScript(`window.__readFrame = ${readFrameNumber.toString()}`);
  await page.addInitScript({ content: FRAME_TIMES_SOURCE });
  if (xr) await installIwer(page, { sem: xr === "ar" });
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, name);
  await page.click("#voice-join");
  await page.waitForFunction(() => window.__gemba_voice?.inCall === true);
  return { page, watch, seat: await seatOf(page) };
}

async function shareCamera(page: Page): Promise<void> {
  await expect(page.locator("#video-share")).toBeVisible();
  await page.click("#video-share");
  await page.waitForFunction(() => window.__gemba_video?.mode === "live");
}

/** Drag the mouse through `points` (0..1 of the tile's picture) as one stroke, as a person draws. */
async function drawOn(page: Page, seat: string, points: [number, number][]): Promise<void> {
  const box = (await page.locator(`.video-tile[data-seat="${seat}"] .video-stage`).boundingBox())!;
  const at = ([u, v]: [number, number]) => [box.x + box.width * u, box.y + box.height * v] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p));
  await page.mouse.up();
}

/** The video panel covers none of the other panels (alarms, notes, participants, timeline, top bar). */
async function expectPanelClear(page: Page): Promise<void> {
  const covered = () =>
    page.evaluate(() => {
      const v = document.getElementById("video-panel")!.getBoundingClientRect();
      const off = v.left < 0 || v.top < 0 || v.right > innerWidth || v.bottom > innerHeight ? ["off screen"] : [];
      return [...document.querySelectorAll<HTMLElement>("#topbar, .panel, #timeline")]
        .filter((el) => !el.hidden)
        .map((el) => [el.id, el.getBoundingClientRect()] as const)
        .filter(([, r]) => r.width > 0 && r.left < v.right && v.left < r.right && r.top < v.bottom && v.top < r.bottom)
        .map(([id]) => id)
        .concat(off);
    });
  await expect.poll(covered, { message: "panels the video panel covers", timeout: 30_000 }).toEqual([]);
  await expect(page.locator("#video-panel")).toHaveAttribute("data-covers", "0");
}

/**
 * Frame numbers of a seat's camera track as this page receives them, with the wall time each frame reached the
 * page (MediaStreamTrackProcessor: every frame at the sink, whether or not the page gets to paint it; a loaded
 * machine paints far fewer), and its size.
 */
async function logFrames(page: Page, seat: string): Promise<void> {
  await page.evaluate(
    ([s, bits, block]) => {
      const v = window.__gemba_video!.video(s)!;
      const track = (v.srcObject as MediaStream).getVideoTracks()[0]!.clone();
      const read = (
        window as unknown as {
          __readFrame: (p: CanvasImageSource, w: number, h: number, b: number, k: number) => number;
        }
      ).__readFrame;
      const log: [number, number, number, number][] = [];
      (window as unknown as { __frames: typeof log }).__frames = log;
      const Processor = (
        window as unknown as {
          MediaStreamTrackProcessor: new (o: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };
        }
      ).MediaStreamTrackProcessor;
      const reader = new Processor({ track }).readable.getReader();
      void (async () => {
        while (log.length < 600) {
          const { value: f, done } = await reader.read();
          if (done || !f) break;
          const t = performance.timeOrigin + performance.now();
          log.push([read(f, f.displayWidth, f.displayHeight, bits, block), t, f.displayWidth, f.displayHeight]);
          f.close();
        }
        track.stop();
      })();
    },
    [seat, FRAME_BITS, BIT_BLOCK] as const,
  );
}
/** Frame number, arrival time (epoch ms), width, height. */
type Frame = [number, number, number, number];
const framesOf = (page: Page) => page.evaluate(() => (window as unknown as { __frames: Frame[] }).__frames.slice());

/** Median of sorted numbers' p-quantile. */
const quantile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

/**
 * The technician's headset: AR, the plant put down in front (no surface scanned: 0.8 m ahead, anchored); then
 * they lean over one asset of the 1:50 plant, looking down at it: it fills the middle of their camera's frame.
 */
async function placeAndLookAt(page: Page, twin: string): Promise<void> {
  await holdControllers(page);
  await page.evaluate(() => window.__iwer!.headset([0, 1.6, 0], [0, 0.9, -0.8]));
  await enterXr(page, "ar");
  await click(page, "controller-right");
  await page.waitForFunction(() => window.__gemba_xr?.placed === true, null, { timeout: 60_000 });
  await page.evaluate((id) => {
    const t = window.__gemba!.scene()!.twins.get(id)!;
    const d = window.__iwer!.worldToDevice(
      window.__iwer!.nodeToWorld("_plantFrame", [t.center.x, t.center.y, t.center.z]),
    );
    window.__iwer!.headset([d[0], d[1] + 0.2, d[2] + 0.2], d);
  }, twin);
  await xrFrames(page, 5);
}

/** Aim the right controller at a point of a mesh (in the mesh's own frame) of the headset's video panel. */
async function aimAtPanel(page: Page, mesh: string, local: [number, number, number]): Promise<void> {
  const world = await page.evaluate(([m, l]) => window.__iwer!.nodeToWorld(m, l), [mesh, local] as const);
  await page.evaluate((w) => window.__iwer!.aimAtWorld("controller-right", w), world);
  await xrFrames(page, 3);
}

/** Press the caption's button (Freeze / Back to live) of a camera's floating panel with the ray; returns what it did. */
async function pressPanelButton(page: Page, seat: string): Promise<string> {
  await aimAtPanel(page, `_xrVideoCaption-${seat}`, buttonLocal());
  await click(page, "controller-right");
  return page.evaluate(() => window.__gemba_xr!.lastClick);
}

/** Hold the trigger on a camera's floating panel and move the ray through `points` (0..1 of the frame), as a wearer draws. */
async function drawInHeadset(page: Page, seat: string, points: [number, number][]): Promise<void> {
  const picture = `_xrVideo-${seat}`;
  await aimAtPanel(page, picture, pictureLocal(...points[0]!));
  await page.evaluate(() => window.__iwer!.button("controller-right", "trigger", 1));
  await xrFrames(page, 3);
  for (const p of points.slice(1)) await aimAtPanel(page, picture, pictureLocal(...p));
  // Every corner was taken while the trigger was held (one point per XR frame under the ray).
  await page.waitForFunction((s) => window.__gemba_xr!.cameras.find((c) => c.seat === s)!.drawing >= 5, seat);
  await page.evaluate(() => window.__iwer!.button("controller-right", "trigger", 0));
  await xrFrames(page, 3);
}

/** Whether every one of `corners` has a point of `drawn` (x, y pairs) within 0.02 of it. */
function cornersIn(drawn: readonly number[], corners: [number, number][]): boolean[] {
  const near = (u: number, v: number) =>
    drawn.some((x, i) => i % 2 === 0 && Math.hypot(x - u, drawn[i + 1]! - v) < 0.02);
  return corners.map(([u, v]) => near(u, v));
}

test("the technician's camera reaches the expert: frames arrive (rate, size and delay printed), Freeze shows one still to both, and a stroke drawn by the expert appears over the technician's own camera view", async () => {
  const tech = await person("Tech Tamsin");
  const expert = await person("Expert Emil");
  await shareCamera(tech.page);

  // The expert's panel shows the technician's camera, live.
  const tile = expert.page.locator(`.video-tile[data-seat="${tech.seat}"]`);
  await expect(tile).toBeVisible({ timeout: 60_000 });
  await expert.page.waitForFunction((s) => (window.__gemba_video!.video(s)?.videoWidth ?? 0) > 0, tech.seat, {
    timeout: 60_000,
  });

  // Measure: frame numbers as the expert's page receives them (rate, size, motion), and the delay from each frame's
  // capture to its presentation at the expert's page, both stamped by the browser on one clock (kit/frameTimes.ts),
  // beside the same on the technician's own camera in the technician's page (the baseline: no call in between).
  await logFrames(expert.page, tech.seat);
  await expert.page.evaluate((s) => {
    const track = (window.__gemba_video!.video(s)!.srcObject as MediaStream).getVideoTracks()[0]!;
    window.__frameTimes!.watch("got", track.clone());
  }, tech.seat);
  await tech.page.evaluate(() => {
    const track = (window.__gemba_video!.preview().srcObject as MediaStream).getVideoTracks()[0]!;
    window.__frameTimes!.watch("base", track.clone());
  });
  const timed = async (page: Page, key: string) =>
    captureDelays(await page.evaluate((k) => window.__frameTimes!.logs[k] ?? [], key)).delays;
  // A loaded machine delivers frames slowly (SwiftShader renders two plants): wait until enough arrived, rather
  // than for a fixed time.
  let got: Frame[] = [];
  let delays: number[] = [];
  await expect
    .poll(
      async () => {
        got = await framesOf(expert.page);
        delays = await timed(expert.page, "got");
        return got.length > 20 && delays.length > 3;
      },
      { message: "frames arrive, and some are presented with their capture time", timeout: 300_000 },
    )
    .toBe(true);
  const base = await timed(tech.page, "base");
  const decoded = got.filter(([n]) => n >= 0 && n < pattern.frames);
  expect(decoded.length, "the expert reads frame numbers off the received video").toBeGreaterThan(15);
  const distinct = new Set(decoded.map(([n]) => n)).size;
  expect(distinct, "the picture moves (many different frames arrive)").toBeGreaterThan(5);
  const span = (got.at(-1)![1] - got[0]![1]) / 1000;
  const [, , w, h] = got.at(-1)!;
  const ms = (xs: number[], q: number) => quantile(xs, q).toFixed(0);
  console.log(
    `video: ${got.length} frames in ${span.toFixed(1)} s = ${(got.length / span).toFixed(1)} fps at ${w}x${h}; ` +
      `capture -> presented at the expert p50 ${ms(delays, 0.5)} ms, p95 ${ms(delays, 0.95)} ms (${delays.length} frames); ` +
      `baseline (the technician's own camera on their screen) p50 ${ms(base, 0.5)} ms, p95 ${ms(base, 0.95)} ms (${base.length})`,
  );
  expect(w).toBeGreaterThan(0);

  // Freeze: everyone (the technician too) shows the same still.
  await tile.getByRole("button", { name: "Freeze" }).click();
  await expert.page.waitForFunction((s) => window.__gemba_video!.tiles().find((t) => t.seat === s)?.frozen, tech.seat);
  const stillId = await expert.page.evaluate(
    (s) => window.__gemba_video!.tiles().find((t) => t.seat === s)!.frozen,
    tech.seat,
  );
  await tech.page.waitForFunction((id) => window.__gemba_video!.tiles()[0]?.frozen === id, stillId);

  // The expert circles something on the frozen frame (four segments); it appears over the technician's camera
  // view with every corner: the page is busy, so the browser folds pointer moves together (coalesced events).
  const diamond: [number, number][] = [
    [0.4, 0.5],
    [0.5, 0.4],
    [0.6, 0.5],
    [0.5, 0.6],
    [0.4, 0.5],
  ];
  await drawOn(expert.page, tech.seat, diamond);
  await tech.page.waitForFunction(() => window.__gemba_video!.tiles()[0]?.strokes === 1);
  await expect(tech.page.locator(".video-tile .video-ink polyline")).toHaveCount(1);
  const drawn = await tech.page.evaluate(() => window.__gemba_video!.tiles()[0]!.lastStroke);
  expect(
    cornersIn(drawn, diamond),
    `every corner of the stroke arrived: ${drawn.map((x) => x.toFixed(3)).join(",")}`,
  ).toEqual([true, true, true, true, true]);
  // Not placed in the plant: the stroke is kept in the journal with its frame, not pinned to an asset.
  expect(await tech.page.evaluate(() => window.__gemba_video!.placed())).toEqual([]);
  await tech.page.screenshot({ path: "test-results/video-tech.png" });
  await expert.page.screenshot({ path: "test-results/video-expert.png" });
  // The panel sits clear of the alarms and the other panels, on a laptop screen and on a large one.
  await expectPanelClear(expert.page);
  await expert.page.setViewportSize({ width: 1600, height: 900 });
  await expect.poll(() => expert.page.evaluate(() => window.innerWidth)).toBe(1600);
  await expectPanelClear(expert.page);
  await expert.page.screenshot({ path: "test-results/video-expert-1600.png" });
  for (const w of [tech.watch, expert.watch]) {
    expect(w.offOrigin).toEqual([]);
    expect(w.errors).toEqual([]);
  }
});

test("a link the kernel shapes to 150 kbit/s switches the camera to stills by itself: video stops, 'New still' shows a sharp still to everyone, and when the limit is lifted the video comes back by itself", async () => {
  const tech = await person("Tech Thin");
  const expert = await person("Expert Far");
  await shareCamera(tech.page);
  const tile = expert.page.locator(`.video-tile[data-seat="${tech.seat}"]`);
  await expect(tile).toBeVisible({ timeout: 60_000 });
  const reading = () =>
    tech.page.evaluate(() => ({ mode: window.__gemba_video!.mode, kbps: window.__gemba_video!.measuredKbps }));
  // A good link first: the browser's own estimate, well above the switch point.
  await expect.poll(async () => (await reading()).kbps ?? 0, { timeout: 60_000 }).toBeGreaterThan(400);
  const good = await reading();
  const undo = shapeLoopbackUdp(150);
  try {
    const t0 = Date.now();
    await expect.poll(async () => (await reading()).mode, { timeout: 60_000 }).toBe("stills");
    const thin = await reading();
    console.log(
      `thin link: estimate ${Math.round(good.kbps!)} kbps before, ${Math.round(thin.kbps!)} kbps shaped; stills after ${((Date.now() - t0) / 1000).toFixed(1)} s; shaper ${JSON.stringify(loopbackShapingStats())}`,
    );
    expect(thin.kbps).toBeLessThan(256);
    await expect(tile).toHaveAttribute("data-mode", "stills");
    await expect(tech.page.locator("#video-status")).toContainText("Link too thin for video");
    // Stills go through the room (TCP, not shaped): the expert asks for one and gets the full picture.
    await tile.getByRole("button", { name: "New still" }).click();
    await expert.page.waitForFunction(
      (s) => !!window.__gemba_video!.tiles().find((t) => t.seat === s)?.frozen,
      tech.seat,
    );
    await expect(tile.getByRole("button", { name: "Back to live" })).toBeHidden();
    const still = tile.locator("img");
    await expect(still).toBeVisible();
    expect(await still.evaluate((i: HTMLImageElement) => [i.naturalWidth, i.naturalHeight])).toEqual([
      pattern.width,
      pattern.height,
    ]);
  } finally {
    undo();
  }
  // The limit is lifted: the camera's next try at live video finds the link and stays.
  const t1 = Date.now();
  await expect.poll(async () => (await reading()).mode, { timeout: 120_000 }).toBe("live");
  console.log(
    `link restored: live again after ${((Date.now() - t1) / 1000).toFixed(1)} s at ${Math.round((await reading()).kbps!)} kbps`,
  );
  await expect(tile).toHaveAttribute("data-mode", "live");
  for (const w of [tech.watch, expert.watch]) {
    expect(w.offOrigin).toEqual([]);
    expect(w.errors).toEqual([]);
  }
});

test("a stroke on the camera of a technician who has the plant placed in AR becomes an ink note on the asset it circles, for both, its frame is kept in the journal, and the note is still there after the expert rejoins", async () => {
  const tech = await person("Tech Placed", "ar");
  const expert = await person("Expert Desk");
  await shareCamera(tech.page);
  const twin = "T301";
  await placeAndLookAt(tech.page, twin);

  // The expert circles the middle of the technician's live picture.
  await expect(expert.page.locator(`.video-tile[data-seat="${tech.seat}"]`)).toBeVisible({ timeout: 60_000 });
  await drawOn(expert.page, tech.seat, [
    [0.5, 0.45],
    [0.54, 0.5],
    [0.5, 0.55],
    [0.46, 0.5],
    [0.5, 0.45],
  ]);
  await tech.page.waitForFunction(() => window.__gemba_video!.placed().length === 1, null, { timeout: 60_000 });
  const placed = (await tech.page.evaluate(() => window.__gemba_video!.placed()))[0]!;
  expect(placed.twin, "the stroke lands on the tank the camera looks at").toBe(twin);
  const note = (page: Page) =>
    page.evaluate((id) => {
      const a = window.__gemba!.state()?.annotations.get(id);
      return a ? `${a.kind}|${a.twin}|${a.text}|${a.points.length >= 6 ? "line" : "dot"}` : null;
    }, placed.id);
  const expected = `ink|${twin}|Drawn on the camera by Expert Desk|line`;
  for (const p of [tech.page, expert.page]) await expect.poll(() => note(p), { timeout: 60_000 }).toBe(expected);
  await expect(expert.page.locator("#note-list")).toContainText("Drawn on the camera by Expert Desk");
  // The technician's page also kept the frame the stroke was drawn on (the journal; the incident report draws it).
  const admin = { authorization: `Bearer ${await devToken(server.url, "Auditor", "admin")}` };
  const frames = async () => {
    const r = await tech.page.request.get(`${server.url}/api/plants/demo/journal?kind=video.strokeFrame`, {
      headers: admin,
    });
    const { entries } = (await r.json()) as { entries: { data: { stroke: string; width: number; jpeg: string } }[] };
    return entries.map((e) => `${e.data.stroke}|${e.data.width}|${e.data.jpeg.startsWith("/9j/")}`);
  };
  await expect.poll(frames, { timeout: 30_000 }).toEqual([`${placed.stroke}|${pattern.width}|true`]);

  // The expert leaves and comes back: the note is kept by the room, on the same asset.
  await expert.page.reload();
  await joinAs(expert.page, server.url, "Expert Desk");
  await expect.poll(() => note(expert.page), { timeout: 60_000 }).toBe(expected);
  // The expert's own view of the tank, with the stroke drawn on it (docs/VIDEO.md's screenshot).
  await expert.page.evaluate((id) => window.__gemba!.scene()!.focus(id), twin);
  await expect.poll(() => expert.page.evaluate((id) => window.__gemba!.noteWorld(id) !== null, placed.id)).toBe(true);
  await expert.page.screenshot({ path: "test-results/video-note-on-asset.png" });
  expectQuietPage(tech.watch);
  expectQuietPage(expert.watch);
});

test("in a headset the call's camera shows on a floating panel: the video plays there, the wearer draws on the live and the frozen picture with the controller's ray and freezes it for everyone; the strokes reach the technician and land on the asset their placed AR device films; on a thin link the panel says so and its button brings a new still; the panel goes when the camera stops", async () => {
  const tech = await person("Tech Filming", "ar");
  const wearer = await person("Expert Headset", "vr");
  await shareCamera(tech.page);
  const twin = "T301";
  await placeAndLookAt(tech.page, twin);
  await holdControllers(wearer.page);
  await enterXr(wearer.page, "vr");
  await wearer.page.waitForFunction(
    (s) => window.__gemba_xr?.cameras.some((c) => c.seat === s && c.visible),
    tech.seat,
    { timeout: 60_000 },
  );
  const panel = () =>
    wearer.page.evaluate((s) => window.__gemba_xr!.cameras.find((c) => c.seat === s) ?? null, tech.seat);
  const first = (await panel())!;
  // Frames keep arriving on the panel's own video (what its texture is updated from).
  await expect.poll(async () => (await panel())?.frames ?? 0, { timeout: 120_000 }).toBeGreaterThan(first.frames + 10);
  expect((await panel())!.time).toBeGreaterThan(first.time);
  // The panel is in front of the wearer's eyes, inside their view.
  const inView = await wearer.page.evaluate((s) => {
    const scene = window.__gemba!.scene()!.scene;
    const plane = scene.getMeshByName(`_xrVideo-${s}`)!;
    const cam = scene.activeCamera!;
    const p = plane.getAbsolutePosition();
    const c = cam.globalPosition;
    const f = cam.getForwardRay().direction;
    const d = p.subtract(c);
    return (d.x * f.x + d.y * f.y + d.z * f.z) / d.length();
  }, tech.seat);
  expect(inView, "cosine between the line of sight and the panel").toBeGreaterThan(0.8);

  // Trigger held on the live picture: the ray circles its middle, where the technician's camera sees the tank.
  const loop: [number, number][] = [
    [0.5, 0.42],
    [0.56, 0.5],
    [0.5, 0.58],
    [0.44, 0.5],
    [0.5, 0.42],
  ];
  await drawInHeadset(wearer.page, tech.seat, loop);
  expect(await wearer.page.evaluate(() => window.__gemba_xr!.lastClick)).toBe("video:stroke");
  // The press was a stroke, not a click on the plant behind the panel.
  expect(await wearer.page.evaluate(() => window.__gemba_xr!.selected)).toBeNull();
  await tech.page.waitForFunction(() => window.__gemba_video!.tiles()[0]?.strokes === 1, null, { timeout: 60_000 });
  const onLive = await tech.page.evaluate(() => window.__gemba_video!.tiles()[0]!.lastStroke);
  expect(cornersIn(onLive, loop), `every corner arrived: ${onLive.map((x) => x.toFixed(3)).join(",")}`).toEqual([
    true,
    true,
    true,
    true,
    true,
  ]);
  // As a desktop stroke does, it lands on the tank the technician's placed device films.
  await tech.page.waitForFunction(() => window.__gemba_video!.placed().length === 1, null, { timeout: 60_000 });
  expect((await tech.page.evaluate(() => window.__gemba_video!.placed()))[0]!.twin).toBe(twin);
  // The room's echo is drawn over the wearer's panel.
  await expect.poll(async () => (await panel())?.strokes, { timeout: 30_000 }).toBe(1);

  // Freeze from the headset: both show the same still.
  expect(await pressPanelButton(wearer.page, tech.seat)).toBe("video:freeze");
  await expect.poll(async () => (await panel())?.frozen ?? null, { timeout: 60_000 }).not.toBeNull();
  const still = (await panel())!.frozen;
  await tech.page.waitForFunction((id) => window.__gemba_video!.tiles()[0]?.frozen === id, still, {
    timeout: 60_000,
  });
  // A stroke on the frozen picture: a square round the same spot.
  const square: [number, number][] = [
    [0.46, 0.46],
    [0.54, 0.46],
    [0.54, 0.54],
    [0.46, 0.54],
    [0.46, 0.46],
  ];
  await drawInHeadset(wearer.page, tech.seat, square);
  await tech.page.waitForFunction(() => window.__gemba_video!.tiles()[0]?.strokes === 2, null, { timeout: 60_000 });
  const onStill = await tech.page.evaluate(() => window.__gemba_video!.tiles()[0]!.lastStroke);
  expect(cornersIn(onStill, square), `every corner arrived: ${onStill.join(",")}`).toEqual([
    true,
    true,
    true,
    true,
    true,
  ]);
  await tech.page.waitForFunction(() => window.__gemba_video!.placed().length === 2, null, { timeout: 60_000 });
  expect((await tech.page.evaluate(() => window.__gemba_video!.placed())).map((p) => p.twin)).toEqual([twin, twin]);
  await expect.poll(async () => (await panel())?.strokes, { timeout: 30_000 }).toBe(2);
  expect((await panel())!.frozen, "the still stays on the panel while drawing").toBe(still);
  await wearer.page.screenshot({ path: "test-results/video-xr-panel.png" });

  // Back to live, on the wearer's panel only (as on the desktop).
  expect(await pressPanelButton(wearer.page, tech.seat)).toBe("video:live");
  await expect.poll(async () => (await panel())?.frozen, { timeout: 30_000 }).toBeNull();
  expect(await tech.page.evaluate(() => window.__gemba_video!.tiles()[0]!.frozen)).toBe(still);

  // The technician's link thins (the kernel shapes the call's UDP): the camera turns to stills. The panel stays,
  // says why, and its button asks the technician's device for a new still, which the wearer then sees.
  const undo = shapeLoopbackUdp(150);
  try {
    await tech.page.waitForFunction(() => window.__gemba_video!.mode === "stills", null, { timeout: 60_000 });
    await expect.poll(async () => (await panel())?.stills, { timeout: 30_000 }).toBe(true);
    expect((await panel())!.frozen, "no still yet: the panel says how to get one").toBeNull();
    expect(await pressPanelButton(wearer.page, tech.seat)).toBe("video:still");
    await expect.poll(async () => (await panel())?.frozen ?? null, { timeout: 60_000 }).not.toBeNull();
    expect((await panel())!.frozen, "a new still, not the earlier one").not.toBe(still);
    await wearer.page.screenshot({ path: "test-results/video-xr-stills.png" });
  } finally {
    undo();
  }
  // The technician stops the camera: the panel goes. (Their page is in emulated AR, whose synthetic room is drawn
  // over the page: Playwright's pointer cannot reach the button there, so the button gets its click directly.)
  await tech.page.locator("#video-share").dispatchEvent("click");
  await wearer.page.waitForFunction(() => window.__gemba_xr?.cameras.length === 0, null, { timeout: 60_000 });
  expectQuietPage(tech.watch);
  expectQuietPage(wearer.watch);
});
