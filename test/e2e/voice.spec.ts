/**
 * The room's voice call in real Chromium pages against the real server. The fake
 * capture device plays a short beep twice a second; that is the "speech" here.
 * Runs in a browser of its own: WebRTC needs the fake-media flags, which the
 * other specs do not want.
 */
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { joinCall, useCallRig } from "./callRig.ts";
import { seatOf, joinAs, watchPage, type PageWatch } from "./page.ts";

const rig = useCallRig();

async function person(name: string): Promise<{ page: Page; watch: PageWatch }> {
  const page = await rig.page();
  // Count microphone requests: the page may ask only when the person presses "Join voice".
  await page.addInitScript(() => {
    const w = window as unknown as { __gumCalls: number };
    w.__gumCalls = 0;
    const md = navigator.mediaDevices;
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = (c) => {
      w.__gumCalls++;
      return gum(c);
    };
  });
  const watch = watchPage(page, rig.server.url);
  await joinAs(page, rig.server.url, name);
  return { page, watch };
}

const micRequests = (page: Page) => page.evaluate(() => (window as unknown as { __gumCalls: number }).__gumCalls);

/** Fresh link stats from `page` for its link to `seat` (null when there is none). */
const link = (page: Page, seat: string) =>
  page.evaluate(async (s) => (await window.__gemba_voice!.refreshStats()).find((p) => p.seat === s) ?? null, seat);
const linkStates = (page: Page) =>
  page.evaluate(
    async () => (await window.__gemba_voice!.refreshStats()).map((p) => `${p.seat}:${p.state}`).sort(), // code-unit order, the same as the expected lists built in Node
  );

/** A seat's voice flags in the room state as `page` sees them. */
const seatFlags = (page: Page, seat: string) =>
  page.evaluate((id) => {
    const s = window.__gemba!.state()?.seats.get(id);
    return s ? { inCall: s.inCall, muted: s.muted, speaking: s.speaking } : null;
  }, seat);

/** Polls a byte counter once a second and returns how many polls in a row it stayed the same. */
async function expectCounterStops(read: () => Promise<number>): Promise<number> {
  let last = -1;
  let same = 0;
  await expect
    .poll(
      async () => {
        const v = await read();
        same = v === last ? same + 1 : 0;
        last = v;
        return same;
      },
      { intervals: [1000], timeout: 60_000 },
    )
    .toBeGreaterThanOrEqual(3);
  return last;
}

async function expectCounterGrows(read: () => Promise<number>, by = 500): Promise<void> {
  const start = await read();
  await expect.poll(read, { timeout: 60_000 }).toBeGreaterThan(start + by);
}

