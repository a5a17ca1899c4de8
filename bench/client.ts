/**
 * Client at scale: the web client in headless Chromium (Debian's, SwiftShader: no GPU) on an empty scene, the
 * demo plant and larger copies of it (10× by default; `--scales 10,100` adds the 100× plant), in one run.
 * Per scene: load time (navigation to the plant drawn, and to the first
 * live value on a label), then the median over 60 frames of draw calls, active meshes, CPU time of a frame
 * (engine begin→end frame: the app's per-frame work plus scene.render) and of scene.render alone, and the frame
 * interval. The empty scene is the same page with every mesh disposed and the labels hidden, so the ratios
 * isolate what the plant costs. Absolute times on SwiftShader mean little; compare the ratios.
 *
 *   flock /tmp/gemba-e2e.lock npx tsx bench/client.ts    (needs a built client: npm run build)
 */
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "@playwright/test";
import { CHROMIUM_ARGS, launchChromium } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { machineInfo, numberListArg, printTable, round, writeResult } from "./common.ts";
import { makeScaledPlant } from "./scaledPlant.ts";

const VIEWPORT = { width: 1280, height: 720 };
const FRAMES = 60;

export interface FrameStats {
  drawCalls: number;
  activeMeshes: number;
  frameCpuMs: number;
  renderCpuMs: number;
  intervalMs: number;
}

