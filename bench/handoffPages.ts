/**
 * Handoff between browser pages, mid-call (`npx tsx bench/handoffPages.ts`, after
 * `npm run build`; HANDOFFS=n, default 20). Two pages of the real app are the same
 * person ("Tam") on two devices; a third page ("Lee") is in the voice call with them.
 * Tam's first device holds the seat; the second opens the app, is offered "Your
 * session is active on desktop — move it here" and pulls it; from then on the
 * device that was moved presses "Take it back", back and forth. Both of Tam's pages
 * send a continuous tone as their microphone.
 *
 * Measured per handoff:
 *   - switch time: from the person's accept (pull / take back pressed) to the target
 *     page receiving `driving` (it holds the seat and is live), in the target page;
 *   - seat gap: an SDK observer counts Tam's entries in the participant list on every
 *     patch; any patch with 0 (or 2) entries would be a gap (goal: none);
 *   - voice gap: at Lee's page, the longest time Tam's received audio stayed silent
 *     (|sample| < 0.02 over 5 ms polls of the app's own analyser on Tam's stream)
 *     between the accept and Tam being heard steadily again from the new device.
 * Baseline in the same run: a fresh join of a loaded page (Join pressed → joined),
 * the same page code path minus the handoff.
 * SwiftShader frames are made cheap (hardware scaling 8): a GPU would not stall the pages.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { launchChromium } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { joinPlant } from "../kit/observer.ts";
import { machineInfo, percentile, printTable, ROOT, round, writeResult } from "./common.ts";

const HANDOFFS = Number(process.env["HANDOFFS"] ?? 20);
const FRESH_JOINS = Number(process.env["FRESH_JOINS"] ?? 8);

/** A continuous tone as the microphone (plain JavaScript: it runs in the page). */
const TONE_MIC = `(() => {
  const ctx = new AudioContext({ latencyHint: "interactive" });
  const osc = new OscillatorNode(ctx, { frequency: 440 });
  const gain = new GainNode(ctx, { gain: 0.5 });
  const dest = ctx.createMediaStreamDestination();
  osc.connect(gain);
  gain.connect(dest);
  osc.start();
  navigator.mediaDevices.getUserMedia = async () => {
    await ctx.resume();
    return new MediaStream([dest.stream.getAudioTracks()[0].clone()]);
  };
})();`;

/** Silence intervals of one talker's received audio, from the app's analyser (re-read every poll: it changes per link). */
const SILENCE_METER = `(() => {
  const quiet = [];
  let since = null;
  let buf = null;
  window.__silence = {
    quiet,
    watch(seat) {
      setInterval(() => {
        const an = window.__gemba_voice && window.__gemba_voice.tap(seat);
        const now = performance.timeOrigin + performance.now();
        let loud = false;
        if (an) {
          if (!buf || buf.length !== an.fftSize) buf = new Float32Array(an.fftSize);
          an.getFloatTimeDomainData(buf);
          const recent = Math.round(an.context.sampleRate * 0.005);
          for (let i = buf.length - recent; i < buf.length; i++) if (Math.abs(buf[i]) > 0.02) { loud = true; break; }
        }
        if (!loud && since === null) since = now;
        if (loud && since !== null) { quiet.push([since, now]); since = null; }
      }, 5);
    },
    openSince() { return since; },
  };
})();`;

interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}
function summary(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(percentile(s, 50), 1),
    p95: round(percentile(s, 95), 1),
    max: round(s[s.length - 1] ?? Number.NaN, 1),
  };
}

async function cheapFrames(page: Page): Promise<void> {
  await page.evaluate("window.__gemba.scene().engine.setHardwareScalingLevel(8)");
}

async function join(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url + "/");
  await page.fill("#join-name", name);
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 120_000 });
  await cheapFrames(page);
}

