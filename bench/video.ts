/**
 * Video bench (`npx tsx bench/video.ts`, after `npm run build`): camera delay and CPU with 1, 2 and 4 people
 * sharing a camera in the call's full mesh, plus one watcher, all headless Chromium pages of the real app on
 * loopback, in one browser. Every sender's fake camera plays the same generated test pattern (kit/y4m.ts) whose
 * frame number is written in blocks; MediaStreamTrackProcessor reads each frame as it reaches a page.
 *
 *   - delay: for each frame the watcher receives from a sender, its arrival time minus the time the sender's own
 *     page read the same frame number off its camera track (capture -> encode -> loopback -> decode);
 *   - baseline (same run): the same reader on a second clone of the camera track in the sender's page, minus the
 *     first: what reading frames costs by itself;
 *   - CPU: the whole browser's CPU time (all its processes, /proc; the app server excluded) over the measuring window, per sender. In a
 *     mesh every sender also decodes the others, so this is the per-person cost of a call of that size.
 * The 3D render loops are stopped once the call is up (SwiftShader frames would dominate two cores).
 * VIDEO_SECONDS (default 20) sets the measuring window; VIDEO_SENDERS (default "1,2,4") the call sizes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH, VOICE_CALL_ARGS } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { BIT_BLOCK, FRAME_BITS, readFrameNumber, writeTestPattern } from "../kit/y4m.ts";
import { machineInfo, percentile, printTable, ROOT, round, sleep, writeResult } from "./common.ts";

const SECONDS = Number(process.env["VIDEO_SECONDS"] ?? 20);
const SIZES = (process.env["VIDEO_SENDERS"] ?? "1,2,4").split(",").map(Number);

/** In-page frame reader, as plain JavaScript (functions compiled by tsx carry helpers the page lacks). */
const READER = `window.__readFrame = ${readFrameNumber.toString()};
window.__logTrack = (key, track) => {
  const log = []; (window.__logs ??= {})[key] = log;
  const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
  (async () => { for (;;) { const { value: f, done } = await reader.read(); if (done || !f) break;
    const t = performance.timeOrigin + performance.now();
    if (window.__logging) log.push([window.__readFrame(f, f.displayWidth, f.displayHeight, ${FRAME_BITS}, ${BIT_BLOCK}), t]);
    f.close(); } })();
};`;

/** CPU seconds used so far by this process's descendants except `skip`'s subtree (the app server): the browser. */
function treeCpuSeconds(root: number, skip: number): number {
  const tick = 100; // USER_HZ on Linux
  const children = new Map<number, number[]>();
  const own = new Map<number, number>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(f[1]);
      own.set(Number(d), (Number(f[11]) + Number(f[12])) / tick);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // The process ended meanwhile.
    }
  }
  let sum = 0;
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    if (p === skip) continue;
    if (p !== root) sum += own.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return sum;
}

async function join(page: Page, url: string, name: string): Promise<string> {
  await page.goto(url + "/");
  await page.fill("#join-name", name);
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 240_000 });
  await page.click("#voice-join");
  await page.waitForFunction(() => window.__gemba_voice?.inCall === true, null, { timeout: 60_000 });
  return (await page.waitForFunction(() => window.__gemba?.seat() ?? null)).jsonValue() as Promise<string>;
}

