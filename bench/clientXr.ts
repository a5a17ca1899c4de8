/**
 * Client at scale in XR: the demo plant and the 10× plant in VR at 1:1 inside an emulated Quest 3 (`iwer`, as the
 * XR browser tests use it), in one run, beside the same page on the desktop. Same frame statistics as
 * bench/client.ts (medians of 60 frames); iwer renders two eye views even in mono, so draw calls are per frame
 * (both eyes). SwiftShader: read the ratios, not the milliseconds.
 *
 *   flock /tmp/gemba-e2e.lock npx tsx bench/clientXr.ts    (needs a built client: npm run build)
 */
import { launchChromium } from "../kit/browser.ts";
import { installIwer, xrFrames } from "../kit/iwer.ts";
import { startAppServer } from "../kit/appServer.ts";
import { frameStats, openPlant, type FrameStats } from "./client.ts";
import { machineInfo, printTable, round, writeResult } from "./common.ts";
import { makeScaledPlant } from "./scaledPlant.ts";

async function main(): Promise<void> {
  const machine = machineInfo();
  const x10 = makeScaledPlant(10);
  const browser = await launchChromium();
  const rows: { plant: string; view: string; frames: FrameStats }[] = [];
  try {
    for (const plant of ["demo", x10.id]) {
      const srv = await startAppServer({ PLANTS_DIR: x10.plantsDir, PLANT: plant });
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
        const page0 = await context.newPage();
        await installIwer(page0);
        const o = await openPlant(browser, srv.url, plant, page0);
        await o.page.waitForTimeout(2000);
        rows.push({ plant, view: "desktop", frames: await frameStats(o.page) });
        await o.page.click("#btn-xr-vr");
        await o.page.waitForFunction(() => window.__gemba_xr?.mode === "vr", null, { timeout: 60_000 });
        await xrFrames(o.page, 10);
        rows.push({ plant, view: "VR 1:1", frames: await frameStats(o.page) });
        await context.close();
      } finally {
        await srv.stop();
      }
    }
  } finally {
    await browser.close();
    x10.remove();
  }
  const of = (plant: string, view: string) => rows.find((r) => r.plant === plant && r.view === view)!.frames;
  const table = rows.map((r) => ({
    plant: r.plant,
    view: r.view,
    "draw calls (frame)": r.frames.drawCalls,
    "active meshes": r.frames.activeMeshes,
    "frame CPU ms": round(r.frames.frameCpuMs, 1),
    "render CPU ms": round(r.frames.renderCpuMs, 1),
    "frame interval ms": round(r.frames.intervalMs, 1),
    "frame CPU / demo same view": round(r.frames.frameCpuMs / of("demo", r.view).frameCpuMs, 2),
  }));
  printTable(
    "Client at scale in XR (emulated Quest 3, SwiftShader): VR 1:1 beside desktop, medians of 60 frames",
    table,
  );
  console.log(writeResult("clientXr", { machine, rows, table }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
