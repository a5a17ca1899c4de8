/**
 * Voice delay bench (`npx tsx bench/voice.ts`, after `npm run build`): how long a
 * sound takes from one person's microphone to the other person's Web Audio graph,
 * between two headless Chromium pages of the real app on loopback.
 *
 * Tone-onset method. The sender page's microphone is replaced (getUserMedia
 * override) by an oscillator behind a gate in its own AudioContext. The bench
 * opens the gate 30 times; for each opening it notes the wall time (shared
 * clock: performance.timeOrigin + performance.now(), comparable across pages of
 * one browser; checked below with BroadcastChannel round trips) and detects the
 * tone's onset twice with the same detector:
 *   - baseline, in the sender page: gate → AnalyserNode in the same AudioContext
 *     (no WebRTC: what the detector and the audio thread cost by themselves);
 *   - through the call, in the receiver page: the app's own tap on that talker's
 *     received stream (Opus encode, RTP on loopback, jitter buffer, decode, Web Audio).
 * Onsets are located to the sample inside a 0.7 s analyser window, so polling
 * jitter does not bias them. "Added by the call" is (call − baseline) per tone.
 * A getStats estimate (RTT/2 + mean jitter-buffer delay + one 20 ms Opus frame)
 * is printed beside it. Output latency to the loudspeaker (AudioContext.outputLatency)
 * and a real microphone's capture buffer and echo canceller are not in these numbers.
 * Ten warm-up tones are played first and not counted.
 * The 3D render loops are stopped once the call is up: SwiftShader frames on two
 * cores would stall the pages' main threads, which a GPU does not do.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { launchChromium } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { machineInfo, percentile, printTable, ROOT, round, writeResult } from "./common.ts";

const TONES = Number(process.env["VOICE_TONES"] ?? 30);
const WARMUP = 10;
const PERIOD_MS = 600;
const TONE_MS = 200;
const THRESHOLD = 0.1;

/**
 * In-page code, as plain JavaScript strings: functions compiled by tsx carry
 * helper calls that do not exist inside the page.
 */
const TONE_MIC = `(() => {
  const ctx = new AudioContext({ latencyHint: "interactive" });
  const osc = new OscillatorNode(ctx, { frequency: 1000 });
  const gate = new GainNode(ctx, { gain: 0 });
  const dest = ctx.createMediaStreamDestination();
  const local = new AnalyserNode(ctx, { fftSize: 32768 });
  osc.connect(gate);
  gate.connect(dest);
  gate.connect(local);
  osc.start();
  const onTimes = [];
  window.__bench = {
    ctx, local, onTimes,
    async tones(n, period, length) {
      for (let i = 0; i < n; i++) {
        gate.gain.setValueAtTime(0.5, ctx.currentTime);
        onTimes.push(performance.timeOrigin + performance.now());
        await new Promise((r) => setTimeout(r, length));
        gate.gain.setValueAtTime(0, ctx.currentTime);
        await new Promise((r) => setTimeout(r, period - length));
      }
    },
  };
  navigator.mediaDevices.getUserMedia = async () => {
    await ctx.resume();
    return new MediaStream([dest.stream.getAudioTracks()[0].clone()]);
  };
})();`;

/** Onset detector: records the wall time of each quiet → tone transition on an analyser. */
const DETECTOR = `(() => {
  const found = [];
  let timer = null;
  window.__onsets = {
    found,
    watch(an, threshold) {
      const buf = new Float32Array(an.fftSize);
      const n = buf.length;
      const sr = an.context.sampleRate;
      const recent = Math.min(n, Math.round(sr * 0.085));
      const gap = Math.round(sr * 0.005);
      let loud = false;
      timer = setInterval(() => {
        an.getFloatTimeDomainData(buf);
        const now = performance.timeOrigin + performance.now();
        let last = -1;
        for (let i = n - 1; i >= n - recent; i--) if (Math.abs(buf[i]) > threshold) { last = i; break; }
        if (!loud && last >= 0) {
          // Walk back to the start of this tone: the first loud sample with no 5 ms quiet gap after it.
          let onset = last, quiet = 0;
          for (let i = last; i >= 0; i--) {
            if (Math.abs(buf[i]) > threshold) { onset = i; quiet = 0; } else if (++quiet > gap) break;
          }
          found.push(now - ((n - onset) / sr) * 1000);
          loud = true;
        } else if (loud && last < 0) loud = false;
      }, 5);
    },
    stop() { clearInterval(timer); },
  };
})();`;

