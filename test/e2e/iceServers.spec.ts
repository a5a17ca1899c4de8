/**
 * The operator's ICE_SERVERS setting reaches the page's voice links: every RTCPeerConnection the page opens is
 * configured with exactly those STUN/TURN servers, as the browser itself reports them (getConfiguration()). The TURN
 * credential goes to seated participants only, inside the welcome: it is not in the room state, the page's DOM,
 * its storage or console, the server's log, or the server's public endpoints.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { useCallRig } from "./callRig.ts";
import { joinPlant } from "../../kit/observer.ts";
import { joinAs, watchPage } from "./page.ts";

const CREDENTIAL = "turn-secret-7Qx9";
// Loopback addresses with nothing listening: the page gathers candidates and nothing leaves the machine.
const ICE = [
  { urls: "stun:127.0.0.1:3479" },
  { urls: ["turn:127.0.0.1:3478?transport=udp"], username: "gemba-voice", credential: CREDENTIAL },
];

const rig = useCallRig({ ICE_SERVERS: JSON.stringify(ICE) });

/** Record the configuration of every RTCPeerConnection a page opens, as the browser reports it. */
const RECORD_PEER_CONFIGS = () => {
  const seen: RTCConfiguration[] = [];
  (window as unknown as { __pcConfigs: RTCConfiguration[] }).__pcConfigs = seen;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      seen.push(this.getConfiguration());
    }
  };
};
const peerConfigs = (page: Page) =>
  page.evaluate(() => (window as unknown as { __pcConfigs: RTCConfiguration[] }).__pcConfigs);

test("ICE_SERVERS from the server configure the page's voice links; the TURN credential is echoed nowhere else", async () => {
  // Two people join the call from two pages: of each pair one page offers and the other answers, and both open an
  // RTCPeerConnection with the configuration (an SDK client in Node cannot answer, and which side offers depends on
  // the random seat ids).
  const pages: Page[] = [];
  const consoleText: string[] = [];
  for (let i = 0; i < 2; i++) {
    const page = await rig.page();
    await page.addInitScript(RECORD_PEER_CONFIGS);
    page.on("console", (m) => consoleText.push(m.text()));
    pages.push(page);
  }
  const [ines, jo] = pages as [Page, Page];
  const watch = watchPage(ines, rig.server.url);
  await joinAs(ines, rig.server.url, "Ines");
  await joinAs(jo, rig.server.url, "Jo");
  // An observer with the real SDK reads what the room shares with everyone.
  const observer = await joinPlant(rig.server.url, "Observer");
  await ines.click("#voice-join");
  await jo.click("#voice-join");
  for (const page of pages) await expect.poll(async () => (await peerConfigs(page)).length).toBeGreaterThan(0);
  // Chromium reports a field the setting left out as "".
  for (const page of pages)
    for (const c of await peerConfigs(page))
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

  // Nowhere else: the shared room state, the pages, their storage and console, the log, the public endpoints.
  expect(JSON.stringify(observer.state.toJSON())).not.toContain(CREDENTIAL);
  for (const page of pages) {
    const pageText = await page.evaluate(() =>
      [document.documentElement.outerHTML, JSON.stringify(localStorage), JSON.stringify(sessionStorage)].join("\n"),
    );
    expect(pageText).not.toContain(CREDENTIAL);
  }
  expect(consoleText.join("\n")).not.toContain(CREDENTIAL);
  expect(rig.server.output()).not.toContain(CREDENTIAL);
  for (const path of ["/healthz", "/api/device-link", "/api/plants"]) {
    const body = await (await ines.request.get(rig.server.url + path)).text();
    expect(body, path).not.toContain(CREDENTIAL);
  }

  await observer.leave();
  expect(watch.offOrigin).toEqual([]);
  expect(watch.errors).toEqual([]);
});