async function run(browser: Browser, url: string, serverPid: number, senders: number) {
  const ctx = await browser.newContext({ viewport: { width: 640, height: 400 } });
  await ctx.addInitScript({ content: READER });
  const pages: Page[] = [];
  const seats: string[] = [];
  for (let i = 0; i < senders; i++) {
    const p = await ctx.newPage();
    seats.push(await join(p, url, `Camera ${i + 1}`));
    pages.push(p);
  }
  const watcher = await ctx.newPage();
  await join(watcher, url, "Watcher");
  for (const p of pages) {
    await p.click("#video-share");
    await p.waitForFunction(() => window.__gemba_video?.mode === "live");
  }
  await watcher.waitForFunction(
    (ss) => ss.every((s) => (window.__gemba_video!.video(s)?.srcObject as MediaStream | null)?.getVideoTracks()[0]),
    seats,
    { timeout: 120_000 },
  );
  for (const p of [...pages, watcher]) await p.evaluate("window.__gemba.scene().engine.stopRenderLoop()");
  for (const [i, p] of pages.entries()) {
    await p.evaluate((s) => {
      const t = (window.__gemba_video!.preview().srcObject as MediaStream).getVideoTracks()[0]!;
      const w = window as unknown as { __logTrack: (k: string, t: MediaStreamTrack) => void };
      w.__logTrack(`sent:${s}`, t.clone());
      w.__logTrack(`base:${s}`, t.clone());
    }, seats[i]!);
  }
  await watcher.evaluate((ss) => {
    const w = window as unknown as { __logTrack: (k: string, t: MediaStreamTrack) => void };
    for (const s of ss)
      w.__logTrack(`got:${s}`, (window.__gemba_video!.video(s)!.srcObject as MediaStream).getVideoTracks()[0]!.clone());
  }, seats);
  const all = [...pages, watcher];
  await Promise.all(all.map((p) => p.evaluate("window.__logging = true")));
  const cpu0 = treeCpuSeconds(process.pid, serverPid);
  const t0 = performance.now();
  await sleep(SECONDS * 1000); // the measuring window: a bench, not a test, waits here
  const cpu1 = treeCpuSeconds(process.pid, serverPid);
  const wall = (performance.now() - t0) / 1000;
  await Promise.all(all.map((p) => p.evaluate("window.__logging = false")));
  type Log = [number, number][];
  const logsOf = (p: Page) => p.evaluate(() => (window as unknown as { __logs: Record<string, Log> }).__logs);
  const wLogs = await logsOf(watcher);
  const delays: number[] = [];
  const base: number[] = [];
  let frames = 0;
  for (const [i, p] of pages.entries()) {
    const s = seats[i]!;
    const logs = await logsOf(p);
    const sent = logs[`sent:${s}`] ?? [];
    const near = (xs: Log, n: number, t: number) =>
      xs.filter(([m, ts]) => m === n && ts <= t + 5 && t - ts < 3000).pop();
    for (const [n, t] of logs[`base:${s}`] ?? []) {
      const m = near(sent, n, t);
      if (n >= 0 && m) base.push(t - m[1]);
    }
    const got = wLogs[`got:${s}`] ?? [];
    frames += got.length;
    for (const [n, t] of got) {
      const m = near(sent, n, t);
      if (n >= 0 && m) delays.push(t - m[1]);
    }
  }
  await ctx.close();
  const q = (xs: number[], p: number) =>
    xs.length
      ? round(
          percentile(
            [...xs].sort((a, b) => a - b),
            p,
          ),
          1,
        )
      : "–";
  return {
    senders,
    "frames/s per sender at watcher": round(frames / senders / wall, 1),
    "delay p50 ms": q(delays, 50),
    "delay p95 ms": q(delays, 95),
    "baseline p50 ms": q(base, 50),
    "baseline p95 ms": q(base, 95),
    "browser CPU % (all pages)": round(((cpu1 - cpu0) / wall) * 100, 0),
    "CPU % per sender": round(((cpu1 - cpu0) / wall / senders) * 100, 0),
    matched: delays.length,
  };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, "dist/client/index.html"))) {
    console.error("Build the client first: npm run build");
    process.exit(2);
  }
  const machine = machineInfo();
  const t0 = performance.now();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-video-bench-")), "pattern.y4m");
  const pattern = writeTestPattern(file, { fps: 15, frames: 60 });
  const server = await startAppServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...VOICE_CALL_ARGS, `--use-file-for-fake-video-capture=${file}`],
  });
  try {
    const rows = [];
    for (const n of SIZES) {
      rows.push(await run(browser, server.url, server.proc.pid ?? -1, n));
      console.log(JSON.stringify(rows.at(-1)));
    }
    printTable(
      `Camera in the mesh: ${SECONDS} s per call size, ${pattern.width}x${pattern.height} at ${pattern.fps} fps`,
      rows,
    );
    const seconds = round((performance.now() - t0) / 1000, 1);
    const out = writeResult("video", {
      bench: "video",
      machine,
      loadAvg1mAtEnd: round(os.loadavg()[0]!, 2),
      seconds,
      params: { seconds: SECONDS, sizes: SIZES, pattern },
      method:
        "frame numbers read by MediaStreamTrackProcessor: watcher arrival - sender's own read of the same frame (delay); second reader on the sender's track - first (baseline); browser-wide CPU from /proc over the window",
      table: rows,
    });
    console.log(`load average ${machine.loadAvg1mAtStart} -> ${round(os.loadavg()[0]!, 2)} on ${machine.cores} cores`);
    console.log(`wrote ${out} (${seconds} s)`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
