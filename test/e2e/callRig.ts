/**
 * One server and one browser with a fake microphone per spec file, for tests of the room's call: WebRTC needs the
 * fake-media flags (kit/browser.ts), which the other specs do not want, so these specs do not use the shared browser.
 * Every page it opens is closed after the file (or after each test with `closeAfterEach`, for tests that must start
 * with nobody else in the call).
 */
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { launchChromium } from "../../kit/browser.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";

export interface CallRigPage {
  width?: number;
  height?: number;
  /** E.g. a headset's browser (Quest) for a device-specific path. */
  userAgent?: string;
}

export interface CallRig {
  /** The server (after `beforeAll`). */
  readonly server: RunningServer;
  /** The fake-microphone browser (after `beforeAll`). */
  readonly browser: Browser;
  /** A new page in a context of its own (its own storage: a different person or device). */
  page(opts?: CallRigPage): Promise<Page>;
}

export function useCallRig(env: Record<string, string> = {}, opts: { closeAfterEach?: boolean } = {}): CallRig {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let open: BrowserContext[] = [];
  const closeOpen = async () => {
    for (const c of open) await c.close().catch(() => undefined);
    open = [];
  };
  test.beforeAll(async () => {
    server = await startAppServer(env);
    browser = await launchChromium({ voice: true });
  });
  if (opts.closeAfterEach) test.afterEach(closeOpen);
  test.afterAll(async () => {
    await closeOpen();
    await browser?.close();
    await server?.stop();
  });
  const started = <T>(what: T | undefined, name: string): T => {
    if (!what) throw new Error(`the call rig's ${name} is started in beforeAll; use it inside a test`);
    return what;
  };
  return {
    get server() {
      return started(server, "server");
    },
    get browser() {
      return started(browser, "browser");
    },
    async page(p = {}) {
      const ctx = await started(browser, "browser").newContext({
        viewport: { width: p.width ?? 960, height: p.height ?? 600 },
        ...(p.userAgent ? { userAgent: p.userAgent } : {}),
      });
      open.push(ctx);
      return ctx.newPage();
    },
  };
}

/** Press "Join voice" and wait until the page is in the call. */
export async function joinCall(page: Page): Promise<void> {
  await page.click("#voice-join");
  await expect.poll(() => page.evaluate(() => window.__gemba_voice?.inCall === true), { timeout: 60_000 }).toBe(true);
}