const wall = (page: Page) => page.evaluate(() => performance.timeOrigin + performance.now());

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, "dist/client/index.html"))) {
    console.error("Build the client first: npm run build");
    process.exit(2);
  }
  const machine = machineInfo();
  const server = await startAppServer();
  const browser = await launchChromium({ voice: true });
  try {
    // One context: timeOrigin-based wall times are comparable across its pages.
    const ctx = await browser.newContext({ viewport: { width: 640, height: 400 } });
    const [a, b, lee] = [await ctx.newPage(), await ctx.newPage(), await ctx.newPage()];
    await a.addInitScript({ content: TONE_MIC });
    await b.addInitScript({ content: TONE_MIC });
    await lee.addInitScript({ content: SILENCE_METER });

    // Baseline: fresh joins of a loaded page (the join dialog is up and the plant loaded).
    const fresh: number[] = [];
    const probe = await ctx.newPage();
    for (let i = 0; i < FRESH_JOINS; i++) {
      await probe.goto(server.url + "/");
      await probe.waitForFunction(() => !!window.__gemba?.scene(), null, { timeout: 120_000 });
      await probe.fill("#join-name", `Fresh ${i}`);
      fresh.push(
        await probe.evaluate(async () => {
          const t0 = performance.now();
          document.getElementById("join-go")!.click();
          while (!window.__gemba!.joined) await new Promise((r) => setTimeout(r, 1));
          return performance.now() - t0;
        }),
      );
    }
    await probe.close();

    await join(a, server.url, "Tam");
    await join(lee, server.url, "Lee");
    const tamSeat = await a.evaluate(() => window.__gemba!.seat()!);
    for (const p of [a, lee]) {
      await p.click("#voice-join");
      await p.waitForFunction(() => window.__gemba_voice?.inCall === true, null, { timeout: 30_000 });
    }
    await lee.evaluate(
      (s) => (window as unknown as { __silence: { watch(s: string): void } }).__silence.watch(s),
      tamSeat,
    );

    // The observer counts Tam's entries on every patch.
    const observer = await joinPlant(server.url, "Observer");
    const entries = new Map<number, number>();
    observer.onStateChange((s) => {
      const n = [...s.seats.values()].filter((x) => x.name === "Tam").length;
      entries.set(n, (entries.get(n) ?? 0) + 1);
    });

    /** Lee hears Tam steadily (no silence for 1 s). */
    const heardSteadily = async () => {
      await lee.waitForFunction(
        () => {
          const w = (window as unknown as { __silence: { openSince(): number | null; quiet: [number, number][] } })
            .__silence;
          const now = performance.timeOrigin + performance.now();
          const lastQuietEnd = w.quiet.length ? w.quiet[w.quiet.length - 1]![1] : 0;
          return w.openSince() === null && now - lastQuietEnd > 1000;
        },
        null,
        { timeout: 30_000, polling: 50 },
      );
    };
    await heardSteadily();

    // First handoff: the second device opens the app as Tam and pulls the session.
    await b.goto(server.url + "/");
    await b.fill("#join-name", "Tam");
    await b.click("#join-go");
    await b.waitForSelector("#pull-dialog[open]", { timeout: 120_000 });
    await b.waitForFunction(() => !!window.__gemba?.scene(), null, { timeout: 120_000 });
    await cheapFrames(b);
    const voiceGaps: number[] = [];
    const accepts: number[] = [];
    let target = b;
    let source = a;
    for (let i = 0; i < HANDOFFS; i++) {
      const before = await target.evaluate(() => window.__gemba!.handoffs.length);
      const t0 = await wall(target);
      await target.click(i === 0 ? "#pull-yes" : "#take-back");
      await target.waitForFunction((n) => window.__gemba!.handoffs.length > n, before, { timeout: 30_000 });
      await target.waitForFunction(() => window.__gemba_voice?.inCall === true, null, { timeout: 30_000 });
      await source
        .waitForFunction(() => window.__gemba_voice?.inCall === false, null, { timeout: 30_000 })
        .catch(async (e: unknown) => {
          const show = (p: Page) =>
            p.evaluate(
              (s) => ({
                seat: window.__gemba!.seat(),
                inCall: window.__gemba_voice?.inCall,
                handover: window.__gemba_voice?.handover(),
                seen: window.__gemba!.state()?.seats.get(s)?.voiceEpoch,
                now: performance.now(),
              }),
              tamSeat,
            );
          console.error(`handoff ${i + 1}: the old device did not hang up`, {
            source: await show(source),
            target: await show(target),
          });
          throw e;
        });
      await heardSteadily();
      const t1 = await wall(lee);
      accepts.push(t0);
      const quiet = await lee.evaluate(
        () => (window as unknown as { __silence: { quiet: [number, number][] } }).__silence.quiet,
      );
      const gaps = quiet.filter(([s, e]) => e > t0 && s < t1).map(([s, e]) => e - Math.max(s, t0));
      voiceGaps.push(gaps.length ? Math.max(...gaps) : 0);
      [target, source] = [source, target];
      process.stdout.write(`handoff ${i + 1}/${HANDOFFS}\r`);
    }
    const switches = [
      ...(await a.evaluate(() => window.__gemba!.handoffs)),
      ...(await b.evaluate(() => window.__gemba!.handoffs)),
    ].map((h) => h.live - h.accept);
    await observer.leave();

    const sw = summary(switches);
    const fj = summary(fresh);
    const vg = summary(voiceGaps);
    const wrongPatches = [...entries].filter(([n]) => n !== 1).reduce((s, [, c]) => s + c, 0);
    printTable(`Handoff between browser pages (${HANDOFFS} handoffs, mid-call; ${machine.cores} cores)`, [
      { measure: "switch: accept → target live (ms)", ...sw, vsFreshJoinP50: round(sw.p50 / fj.p50, 2) },
      { measure: "baseline: fresh join of a loaded page (ms)", ...fj, vsFreshJoinP50: 1 },
      { measure: "voice gap at a listener (ms)", ...vg, vsFreshJoinP50: "" },
    ]);
    console.log(
      `seat: ${[...entries].map(([n, c]) => `${c} patches with ${n} entr${n === 1 ? "y" : "ies"}`).join(", ")}` +
        ` -> seat gap ${wrongPatches === 0 ? "0 ms (never none, never two)" : `${wrongPatches} patches without exactly one`}`,
    );
    const file = writeResult("handoff-pages", {
      machine,
      method:
        "Chromium pages of the real app on loopback; pull then take-back alternately; continuous tone microphones; " +
        "switch time in the target page (accept pressed -> driving received); voice gap = longest silence of the " +
        "handed-over talker at a third page's analyser (5 ms polls, |x| < 0.02) after the accept; seat entries per observer patch.",
      handoffs: HANDOFFS,
      switchMs: sw,
      freshJoinMs: fj,
      switchVsFreshJoinP50: round(sw.p50 / fj.p50, 3),
      voiceGapMs: vg,
      seatEntriesPerPatch: Object.fromEntries(entries),
      raw: { switches, fresh, voiceGaps },
    });
    console.log(`wrote ${file}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