interface Summary {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

function summary(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(percentile(s, 50), 1),
    p95: round(percentile(s, 95), 1),
    min: round(s[0] ?? Number.NaN, 1),
    max: round(s[s.length - 1] ?? Number.NaN, 1),
  };
}

/** Poll `check` every 250 ms until it is true (page.waitForFunction does not await async predicates). */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function joinRoom(page: Page, url: string, name: string): Promise<string> {
  await page.goto(url + "/");
  await page.fill("#join-name", name);
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 120_000 });
  await page.waitForFunction(() => !!window.__gemba?.seat(), null, { timeout: 30_000 });
  // Keep the render loop (it feeds the room state to the call) but make its SwiftShader frames cheap.
  await page.evaluate("window.__gemba.scene().engine.setHardwareScalingLevel(8)");
  return page.evaluate(() => window.__gemba!.seat()!);
}

/** BroadcastChannel ping-pong between the pages: clock offset (b − a) and one-way message time. */
async function clockCheck(a: Page, b: Page): Promise<{ offsetMs: number; oneWayMs: number }> {
  await b.evaluate(`(() => {
    const ch = new BroadcastChannel("bench-clock");
    ch.onmessage = (e) => ch.postMessage({ t0: e.data.t0, tb: performance.timeOrigin + performance.now() });
  })()`);
  const r = await a.evaluate<{ rtt: number; offset: number }[]>(`new Promise((resolve) => {
    const ch = new BroadcastChannel("bench-clock");
    const out = [];
    ch.onmessage = (e) => {
      const t1 = performance.timeOrigin + performance.now();
      out.push({ rtt: t1 - e.data.t0, offset: e.data.tb - (e.data.t0 + t1) / 2 });
      if (out.length >= 20) resolve(out);
      else setTimeout(() => ch.postMessage({ t0: performance.timeOrigin + performance.now() }), 20);
    };
    ch.postMessage({ t0: performance.timeOrigin + performance.now() });
  })`);
  // The exchanges with the shortest round trips bound the offset best.
  const best = [...r].sort((x, y) => x.rtt - y.rtt).slice(0, 5);
  return {
    offsetMs: round(best.reduce((s, x) => s + x.offset, 0) / best.length, 2),
    oneWayMs: round(best.reduce((s, x) => s + x.rtt, 0) / best.length / 2, 2),
  };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, "dist/client/index.html"))) {
    console.error("Build the client first: npm run build");
    process.exit(2);
  }
  const machine = machineInfo();
  const t0 = performance.now();
  const server = await startAppServer();
  const browser = await launchChromium({ voice: true });
  try {
    // One context: the pages share a BroadcastChannel for the clock check.
    const ctx = await browser.newContext({ viewport: { width: 640, height: 400 } });
    const sender = await ctx.newPage();
    const receiver = await ctx.newPage();
    await sender.addInitScript({ content: TONE_MIC + DETECTOR });
    await receiver.addInitScript({ content: DETECTOR });
    const senderSeat = await joinRoom(sender, server.url, "Tone");
    await joinRoom(receiver, server.url, "Ear");
    for (const p of [sender, receiver]) {
      await p.click("#voice-join");
      await p.waitForFunction(() => window.__gemba_voice?.inCall === true, null, { timeout: 30_000 });
    }
    await until(
      () =>
        receiver.evaluate(
          async (seat) =>
            (await window.__gemba_voice!.refreshStats()).some((p) => p.seat === seat && p.state === "connected") &&
            window.__gemba_voice!.tap(seat) !== null,
          senderSeat,
        ),
      60_000,
      "the call did not connect",
    );
    for (const p of [sender, receiver]) await p.evaluate("window.__gemba.scene().engine.stopRenderLoop()");
    const clock = await clockCheck(sender, receiver);

    // Watch both ends with the same detector, then play the tones.
    await sender.evaluate(`window.__onsets.watch(window.__bench.local, ${THRESHOLD})`);
    await receiver.evaluate(`(() => {
      const tap = window.__gemba_voice.tap(${JSON.stringify(senderSeat)});
      // An analyser passes its input through: chain a 0.7 s window onto the app's tap.
      const an = new AnalyserNode(tap.context, { fftSize: 32768 });
      tap.connect(an);
      window.__onsets.watch(an, ${THRESHOLD});
    })()`);
    // Warm-up tones let the receiver's jitter buffer shrink back after the set-up's CPU bursts; they are not counted.
    await sender.evaluate(`window.__bench.tones(${WARMUP + TONES}, ${PERIOD_MS}, ${TONE_MS})`);
    await receiver.waitForTimeout(PERIOD_MS); // the last tone's trip; the bench, not a test, waits here
    const onTimes = (await sender.evaluate<number[]>("window.__bench.onTimes")).slice(WARMUP);
    const local = await sender.evaluate<number[]>("window.__onsets.found");
    const remote = await receiver.evaluate<number[]>("window.__onsets.found");
    const link = await receiver.evaluate(
      async (seat) => (await window.__gemba_voice!.refreshStats()).find((p) => p.seat === seat) ?? null,
      senderSeat,
    );
    const sampleRate = await receiver.evaluate<number>(
      `window.__gemba_voice.tap(${JSON.stringify(senderSeat)}).context.sampleRate`,
    );

    // Pair each tone with the first onset near it at each end (the detector reads up to ~15 ms early: see docs/PERFORMANCE.md).
    const within = (xs: number[], from: number, to: number) => xs.find((x) => x >= from && x <= to);
    const baseline: number[] = [];
    const call: number[] = [];
    const added: number[] = [];
    for (const t of onTimes) {
      const l = within(local, t - 30, t + 300);
      const r = within(remote, t - 30, t + 500);
      if (l !== undefined) baseline.push(l - t);
      if (r !== undefined) call.push(r - t);
      if (l !== undefined && r !== undefined) added.push(r - l);
    }
    const estimate =
      link && link.rtt !== null && link.jitterBufferMs !== null ? link.rtt / 2 + link.jitterBufferMs + 20 : null;

    const rows = [
      { path: "local loop: oscillator -> analyser, one page (baseline)", ...summary(baseline) },
      { path: "through the call: -> Opus -> loopback -> jitter buffer -> other page's Web Audio", ...summary(call) },
      { path: "added by the call (per tone: call - baseline)", ...summary(added) },
    ];
    printTable(`Voice delay (ms), ${TONES} tone onsets, sender gate -> detected onset`, rows);
    printTable("getStats at the receiver (last 2 s poll)", [
      {
        "rtt ms": link?.rtt === null || !link ? "–" : round(link.rtt, 2),
        "jitter ms": link?.jitter === null || !link ? "–" : round(link.jitter, 2),
        "jitter buffer ms": link?.jitterBufferMs === null || !link ? "–" : round(link.jitterBufferMs, 1),
        "estimate ms (rtt/2 + buffer + 20)": estimate === null ? "–" : round(estimate, 1),
        "loss %": link?.loss === null || !link ? "–" : round(link.loss * 100, 2),
      },
    ]);
    console.log(
      `clock check (BroadcastChannel): receiver - sender offset ${clock.offsetMs} ms, one-way message ${clock.oneWayMs} ms`,
    );
    const seconds = round((performance.now() - t0) / 1000, 1);
    const file = writeResult("voice", {
      bench: "voice",
      machine,
      // Other work on the machine inflates the jitter buffer (NetEq grows it after a CPU stall and shrinks it slowly).
      loadAvg1mAtEnd: round(os.loadavg()[0]!, 2),
      seconds,
      params: {
        tones: TONES,
        periodMs: PERIOD_MS,
        toneMs: TONE_MS,
        threshold: THRESHOLD,
        receiverSampleRate: sampleRate,
      },
      method:
        "tone onset: sender gate opened at wall time t; onset detected to the sample on an analyser in the sender's own AudioContext (baseline) and on the app's tap of the received stream in the other page (call)",
      table: rows,
      getStats: { link, estimateMs: estimate === null ? null : round(estimate, 1) },
      clock,
      raw: {
        baseline: baseline.map((x) => round(x, 2)),
        call: call.map((x) => round(x, 2)),
        added: added.map((x) => round(x, 2)),
      },
    });
    console.log(`load average ${machine.loadAvg1mAtStart} -> ${round(os.loadavg()[0]!, 2)} on ${machine.cores} cores`);
    console.log(`wrote ${file} (${seconds} s)`);
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
