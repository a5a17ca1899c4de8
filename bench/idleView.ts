/**
 * What an open, untouched plant view costs: the browser's CPU (all its processes: page, GPU, compositor) per second
 * of wall time while a joined page sits on the live demo plant, with the frame pacer as built (every frame while
 * someone acts, ten a second when calm: client/scene/FramePacer.ts) beside the same page drawing every frame (the
 * pacer kept awake by a page timer: what the client did before). Alternated on the same page and server, so load
 * from other work hits both. On this machine's software GL each drawn frame is CPU; on a GPU laptop it is battery.
 *
 *   npx tsx bench/idleView.ts [--seconds 15] [--reps 3]    (needs a built client: npm run build)
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { machineInfo, median, numberArg, printTable, round, sleep, writeResult } from "./common.ts";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds used so far by `root` and every process below it (from /proc). */
function treeCpuSeconds(root: number): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the ")" of the command name: state ppid ... utime(12th) stime(13th).
      const f = fs.readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]!.split(" ");
      parents.set(Number(name), Number(f[1]));
      cpu.set(Number(name), Number(f[11]) + Number(f[12]));
    } catch {
      // The process ended while we read: its time is gone with it, as it is for both modes.
    }
  }
  let ticks = 0;
  for (const [pid, t] of cpu) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p))
      if (p === root) {
        ticks += t;
        break;
      }
  }
  return ticks / TICKS_PER_SECOND;
}

export async function runIdleView(opts: { seconds: number; reps: number }) {
  const server = await startAppServer();
  const browserServer = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const root = browserServer.process().pid!;
  const browser = await chromium.connect(browserServer.wsEndpoint());
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(server.url + "/");
    await page.fill("#join-name", "Bench");
    await page.click("#join-go");
    await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 180_000 });
    await sleep(3000);
    const rows: { mode: string; rep: number; cores: number; framesPerSecond: number }[] = [];
    for (let rep = 1; rep <= opts.reps; rep++) {
      for (const mode of ["every frame", "paced"] as const) {
        await page.evaluate((awake) => {
          const w = window as unknown as { __benchWake?: number };
          clearInterval(w.__benchWake);
          if (awake) w.__benchWake = window.setInterval(() => window.__gemba!.scene()!.pacer.wake(), 200);
        }, mode === "every frame");
        await sleep(2000); // let the previous mode's full-rate tail end
        const c0 = treeCpuSeconds(root);
        const f0 = await page.evaluate(() => window.__gemba!.scene()!.pacer.counts.drawn);
        const t0 = performance.now();
        await sleep(opts.seconds * 1000);
        const wall = (performance.now() - t0) / 1000;
        const f1 = await page.evaluate(() => window.__gemba!.scene()!.pacer.counts.drawn);
        rows.push({
          mode,
          rep,
          cores: round((treeCpuSeconds(root) - c0) / wall, 3),
          framesPerSecond: round((f1 - f0) / wall, 1),
        });
      }
    }
    const summary = (["every frame", "paced"] as const).map((mode) => {
      const r = rows.filter((x) => x.mode === mode);
      return {
        mode,
        "browser CPU (cores, median)": median(r.map((x) => x.cores)),
        "frames drawn/s (median)": median(r.map((x) => x.framesPerSecond)),
      };
    });
    const every = summary[0]!["browser CPU (cores, median)"];
    const paced = summary[1]!["browser CPU (cores, median)"];
    return {
      params: { ...opts, viewport: "1280x720", chromiumArgs: CHROMIUM_ARGS },
      table: summary,
      rows,
      ratios: {
        pacedOverEveryFrame: every > 0 ? round(paced / every, 3) : null,
        goal: "an untouched view costs less than one drawing every frame (no pass mark)",
        goalMet: null,
      },
    };
  } finally {
    await browser.close();
    await browserServer.close();
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const machine = machineInfo();
  console.log(`load average ${machine.loadAvg1mAtStart} on ${machine.cores} cores`);
  const result = await runIdleView({ seconds: numberArg("seconds", 15), reps: numberArg("reps", 3) });
  printTable("An untouched plant view: browser CPU per wall second, paced vs drawing every frame", result.table);
  console.log(`paced / every frame: ${result.ratios.pacedOverEveryFrame}`);
  console.log(`wrote ${writeResult("idleView", { bench: "idleView", machine, ...result })}`);
}
