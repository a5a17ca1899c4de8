/**
 * Video bench (`npx tsx bench/video.ts`, after `npm run build`): camera delay and CPU with 1, 2 and 4 people
 * sharing a camera in the call's full mesh, plus one watcher, all headless Chromium pages of the real app on
 * loopback, in one browser. Every sender's fake camera plays the same generated test pattern (kit/y4m.ts).
 *
 *   - delay: per frame the watcher's page presents from a sender, presentation time minus the frame's own capture
 *     time, both stamped by Chromium's media pipeline on one clock (requestVideoFrameCallback metadata; see
 *     kit/frameTimes.ts): capture -> encode -> loopback -> jitter buffer -> decode -> compositor;
 *   - baseline (same run): the same measurement on the sender's own camera track in the sender's page (capture ->
 *     compositor, no call in between); delay / baseline is what the call adds;
 *   - CPU: the whole browser's CPU time (all its processes, /proc; the app server excluded) over the measuring
 *     window, per sender. In a mesh every sender also decodes the others, so this is the per-person cost of a call
 *     of that size.
 * The 3D render loops are stopped once the call is up (SwiftShader frames would dominate two cores).
 * VIDEO_SECONDS (default 20) sets the measuring window; VIDEO_SENDERS (default "1,2,4") the call sizes.
 *
 * Until 2026-12-06 the delay was "watcher's script read of a frame number minus the sender's script read of the
 * same number": a starved sender page read late, its own second reader was 80 ms behind its first, and the delay
 * came out smaller than that baseline. Those numbers are not comparable with these.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH, VOICE_CALL_ARGS } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { captureDelays, FRAME_TIMES_SOURCE, type FrameTime } from "../kit/frameTimes.ts";
import { writeTestPattern } from "../kit/y4m.ts";
import { machineInfo, percentile, printTable, ROOT, round, sleep, writeResult } from "./common.ts";

const SECONDS = Number(process.env["VIDEO_SECONDS"] ?? 20);
const SIZES = (process.env["VIDEO_SENDERS"] ?? "1,2,4").split(",").map(Number);

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

/** Every RTCPeerConnection a page makes, kept for reading its encoders' stats at the end of the window. */
const KEEP_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = function (...args) { const pc = new Native(...args); window.__pcs.push(pc); return pc; };
  window.RTCPeerConnection.prototype = Native.prototype;
})();`;

/** What a sender's camera was doing at the end of the window: its mode and why its encoders held back. */
async function senderState(
  page: Page,
): Promise<{ mode: string; encoders: number; limitedBy: string[]; fps: number[] }> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter(
      (pc) => pc.connectionState !== "closed",
    );
    const out = {
      mode: window.__gemba_video!.mode as string,
      encoders: 0,
      limitedBy: [] as string[],
      fps: [] as number[],
    };
    for (const pc of pcs)
      for (const s of (await pc.getStats()).values() as IterableIterator<Record<string, unknown>>)
        if (s.type === "outbound-rtp" && s.kind === "video" && s.framesPerSecond !== undefined) {
          out.encoders++;
          out.limitedBy.push(typeof s.qualityLimitationReason === "string" ? s.qualityLimitationReason : "?");
          out.fps.push(Number(s.framesPerSecond));
        }
    return out;
  });
}

/** Video frames this page has decoded so far, over all its links (inbound-rtp framesDecoded). */
function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let n = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs)
      for (const s of (await pc.getStats()).values() as IterableIterator<Record<string, unknown>>)
        if (s.type === "inbound-rtp" && s.kind === "video") n += Number(s.framesDecoded ?? 0);
    return n;
  });
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
  await ctx.addInitScript({ content: FRAME_TIMES_SOURCE });
  await ctx.addInitScript({ content: KEEP_PEER_CONNECTIONS });
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
  const all = [...pages, watcher];
  await Promise.all(all.map((p) => p.evaluate(() => (window.__frameTimes!.logging = false))));
  for (const [i, p] of pages.entries())
    await p.evaluate((s) => {
      const t = (window.__gemba_video!.preview().srcObject as MediaStream).getVideoTracks()[0]!;
      window.__frameTimes!.watch(`base:${s}`, t.clone());
    }, seats[i]!);
  await watcher.evaluate((ss) => {
    for (const s of ss)
      window.__frameTimes!.watch(
        `got:${s}`,
        (window.__gemba_video!.video(s)!.srcObject as MediaStream).getVideoTracks()[0]!.clone(),
      );
  }, seats);
  await Promise.all(all.map((p) => p.evaluate(() => (window.__frameTimes!.logging = true))));
  const decoded0 = await framesDecoded(watcher);
  const cpu0 = treeCpuSeconds(process.pid, serverPid);
  const t0 = performance.now();
  await sleep(SECONDS * 1000); // the measuring window: a bench, not a test, waits here
  const cpu1 = treeCpuSeconds(process.pid, serverPid);
  const wall = (performance.now() - t0) / 1000;
  const states = await Promise.all(pages.map(senderState));
  const decoded = (await framesDecoded(watcher)) - decoded0;
  await Promise.all(all.map((p) => p.evaluate(() => (window.__frameTimes!.logging = false))));
  const logsOf = (p: Page): Promise<Record<string, FrameTime[]>> => p.evaluate(() => window.__frameTimes!.logs);
  const wLogs = await logsOf(watcher);
  const delays: number[] = [];
  const network: number[] = [];
  const base: number[] = [];
  let frames = 0;
  let untimed = 0;
  for (const [i, p] of pages.entries()) {
    const s = seats[i]!;
    base.push(...captureDelays((await logsOf(p))[`base:${s}`] ?? []).delays);
    const got = wLogs[`got:${s}`] ?? [];
    frames += got.length;
    const d = captureDelays(got);
    delays.push(...d.delays);
    untimed += d.withoutCapture;
    for (const [capture, receive] of got) if (Number.isFinite(capture + receive)) network.push(receive - capture);
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
  const ratio = delays.length && base.length ? round(Number(q(delays, 50)) / Number(q(base, 50)), 1) : "–";
  return {
    senders,
    "frames/s per sender shown at watcher": round(frames / senders / wall, 1),
    "frames/s per sender decoded at watcher": round(decoded / senders / wall, 1),
    "delay p50 ms": q(delays, 50),
    "delay p95 ms": q(delays, 95),
    "baseline p50 ms": q(base, 50),
    "baseline p95 ms": q(base, 95),
    "delay / baseline (p50)": ratio,
    "capture to receive p50 ms": q(network, 50),
    "browser CPU % (all pages)": round(((cpu1 - cpu0) / wall) * 100, 0),
    "CPU % per sender": round(((cpu1 - cpu0) / wall / senders) * 100, 0),
    "frames timed": delays.length,
    "frames without capture time": untimed,
    "senders in stills at the end": states.filter((x) => x.mode === "stills").length,
    "encoders per sender": round(states.reduce((a, x) => a + x.encoders, 0) / senders, 1),
    "encoder fps p50": q(
      states.flatMap((x) => x.fps),
      50,
    ),
    "encoders held back by": tally(states.flatMap((x) => x.limitedBy)),
  };
}

/** "cpu 3, none 1": how many of each reason. */
function tally(xs: string[]): string {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].map(([k, v]) => `${k} ${v}`).join(", ") || "–";
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
        "requestVideoFrameCallback metadata on one clock (performance.timeOrigin + time): presentationTime - captureTime of each frame the watcher presents (delay), the same on the sender's own camera track in its page (baseline); receiveTime - captureTime (capture to receive); browser-wide CPU from /proc over the window; at the window's end each sender's camera mode and its encoders' outbound-rtp framesPerSecond and qualityLimitationReason",
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
