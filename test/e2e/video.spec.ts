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
import { BIT_BLOCK, FRAME_BITS, readFrameNumber, writeTestPattern } from "../../kit/y4m.ts";
import { joinAs, seatOf, watchPage, type PageWatch } from "./page.ts";

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

async function person(name: string): Promise<{ page: Page; watch: PageWatch; seat: string }> {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.addInitScript(`window.__readFrame = ${readFrameNumber.toString()}`);
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

/** Frame numbers a video shows with the wall time each first appeared (requestVideoFrameCallback). */
async function logFrames(page: Page, which: { seat: string } | "preview"): Promise<void> {
  await page.evaluate(
    ([w, bits, block]) => {
      const v =
        w === "preview" ? window.__gemba_video!.preview() : window.__gemba_video!.video((w as { seat: string }).seat)!;
      const read = (window as unknown as { __readFrame: (v: HTMLVideoElement, b: number, s: number) => number })
        .__readFrame;
      const log: [number, number, number, number][] = [];
      (window as unknown as { __frames: typeof log }).__frames = log;
      const tick = () => {
        log.push([read(v, bits, block), performance.timeOrigin + performance.now(), v.videoWidth, v.videoHeight]);
        if (log.length < 400) v.requestVideoFrameCallback(tick);
      };
      v.requestVideoFrameCallback(tick);
    },
    [which, FRAME_BITS, BIT_BLOCK] as const,
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
  await logFrames(tech.page, "preview");
  await logFrames(expert.page, { seat: tech.seat });
  await expect.poll(async () => (await framesOf(expert.page)).length, { timeout: 90_000 }).toBeGreaterThan(30);
  const sent = await framesOf(tech.page);
  const got = await framesOf(expert.page);
  const decoded = got.filter(([n]) => n >= 0 && n < pattern.frames);
  expect(decoded.length, "the expert reads frame numbers off the received video").toBeGreaterThan(20);
  const distinct = new Set(decoded.map(([n]) => n)).size;
  expect(distinct, "the picture moves (many different frames arrive)").toBeGreaterThan(8);
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
      `glass-to-glass (sender preview -> receiver) p50 ${quantile(delays, 0.5).toFixed(0)} ms, p95 ${quantile(delays, 0.95).toFixed(0)} ms (${delays.length} matched)`,
  );
  expect(delays.length).toBeGreaterThan(5);
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