test("people in one plant talk: each hears the others, speaking shows, mute sends nothing, a third joins both, leaving hangs up", async () => {
  // Three pages rendering the plant on SwiftShader share two cores: loading the third takes about a minute here.
  test.setTimeout(480_000);
  const ada = await person("Ada");
  const bo = await person("Bo");
  const a = ada.page;
  const b = bo.page;
  const adaId = await seatOf(a);
  const boId = await seatOf(b);
  await expect(a.locator("#voice-join")).toBeEnabled();

  // Nobody is asked for a microphone before pressing "Join voice".
  expect(await micRequests(a)).toBe(0);
  await joinCall(a);
  expect(await micRequests(a)).toBe(1);
  await expect.poll(() => seatFlags(b, adaId)).toMatchObject({ inCall: true });
  // B sees Ada in the call before joining.
  await expect(b.locator(`#voice-list li[data-seat="${adaId}"]`)).toBeVisible();
  await b.click("#voice-join");

  // Both links connect and audio flows both ways, into Web Audio on each side.
  await expect.poll(() => link(a, boId).then((l) => l?.state)).toBe("connected");
  await expect.poll(() => link(b, adaId).then((l) => l?.state)).toBe("connected");
  await expectCounterGrows(() => link(b, adaId).then((l) => l?.inboundBytes ?? 0));
  await expectCounterGrows(() => link(a, boId).then((l) => l?.inboundBytes ?? 0));
  await expect
    .poll(() => b.evaluate((s) => window.__gemba_voice!.level(s), adaId), { intervals: [50] })
    .toBeGreaterThan(0.05);
  await expect
    .poll(() => a.evaluate((s) => window.__gemba_voice!.level(s), boId), { intervals: [50] })
    .toBeGreaterThan(0.05);
  const stats = await link(b, adaId);
  expect(stats?.rtt).not.toBeNull();
  expect(stats?.jitter).not.toBeNull();
  expect(stats?.loss).not.toBeNull();
  // The debug panel shows the same link.
  await b.click("#voice-stats-toggle");
  await expect(b.locator(`#voice-stats tbody tr[data-seat="${adaId}"] td`).first()).toHaveText("Ada");

  // The beeps trip speaking detection: the room says Ada is speaking, and Bo's page shows it.
  await expect.poll(() => seatFlags(b, adaId).then((f) => f?.speaking), { intervals: [100] }).toBe(true);
  await expect(b.locator(`#voice-list li[data-seat="${adaId}"].speaking`)).toBeVisible();
  await expect(b.locator(`.tag.speaking[data-seat="${adaId}"]`)).toBeAttached();

  // Speaking flips with every beep, yet voice-state messages stay at 5 a second or fewer.
  const sentAt = async () => ({ n: await a.evaluate(() => window.__gemba_voice!.messagesSent()), t: Date.now() });
  const sent0 = await sentAt();

  // Ada mutes with M: she sends nothing (her outbound bytes stop, Bo's inbound from her stops),
  // while Bo's audio still reaches her.
  await a.locator("#view").focus();
  await a.keyboard.press("m");
  await expect.poll(() => a.evaluate(() => window.__gemba_voice!.muted)).toBe(true);
  await expect(a.locator("#voice-mute")).toHaveAttribute("aria-pressed", "true");
  await expect.poll(() => seatFlags(b, adaId)).toEqual({ inCall: true, muted: true, speaking: false });
  await expectCounterStops(() => link(a, boId).then((l) => l?.outboundBytes ?? -1));
  await expectCounterStops(() => link(b, adaId).then((l) => l?.inboundBytes ?? -1));
  await expectCounterGrows(() => link(a, boId).then((l) => l?.inboundBytes ?? 0));

  const sent1 = await sentAt();
  expect(sent1.n - sent0.n).toBeLessThanOrEqual(1 + (5 * (sent1.t - sent0.t)) / 1000);

  // Unmute: audio flows again.
  await a.click("#voice-mute");
  await expect.poll(() => a.evaluate(() => window.__gemba_voice!.muted)).toBe(false);
  await expectCounterGrows(() => link(b, adaId).then((l) => l?.inboundBytes ?? 0));

  // A third person joins the call and is connected to both.
  const cy = await person("Cy");
  const c = cy.page;
  const cyId = await seatOf(c);
  await c.click("#voice-join");
  await expect.poll(() => linkStates(c)).toEqual([`${adaId}:connected`, `${boId}:connected`].sort());
  await expect.poll(() => linkStates(a)).toEqual([`${boId}:connected`, `${cyId}:connected`].sort());
  await expect.poll(() => linkStates(b)).toEqual([`${adaId}:connected`, `${cyId}:connected`].sort());
  await expectCounterGrows(() => link(c, adaId).then((l) => l?.inboundBytes ?? 0));
  await expectCounterGrows(() => link(c, boId).then((l) => l?.inboundBytes ?? 0));

  // Cy leaves the call: the others hang up on Cy.
  await c.click("#voice-join");
  await expect.poll(() => c.evaluate(() => window.__gemba_voice!.inCall)).toBe(false);
  await expect.poll(() => linkStates(a)).toEqual([`${boId}:connected`]);
  await expect.poll(() => linkStates(b)).toEqual([`${adaId}:connected`]);

  // Bo leaves the room (closes the page): Ada hangs up on Bo.
  await b.close();
  await expect.poll(() => linkStates(a)).toEqual([]);

  for (const w of [ada.watch, bo.watch, cy.watch]) {
    expect(w.offOrigin).toEqual([]);
    expect(w.errors).toEqual([]);
  }
});

test("microphone trouble is explained: refused, missing, unplugged", async () => {
  test.setTimeout(480_000); // loading the plant page alone takes up to 90 s on a busy 2-core machine
  const page = await rig.page();
  // The test decides what the microphone does; "ok" opens the fake device and keeps its track.
  await page.addInitScript(() => {
    const w = window as unknown as { __micMode: string; __micTrack: MediaStreamTrack | null };
    w.__micMode = "deny";
    w.__micTrack = null;
    const md = navigator.mediaDevices;
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = async (c) => {
      if (w.__micMode === "deny") throw new DOMException("Permission denied", "NotAllowedError");
      if (w.__micMode === "missing") throw new DOMException("Requested device not found", "NotFoundError");
      const s = await gum(c);
      w.__micTrack = s.getAudioTracks()[0] ?? null;
      return s;
    };
  });
  const setMode = (m: string) => page.evaluate((x) => ((window as unknown as { __micMode: string }).__micMode = x), m);
  const watch = watchPage(page, rig.server.url);
  await joinAs(page, rig.server.url, "Dee");
  const me = await seatOf(page);

  await page.click("#voice-join");
  await expect(page.locator("#voice-msg")).toContainText("Microphone access was refused");
  await expect(page.locator("#voice-join")).toHaveText("Join voice");
  expect(await page.evaluate(() => window.__gemba_voice!.inCall)).toBe(false);
  await expect.poll(() => seatFlags(page, me)).toMatchObject({ inCall: false });

  await setMode("missing");
  await page.click("#voice-join");
  await expect(page.locator("#voice-msg")).toContainText("No microphone was found");
  expect(await page.evaluate(() => window.__gemba_voice!.inCall)).toBe(false);

  await setMode("ok");
  await page.click("#voice-join");
  await expect.poll(() => seatFlags(page, me)).toMatchObject({ inCall: true, muted: false });
  await expect(page.locator("#voice-msg")).toBeHidden();
  // Unplugging ends the track (the browser fires "ended"; here the test fires it).
  await page.evaluate(() =>
    (window as unknown as { __micTrack: MediaStreamTrack }).__micTrack.dispatchEvent(new Event("ended")),
  );
  await expect(page.locator("#voice-msg")).toContainText("Your microphone stopped");
  await expect.poll(() => seatFlags(page, me)).toMatchObject({ inCall: true, muted: true });
  expect(watch.errors).toEqual([]);
  expect(watch.offOrigin).toEqual([]);
});
