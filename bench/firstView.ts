/**
 * First view (issue #26 item 5): what a browser downloads and how long it waits before the plant shows its first
 * live value. Per run a fresh server process (`npm start` settings: embedded broker, simulator) serves a built
 * client; headless Chromium (Debian's, SwiftShader: software GL) opens the page in a fresh context (empty cache),
 * joins by name and waits for a label with a value. Recorded: time from navigation start to the first live value
 * (read in the page, `performance.now()`), and the compressed bytes of JavaScript whose download finished before
 * it (encoded body sizes as the network saw them), with how many of those came without brotli/gzip. "cold" is the
 * first page a new server serves; "warm" a second fresh context on the same server (its files, JIT and plant
 * already warm). The baseline is another git ref's client (default `main`), built into a temporary directory by
 * this script and served by the same server code in the same run, runs alternating. Medians over the runs.
 *
 *   npm run build && flock /tmp/gemba-e2e.lock npx tsx bench/firstView.ts [--runs 5] [--before main]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Request } from "@playwright/test";
import { CHROMIUM_ARGS, launchChromium } from "../kit/browser.ts";
import { startAppServer } from "../kit/appServer.ts";
import { machineInfo, median, numberArg, printTable, ROOT, round, writeResult } from "./common.ts";

const VIEWPORT = { width: 1280, height: 720 };
/** Chunks that must not be part of the first view (names Vite gives the lazily imported modules). */
const LAZY_CHUNKS = /\/assets\/(XrExperience|VoiceCall|browser|ProceduresPanel)-[^/]+\.js$/;

export interface FirstView {
  firstValueMs: number;
  jsBytes: number;
  jsFiles: number;
  /** JavaScript responses over 1 KB that came without Content-Encoding (the precompressed siblings missed). */
  jsUncompressed: number;
  /** Lazy chunks fetched before the first value (should be none). */
  lazyBefore: string[];
}

/** One page in a fresh context: navigate, join, wait for a live value on a label. */
export async function measureFirstView(browser: Browser, url: string): Promise<FirstView> {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  const page = await ctx.newPage();
  const done: { url: string; at: number; bytes: number; encoded: boolean }[] = [];
  const pending: Promise<void>[] = [];
  const onFinished = (req: Request): void => {
    const u = req.url();
    if (!u.endsWith(".js")) return;
    pending.push(
      (async () => {
        // When the body had arrived, on the wall clock (compared with the page's timeOrigin below).
        const t = req.timing();
        const at = t.startTime + t.responseEnd;
        const [sizes, res] = await Promise.all([req.sizes(), req.response()]);
        const enc = res ? ((await res.allHeaders())["content-encoding"] ?? "") : "";
        done.push({ url: u, at, bytes: sizes.responseBodySize, encoded: enc === "br" || enc === "gzip" });
      })(),
    );
  };
  page.on("requestfinished", onFinished);
  try {
    await page.goto(`${url}/`);
    await page.fill("#join-name", "Bench");
    await page.click("#join-go");
    const handle = await page.waitForFunction(
      () =>
        [...document.querySelectorAll("#labels .label .val")].some((e) => e.textContent && e.textContent !== "—")
          ? [performance.now(), performance.timeOrigin]
          : false,
      null,
      { timeout: 180_000, polling: 20 },
    );
    const [firstValueMs, origin] = (await handle.jsonValue()) as [number, number];
    // Lazy chunks keep finishing after the first value; they are not part of the first view, and reading their
    // headers once the context is closed would throw (it crashed a run).
    page.off("requestfinished", onFinished);
    await Promise.all(pending);
    const before = done.filter((d) => d.at <= origin + firstValueMs);
    return {
      firstValueMs,
      jsBytes: before.reduce((s, d) => s + d.bytes, 0),
      jsFiles: before.length,
      jsUncompressed: before.filter((d) => !d.encoded && d.bytes > 1024).length,
      lazyBefore: before.filter((d) => LAZY_CHUNKS.test(d.url)).map((d) => path.basename(new URL(d.url).pathname)),
    };
  } finally {
    await ctx.close();
  }
}

