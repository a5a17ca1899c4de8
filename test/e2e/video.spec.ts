/**
 * The call's camera in real Chromium pages against the real server (docs/VIDEO.md). Chromium's fake camera plays
 * a generated test pattern (kit/y4m.ts) whose frame number is written in blocks, so the receiving page can tell
 * which frame it shows: frame rate, resolution and glass-to-glass delay are measured and printed (not asserted
 * against wall-clock limits). A stroke drawn on the technician's video reaches the technician's overlay; from a
 * device placed in the plant (AR, iwer) it becomes an ink annotation on the asset under it; a thin link (a
 * lowered bandwidth reading: CDP's network emulation does not touch WebRTC) switches the camera to stills.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { chromium } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { CHROMIUM_ARGS, CHROMIUM_PATH, VOICE_CALL_ARGS } from "../../kit/browser.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { installIwer } from "../../kit/iwer.ts";
import { BIT_BLOCK, FRAME_BITS, readFrameNumber, writeTestPattern } from "../../kit/y4m.ts";
import { joinAs, seatOf, watchPage, type PageWatch } from "./page.ts";

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
test.afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function person(name: string, xr = false): Promise<{ page: Page; watch: PageWatch; seat: string }> {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.addInitScript(`window.__readFrame = ${readFrameNumber.toString()}`);
  if (xr) await installIwer(page);
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
const framesOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { __frames: [number, number, number, number][] }).__frames.slice());

/** Median of sorted numbers' p-quantile. */
const quantile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

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

  // Measure: the frame numbers the technician's preview and the expert's tile show, and when.
  // The sender side: the technician's own tile (the camera track as it is captured, on screen).
  await logFrames(tech.page, tech.seat);
  await logFrames(expert.page, tech.seat);
  await expect.poll(async () => (await framesOf(expert.page)).length, { timeout: 180_000 }).toBeGreaterThan(20);
  const sent = await framesOf(tech.page);
  const got = await framesOf(expert.page);
  const decoded = got.filter(([n]) => n >= 0 && n < pattern.frames);
  expect(decoded.length, "the expert reads frame numbers off the received video").toBeGreaterThan(15);
  const distinct = new Set(decoded.map(([n]) => n)).size;
  expect(distinct, "the picture moves (many different frames arrive)").toBeGreaterThan(5);
  const delays: number[] = [];
  for (const [n, t] of decoded) {
    // The newest time the technician showed the same frame number before the expert did (the file loops every 4 s).
    const s = sent.filter(([m, ts]) => m === n && ts <= t && t - ts < (pattern.frames / pattern.fps) * 1000).pop();
    if (s) delays.push(t - s[1]);
  }
  const span = (got.at(-1)![1] - got[0]![1]) / 1000;
  const [, , w, h] = got.at(-1)!;
  console.log(
    `video: ${got.length} frames in ${span.toFixed(1)} s = ${(got.length / span).toFixed(1)} fps at ${w}x${h}; ` +
      `glass-to-glass (camera track at the sender -> decoded at the receiver) p50 ${quantile(delays, 0.5).toFixed(0)} ms, p95 ${quantile(delays, 0.95).toFixed(0)} ms (${delays.length} matched)`,
  );
  expect(delays.length, "frames matched between the two pages").toBeGreaterThan(3);
  expect(w).toBeGreaterThan(0);

  // Freeze: everyone (the technician too) shows the same still.
  await tile.getByRole("button", { name: "Freeze" }).click();
  await expert.page.waitForFunction((s) => window.__gemba_video!.tiles().find((t) => t.seat === s)?.frozen, tech.seat);
  const stillId = await expert.page.evaluate(
    (s) => window.__gemba_video!.tiles().find((t) => t.seat === s)!.frozen,
    tech.seat,
  );
  await tech.page.waitForFunction((id) => window.__gemba_video!.tiles()[0]?.frozen === id, stillId);

  // The expert circles something on the frozen frame; it appears over the technician's camera view.
  const box = (await tile.locator(".video-stage").boundingBox())!;
  await expert.page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
  await expert.page.mouse.down();
  for (const [u, v] of [
    [0.5, 0.4],
    [0.6, 0.5],
    [0.5, 0.6],
    [0.4, 0.5],
  ])
    await expert.page.mouse.move(box.x + box.width * u!, box.y + box.height * v!);
  await expert.page.mouse.up();
  await tech.page.waitForFunction(() => window.__gemba_video!.tiles()[0]?.strokes === 1);
  await expect(tech.page.locator(".video-tile .video-ink polyline")).toHaveCount(1);
  // Not placed in the plant: the stroke is kept in the journal with its frame, not pinned to an asset.
  expect(await tech.page.evaluate(() => window.__gemba_video!.placed())).toEqual([]);
  await tech.page.screenshot({ path: "test-results/video-tech.png" });
  await expert.page.screenshot({ path: "test-results/video-expert.png" });
  for (const w of [tech.watch, expert.watch]) {
    expect(w.offOrigin).toEqual([]);
    expect(w.errors).toEqual([]);
  }
});

test("a thin link switches the camera to stills: video stops, 'New still' shows a sharp still to everyone, and a good link brings the video back", async () => {
  const tech = await person("Tech Thin");
  const expert = await person("Expert Far");
  await shareCamera(tech.page);
  const tile = expert.page.locator(`.video-tile[data-seat="${tech.seat}"]`);
  await expect(tile).toBeVisible({ timeout: 60_000 });
  // A good link first: the camera's bitrate is capped to fit (RTCRtpSender maxBitrate).
  await tech.page.evaluate(async () => {
    window.__gemba_video!.forceKbps(600);
    await window.__gemba_video!.adapt();
  });
  expect(await tech.page.evaluate(() => window.__gemba_video!.maxBitrate)).toBe(450_000);
  expect(await tech.page.evaluate(() => window.__gemba_video!.mode)).toBe("live");
  // The link drops below 256 kbps for two readings in a row: stills.
  await tech.page.evaluate(async () => {
    window.__gemba_video!.forceKbps(180);
    await window.__gemba_video!.adapt();
    await window.__gemba_video!.adapt();
  });
  expect(await tech.page.evaluate(() => window.__gemba_video!.mode)).toBe("stills");
  await expect(tile).toHaveAttribute("data-mode", "stills");
  await expect(tech.page.locator("#video-status")).toContainText("Link too thin for video");
  await tile.getByRole("button", { name: "New still" }).click();
  await expert.page.waitForFunction(
    (s) => !!window.__gemba_video!.tiles().find((t) => t.seat === s)?.frozen,
    tech.seat,
  );
  await expect(tile.getByRole("button", { name: "Back to live" })).toBeHidden();
  await expect(tile.locator("img")).toBeVisible();
  // The link recovers: video again.
  await tech.page.evaluate(async () => {
    window.__gemba_video!.forceKbps(2000);
    await window.__gemba_video!.adapt();
    await window.__gemba_video!.adapt();
  });
  await expect(tile).toHaveAttribute("data-mode", "live");
  for (const w of [tech.watch, expert.watch]) {
    expect(w.offOrigin).toEqual([]);
    expect(w.errors).toEqual([]);
  }
});