/** Medians over `n` frames, measured in the page through the test hook. */
export async function frameStats(page: Page, n = FRAMES): Promise<FrameStats> {
  return page.evaluate(async (count) => {
    const scene = window.__gemba!.scene()!.scene;
    const engine = scene.getEngine();
    const dcs = (engine as unknown as { _drawCalls: { fetchNewFrame(): void; current: number } })._drawCalls;
    const rows: number[][] = [];
    let tBegin = 0;
    let tRender = 0;
    let dc = 0;
    let am = 0;
    let renderMs = 0;
    const begin = engine.onBeginFrameObservable.add(() => (tBegin = performance.now()));
    const before = scene.onBeforeRenderObservable.add(() => {
      dcs.fetchNewFrame();
      tRender = performance.now();
    });
    const after = scene.onAfterRenderObservable.add(() => {
      renderMs = performance.now() - tRender;
      dc = dcs.current;
      am = scene.getActiveMeshes().length;
    });
    await new Promise<void>((resolve) => {
      const end = engine.onEndFrameObservable.add(() => {
        const now = performance.now();
        rows.push([dc, am, now - tBegin, renderMs, now]);
        if (rows.length >= count) {
          engine.onEndFrameObservable.remove(end);
          resolve();
        }
      });
    });
    engine.onBeginFrameObservable.remove(begin);
    scene.onBeforeRenderObservable.remove(before);
    scene.onAfterRenderObservable.remove(after);
    // Medians (no named helpers in here: tsx would wrap them in a __name() the page does not have).
    const cols = [0, 1, 2, 3].map((i) => rows.map((r) => r[i]!));
    cols.push(rows.slice(1).map((r, i) => r[4]! - rows[i]![4]!));
    const [d, a, f, r, iv] = cols.map((xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!);
    return { drawCalls: d!, activeMeshes: a!, frameCpuMs: f!, renderCpuMs: r!, intervalMs: iv! };
  }, n);
}

/** Open the page, join, and time: plant drawn (loading bar gone) and first live value on a label. */
export async function openPlant(browser: Browser, url: string, plant: string, existing?: Page) {
  const page = existing ?? (await browser.newPage({ viewport: VIEWPORT }));
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const t0 = Date.now();
  await page.goto(`${url}/?plant=${plant}`);
  await page.fill("#join-name", "Bench");
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 180_000 });
  await page.waitForFunction(() => document.getElementById("loading")?.hidden === true, null, { timeout: 180_000 });
  const drawnMs = Date.now() - t0;
  await page.waitForFunction(
    () => [...document.querySelectorAll("#labels .label .val")].some((e) => e.textContent && e.textContent !== "—"),
    null,
    { timeout: 180_000, polling: 50 },
  );
  const firstValueMs = Date.now() - t0;
  return { page, errors, drawnMs, firstValueMs };
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const scaled = numberListArg("scales", [10]).map((n) => makeScaledPlant(n));
  const browser = await launchChromium();
  const rows: { scene: string; drawnMs: number | null; firstValueMs: number | null; frames: FrameStats }[] = [];
  const failed: { scene: string; error: string }[] = [];
  try {
    for (const plant of ["demo", ...scaled.map((x) => x.id)]) {
      const plantsDir = scaled.find((x) => x.id === plant)?.plantsDir;
      // The simulator feeds the plant the server starts with, so each plant gets its own server (INTEREST=auto).
      const srv = await startAppServer({ ...(plantsDir ? { PLANTS_DIR: plantsDir } : {}), PLANT: plant });
      try {
        console.log(`${plant}: opening ...`);
        const o = await openPlant(browser, srv.url, plant).catch((e: Error) => {
          // A plant the browser cannot load is a result, not a crash: say so and measure the next one.
          console.log(`${plant}: did not load: ${e.message.split("\n")[0]}`);
          failed.push({ scene: plant, error: e.message.split("\n")[0]! });
          return null;
        });
        if (!o) continue;
        await o.page.waitForTimeout(3000); // labels placed, interest narrowed, first patches in
        rows.push({ scene: plant, drawnMs: o.drawnMs, firstValueMs: o.firstValueMs, frames: await frameStats(o.page) });
        if (plant !== "demo") await o.page.screenshot({ path: `/tmp/gemba-${plant}.png` });
        // Close-up: orbit 35 m from the first tank, labels with live values in view (the area of interest).
        await o.page.evaluate(() => {
          const s = window.__gemba!.scene()!;
          s.orbit.target.copyFrom(s.twinList[0]!.center);
          s.orbit.radius = 35;
        });
        await o.page.waitForFunction(
          () =>
            [...document.querySelectorAll<HTMLElement>("#labels .label")].filter((e) => e.style.display !== "none")
              .length > 3,
          null,
          { timeout: 60_000 },
        );
        await o.page.waitForTimeout(3000);
        rows.push({ scene: `${plant} close-up`, drawnMs: null, firstValueMs: null, frames: await frameStats(o.page) });
        if (plant !== "demo") await o.page.screenshot({ path: `/tmp/gemba-${plant}-close.png` });
        if (plant === "demo") {
          // The empty scene: the same page and engine with nothing to draw and no labels.
          await o.page.evaluate(() => {
            window.__gemba!.scene()!.resetView();
            const scene = window.__gemba!.scene()!.scene;
            for (const m of scene.meshes.slice()) m.dispose();
            document.getElementById("labels")!.hidden = true;
          });
          await o.page.waitForTimeout(1000);
          rows.unshift({ scene: "empty", drawnMs: null, firstValueMs: null, frames: await frameStats(o.page) });
        }
        if (o.errors.length) console.warn(`${plant}: page errors: ${o.errors.join(" | ")}`);
        await o.page.close();
      } finally {
        await srv.stop();
      }
    }
  } finally {
    await browser.close();
    for (const x of scaled) x.remove();
  }
  const empty = rows[0]!.frames;
  const table = rows.map((r) => ({
    scene: r.scene,
    "draw calls": r.frames.drawCalls,
    "active meshes": r.frames.activeMeshes,
    "frame CPU ms": round(r.frames.frameCpuMs, 1),
    "render CPU ms": round(r.frames.renderCpuMs, 1),
    "frame interval ms": round(r.frames.intervalMs, 1),
    "frame CPU / empty": round(r.frames.frameCpuMs / empty.frameCpuMs, 1),
    "draw calls / empty": round(r.frames.drawCalls / Math.max(1, empty.drawCalls), 1),
    "plant drawn s": r.drawnMs === null ? "" : round(r.drawnMs / 1000, 1),
    "first live value s": r.firstValueMs === null ? "" : round(r.firstValueMs / 1000, 1),
  }));
  printTable("Client at scale: headless Chromium (SwiftShader), overview and close-up, medians of 60 frames", table);
  const demo = rows.find((r) => r.scene === "demo")!;
  const overDemo: Record<string, object> = {};
  const overEmptyFrameCpu: Record<string, number> = { demo: round(demo.frames.frameCpuMs / empty.frameCpuMs, 2) };
  for (const x of scaled) {
    const big = rows.find((r) => r.scene === x.id);
    if (!big) continue;
    overDemo[x.id] = {
      drawCalls: round(big.frames.drawCalls / demo.frames.drawCalls, 2),
      frameCpu: round(big.frames.frameCpuMs / demo.frames.frameCpuMs, 2),
      firstValue: round(big.firstValueMs! / demo.firstValueMs!, 2),
    };
    overEmptyFrameCpu[x.id] = round(big.frames.frameCpuMs / empty.frameCpuMs, 2);
  }
  const ratios = { overDemo, overEmptyFrameCpu };
  console.log(`\nratios: ${JSON.stringify(ratios)}`);
  console.log(
    writeResult("client", {
      machine,
      params: { viewport: VIEWPORT, frames: FRAMES, chromium: CHROMIUM_ARGS },
      rows,
      failed,
      ratios,
      table,
    }),
  );
  for (const x of scaled) console.log(`screenshots: /tmp/gemba-${x.id}.png, /tmp/gemba-${x.id}-close.png`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