/** Build `ref`'s client (its client/ and shared/, this checkout's node_modules) into a temporary directory. */
function buildClientOf(ref: string): { dir: string; remove(): void } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-firstview-"));
  const files = ["client", "shared", "vite.config.ts", "package.json", "tsconfig.json", "scripts/compress-client.ts"];
  const tar = execFileSync("git", ["-C", ROOT, "archive", "--format=tar", ref, ...files], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", tmp], { input: tar });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(tmp, "node_modules"));
  execFileSync(path.join(ROOT, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], {
    cwd: tmp,
    stdio: "inherit",
  });
  execFileSync(process.execPath, ["--import", "tsx", "scripts/compress-client.ts"], { cwd: tmp, stdio: "inherit" });
  return { dir: path.join(tmp, "dist/client"), remove: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

async function main(): Promise<void> {
  const runs = numberArg("runs", 5);
  const refArg = process.argv.indexOf("--before");
  const beforeRef = refArg > 0 ? process.argv[refArg + 1]! : "main";
  const afterDir = path.join(ROOT, "dist/client");
  if (!fs.existsSync(path.join(afterDir, "index.html"))) throw new Error("No built client: run npm run build first.");
  const machine = machineInfo();
  const before = buildClientOf(beforeRef);
  const variants = [
    { name: `before (${beforeRef})`, dir: before.dir },
    { name: "after (this checkout)", dir: afterDir },
  ];
  const samples: Record<string, { cold: FirstView[]; warm: FirstView[] }> = {};
  for (const v of variants) samples[v.name] = { cold: [], warm: [] };
  const browser = await launchChromium();
  try {
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const srv = await startAppServer({ CLIENT_DIR: v.dir });
        try {
          const cold = await measureFirstView(browser, srv.url);
          const warm = await measureFirstView(browser, srv.url);
          samples[v.name]!.cold.push(cold);
          samples[v.name]!.warm.push(warm);
          console.log(
            `run ${i + 1} ${v.name}: cold ${round(cold.firstValueMs / 1000, 2)} s ${round(cold.jsBytes / 1e6, 3)} MB, ` +
              `warm ${round(warm.firstValueMs / 1000, 2)} s`,
          );
        } finally {
          await srv.stop();
        }
      }
    }
  } finally {
    await browser.close();
    before.remove();
  }
  const table = variants.flatMap((v) =>
    (["cold", "warm"] as const).map((k) => {
      const xs = samples[v.name]![k];
      return {
        client: v.name,
        server: k,
        "first live value s (median)": round(median(xs.map((x) => x.firstValueMs)) / 1000, 2),
        "min–max s": `${round(Math.min(...xs.map((x) => x.firstValueMs)) / 1000, 2)}–${round(Math.max(...xs.map((x) => x.firstValueMs)) / 1000, 2)}`,
        "JS compressed MB": round(median(xs.map((x) => x.jsBytes)) / 1e6, 3),
        "JS files": median(xs.map((x) => x.jsFiles)),
        "JS not compressed": Math.max(...xs.map((x) => x.jsUncompressed)),
        "lazy chunks before": Math.max(...xs.map((x) => x.lazyBefore.length)),
      };
    }),
  );
  printTable(`First view: navigation → first live value, headless Chromium (SwiftShader), ${runs} runs`, table);
  const b = samples[variants[0]!.name]!;
  const a = samples[variants[1]!.name]!;
  const ratios = {
    jsBytesAfterOverBefore: round(median(a.cold.map((x) => x.jsBytes)) / median(b.cold.map((x) => x.jsBytes)), 3),
    coldFirstValueAfterOverBefore: round(
      median(a.cold.map((x) => x.firstValueMs)) / median(b.cold.map((x) => x.firstValueMs)),
      3,
    ),
    warmFirstValueAfterOverBefore: round(
      median(a.warm.map((x) => x.firstValueMs)) / median(b.warm.map((x) => x.firstValueMs)),
      3,
    ),
  };
  console.log(`\nratios: ${JSON.stringify(ratios)}`);
  console.log(
    writeResult("first-view", {
      machine,
      loadAvg1mAtEnd: round(os.loadavg()[0]!, 2),
      params: { runs, before: beforeRef, viewport: VIEWPORT, chromium: CHROMIUM_ARGS },
      samples,
      ratios,
      table,
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
