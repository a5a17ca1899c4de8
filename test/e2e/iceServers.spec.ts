/**
 * The operator's ICE_SERVERS setting reaches the page's voice links: every RTCPeerConnection the page opens is
 * configured with exactly those STUN/TURN servers, as the browser itself reports them (getConfiguration()). The TURN
 * credential goes to seated participants only, inside the welcome: it is not in the room state, the page's DOM,
 * its storage or console, the server's log, or the server's public endpoints.
 */
import type { Browser } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { offersTo } from "../../client/voice/MeshTransport.ts";
import { launchChromium } from "../../kit/browser.ts";
import { joinPlant } from "../../kit/observer.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinAs, seatOf, watchPage } from "./page.ts";

const CREDENTIAL = "turn-secret-7Qx9";
// Loopback addresses with nothing listening: the page gathers candidates and nothing leaves the machine.
const ICE = [
  { urls: "stun:127.0.0.1:3479" },
  { urls: ["turn:127.0.0.1:3478?transport=udp"], username: "gemba-voice", credential: CREDENTIAL },
];

let server: RunningServer;
let browser: Browser;
test.beforeAll(async () => {
  server = await startAppServer({ ICE_SERVERS: JSON.stringify(ICE) });
  browser = await launchChromium({ voice: true });
});
test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test("ICE_SERVERS from the server configure the page's voice links; the TURN credential is echoed nowhere else", async () => {
  const page = await (await browser.newContext({ viewport: { width: 960, height: 600 } })).newPage();
  // Record the configuration of every RTCPeerConnection the page opens, as the browser reports it.
  await page.addInitScript(() => {
    const seen: RTCConfiguration[] = [];
    (window as unknown as { __pcConfigs: RTCConfiguration[] }).__pcConfigs = seen;
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        seen.push(this.getConfiguration());
      }
    };
  });
  const consoleText: string[] = [];
  page.on("console", (m) => consoleText.push(m.text()));
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Ines");
  const me = await seatOf(page);

  // Someone in the call whom this page offers to (the smaller seat id makes the offer): a real SDK client.
  const joined = [];
  let peer: Awaited<ReturnType<typeof joinPlant>> | null = null;
  for (let n = 1; n <= 40 && !peer; n++) {
    const room = await joinPlant(server.url, `Remote ${n}`);
    // The page's offer and candidates arrive here; this client only has to be in the call.
    room.onMessage("signal", () => {});
    joined.push(room);
    const seat = () => [...room.state.seats.values()].find((s) => s.name === `Remote ${n}`)?.id ?? "";
    await expect.poll(seat).not.toBe("");
    if (offersTo(me, seat())) peer = room;
  }
  expect(peer, "a seat this page offers to").not.toBeNull();
  peer!.send("voice", { inCall: true, muted: false, speaking: false });

  await page.click("#voice-join");
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __pcConfigs: RTCConfiguration[] }).__pcConfigs.length))
    .toBeGreaterThan(0);
  const configs = await page.evaluate(() => (window as unknown as { __pcConfigs: RTCConfiguration[] }).__pcConfigs);
  // Chromium reports a field the setting left out as "".
  for (const c of configs)
    expect(
      c.iceServers?.map((s) => ({
        urls: [s.urls].flat(),
        username: s.username || undefined,
        credential: s.credential || undefined,
      })),
    ).toEqual([
      { urls: ["stun:127.0.0.1:3479"], username: undefined, credential: undefined },
      { urls: ["turn:127.0.0.1:3478?transport=udp"], username: "gemba-voice", credential: CREDENTIAL },
    ]);

  // Nowhere else: the shared room state, the page, its storage and console, the log, the public endpoints.
  expect(JSON.stringify(peer!.state.toJSON())).not.toContain(CREDENTIAL);
  const pageText = await page.evaluate(() =>
    [document.documentElement.outerHTML, JSON.stringify(localStorage), JSON.stringify(sessionStorage)].join("\n"),
  );
  expect(pageText).not.toContain(CREDENTIAL);
  expect(consoleText.join("\n")).not.toContain(CREDENTIAL);
  expect(server.output()).not.toContain(CREDENTIAL);
  for (const path of ["/healthz", "/api/device-link", "/api/plants"]) {
    const body = await (await page.request.get(server.url + path)).text();
    expect(body, path).not.toContain(CREDENTIAL);
  }

  for (const r of joined) await r.leave();
  expect(watch.offOrigin).toEqual([]);
  expect(watch.errors).toEqual([]);
});
