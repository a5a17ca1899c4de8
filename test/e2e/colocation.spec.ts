/**
 * Co-location with two emulated Quest 3 headsets (iwer) in one real room. The
 * headsets booted in different places, so each one's local space is the room
 * turned and shifted differently (`Device` below). Before calibration, a third
 * participant's laser on an asset shows at two different real spots. Then Olu
 * sets the room's two marks from his headset (Align tab, mark 1, mark 2 with the
 * right controller) and Bea aligns hers to the same two real marks: now both see
 * the laser end on the same asset at the same real spot.
 *
 * In a scanned room (@iwer/sem's small office, placed per headset by its boot
 * pose) each mark lands where the controller's ray meets the real floor (WebXR
 * hit test) and is kept as a WebXR anchor. With no scanned room the controller's
 * tip held on the mark counts. The same story runs in AR (passthrough): there
 * the alignment replaces a miniature placed by hand, and the panel says so.
 */
import { expect, test } from "./fixtures.ts";
import type { Browser, Page } from "@playwright/test";
import { devClient } from "../../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { listUv } from "../../client/xr/panelLayout.ts";
import { enterXr, openTab, pressWrist } from "./xrWrist.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { HAND_PLACEMENT_GAVE_WAY } from "../../client/xr/CoLocation.ts";
import { click, installIwer, semRoom, xrFrames } from "../../kit/iwer.ts";
import { joinAs, watchPage, type PageWatch } from "./page.ts";

type V3 = [number, number, number];

// A server per test: each story starts in a room whose marks nobody has set (the room keeps its marks).
let server: RunningServer;
test.beforeEach(async () => {
  server = await startAppServer();
});
test.afterEach(async () => {
  await server?.stop();
});

/** Where a headset booted: its local (iwer device) frame is the room shifted to `origin` and turned by `yaw`. */
interface Device {
  origin: V3;
  yaw: number;
}

function toDevice(d: Device, p: V3): V3 {
  const dx = p[0] - d.origin[0];
  const dz = p[2] - d.origin[2];
  const c = Math.cos(-d.yaw);
  const s = Math.sin(-d.yaw);
  return [dx * c + dz * s, p[1] - d.origin[1], -dx * s + dz * c];
}

function toRoom(d: Device, l: V3): V3 {
  const c = Math.cos(d.yaw);
  const s = Math.sin(d.yaw);
  return [d.origin[0] + l[0] * c + l[2] * s, d.origin[1] + l[1], d.origin[2] - l[0] * s + l[2] * c];
}

const add = (a: V3, b: V3): V3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const dist = (a: V3, b: V3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Two marks on the real floor (room coordinates, metres), 1.4 m apart: the tip held 10 cm above each. */
const MARK_1: V3 = [-0.4, 0.1, -0.9];
const MARK_2: V3 = [0.9, 0.1, -1.4];

/**
 * The small office's floor (its FLOOR plane, @iwer/sem captures/office_small.json) and two marks on open floor,
 * 1.4 m apart, clear of the desk and of the low objects its scan holds (found by casting rays down a 20 cm grid).
 */
const OFFICE_FLOOR_Y = 0.049;
const OFFICE_MARK_1: V3 = [-0.8, OFFICE_FLOOR_Y, 0.4];
const OFFICE_MARK_2: V3 = [0.6, OFFICE_FLOOR_Y, 0.6];

/** Stand at `head` (room coordinates) facing -z, controllers held in front; everything told to iwer in device space. */
async function stand(page: Page, d: Device, head: V3): Promise<void> {
  const at = (off: V3) => toDevice(d, add(head, off));
  await page.evaluate(
    ([h, ht, l, lt, r, rt]) => {
      window.__iwer!.headset(h, ht);
      window.__iwer!.pose("controller-left", l, lt);
      window.__iwer!.pose("controller-right", r, rt);
    },
    [
      at([0, 0, 0]),
      at([0, -0.3, -1.5]),
      at([-0.2, -0.3, -0.35]),
      at([-0.15, -0.15, -1.3]),
      at([0.22, -0.3, -0.35]),
      at([0.2, -0.3, -1.3]),
    ] as const,
  );
}

/** Touch a real mark with the right controller's tip (pointing down at it) and pull the trigger. */
async function touchMark(page: Page, d: Device, mark: V3): Promise<void> {
  await page.evaluate(([at, target]) => window.__iwer!.pose("controller-right", at, target), [
    toDevice(d, mark),
    toDevice(d, add(mark, [0, -1, -0.2])),
  ] as const);
  await xrFrames(page, 3);
  await click(page, "controller-right");
}

/**
 * Point the right controller at a mark on the scanned floor from `from` (an offset above it, in the room), wait
 * until the hit test's ring sits on the floor there, and pull the trigger.
 */
async function pointAtMark(page: Page, d: Device, mark: V3, from: V3): Promise<void> {
  await page.evaluate(([at, target]) => window.__iwer!.pose("controller-right", at, target), [
    toDevice(d, add(mark, from)),
    toDevice(d, mark),
  ] as const);
  const want = toDevice(d, mark);
  await expect
    .poll(
      async () => {
        const at = await page.evaluate(() => {
          const ring = window.__gemba!.scene()!.scene.getMeshByName("_xrMarkRing");
          if (!ring?.isEnabled()) return null;
          return window.__iwer!.worldToDevice([ring.position.x, ring.position.y, ring.position.z]);
        });
        return at ? dist(at, want) : "no ring";
      },
      { message: "the ring sits on the floor where the controller points" },
    )
    .toBeLessThan(0.02);
  await click(page, "controller-right");
}

type Mark = (page: Page, d: Device, which: 0 | 1) => Promise<void>;
const touchMarks: Mark = (page, d, which) => touchMark(page, d, which === 0 ? MARK_1 : MARK_2);

async function calibrate(
  page: Page,
  d: Device,
  head: V3,
  action: { slot: number; label: string },
  mark: Mark = touchMarks,
): Promise<void> {
  await openTab(page, "align");
  await expect.poll(() => page.evaluate(() => window.__gemba_xr!.tabText)).toContain(`[${action.label}]`);
  expect(await pressWrist(page, "_xrList", listUv({ area: "action", slot: action.slot }))).toBe("list:calibrate");
  expect((await page.evaluate(() => window.__gemba_xr!.calibration)).step).toBe("p1");
  await mark(page, d, 0);
  expect((await page.evaluate(() => window.__gemba_xr!.calibration)).step).toBe("p2");
  await mark(page, d, 1);
  await page.waitForFunction(() => window.__gemba_xr?.calibration.aligned === true, null, { timeout: 60_000 });
  await stand(page, d, head);
  await xrFrames(page, 3);
}

/**
 * Where this headset shows the other participant's laser end, in device space, and which asset the laser hits.
 * Waits until the laser is shown at `target` (plant coordinates).
 */
async function laserSeen(page: Page, seat: string, target: V3): Promise<{ device: V3; twin: string | null }> {
  await page.waitForFunction(
    ([s, t]) => {
      const dot = window.__gemba!.scene()!.scene.getMeshByName(`_avatarDot.${s}`);
      return (
        !!dot &&
        dot.isEnabled() &&
        Math.hypot(dot.position.x - t[0], dot.position.y - t[1], dot.position.z - t[2]) < 1e-3
      );
    },
    [seat, target] as const,
    { timeout: 60_000 },
  );
  return page.evaluate((s) => {
    const ps = window.__gemba!.scene()!;
    const scene = ps.scene;
    const seatState = window.__gemba!.state()!.seats.get(s)!;
    const dot = scene.getMeshByName(`_avatarDot.${s}`)!;
    dot.computeWorldMatrix(true);
    const end = dot.getAbsolutePosition();
    const p = seatState.pointer;
    const o = window.__iwer!.nodeToWorld("_plantFrame", [p.ox, p.oy, p.oz]);
    const cam = scene.activeCamera!;
    // Babylon's classes are bundled away; reach Ray and Vector3 through instances the page already has.
    const RayCtor = cam.getForwardRay().constructor as new (o: unknown, d: unknown, l: number) => never;
    const VecCtor = end.constructor as new (x: number, y: number, z: number) => typeof end;
    const from = new VecCtor(o[0], o[1], o[2]);
    const dir = end.subtract(from);
    const len = dir.length();
    dir.normalize();
    const hit = scene.pickWithRay(
      new RayCtor(from, dir, len + 0.5),
      (m) => m.isPickable && m.isEnabled() && m.isVisible && !m.name.startsWith("_"),
    );
    return {
      device: window.__iwer!.worldToDevice([end.x, end.y, end.z]),
      twin: hit?.pickedMesh ? ps.twinOf(hit.pickedMesh) : null,
    };
  }, seat);
}

function expectClean(watch: PageWatch): void {
  expect(watch.offOrigin, "requests off the app's origin").toEqual([]);
  expect(watch.errors, "console errors").toEqual([]);
}

interface Scenario {
  olu: Device;
  bea: Device;
  oluHead: V3;
  beaHead: V3;
  /** Load the small office into both headsets (each placed by its boot pose). */
  scannedRoom: boolean;
  oluMarks?: Mark;
  beaMarks?: Mark;
  /** Immersive VR (the default) or AR; in AR Olu first puts the miniature down by hand, Bea does not. */
  mode?: "vr" | "ar";
}

/** Both headsets join and enter VR; Cy (an SDK client) points at T101; returns Cy's seat, the target and the pages. */
async function twoHeadsetsAndALaser(browser: Browser, sc: Scenario) {
  const pages: Page[] = [];
  const watches: PageWatch[] = [];
  for (const [name, d, head] of [
    ["Olu", sc.olu, sc.oluHead],
    ["Bea", sc.bea, sc.beaHead],
  ] as const) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 360 } });
    const page = await context.newPage();
    watches.push(watchPage(page, server.url));
    await installIwer(page, { sem: sc.scannedRoom });
    await joinAs(page, server.url, name);
    if (sc.scannedRoom) {
      await page.evaluate(
        ([room, at, yaw]) => {
          window.__iwer!.loadRoom(room);
          window.__iwer!.placeRoom(at, yaw);
        },
        [semRoom("office_small"), toDevice(d, [0, 0, 0]), -d.yaw] as const,
      );
    }
    await stand(page, d, head);
    await enterXr(page, sc.mode ?? "vr");
    pages.push(page);
  }
  if (sc.mode === "ar") {
    // Olu puts the miniature plant down by hand, as AR starts; Bea goes straight to the Align tab.
    await click(pages[0]!, "controller-right");
    await pages[0]!.waitForFunction(
      () => window.__gemba_xr?.placed === true && window.__gemba_xr.scaleMode === "tabletop",
    );
    expect(await pages[1]!.evaluate(() => window.__gemba_xr!.placed)).toBe(false);
  }
  const [pa, pb] = pages as [Page, Page];

  // A third participant (a desktop, here an SDK client) points at T101's centre.
  const target = await pa.evaluate(() => {
    const c = window.__gemba!.scene()!.twins.get("T101")!.center;
    return [c.x, c.y, c.z] as [number, number, number];
  });
  const cy = await (
    await devClient(server.url, "Cy")
  ).joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name: "Cy", device: "desktop" },
    PlantRoomState,
  );
  cy.onMessage("welcome", () => {});
  cy.onMessage("error", () => {});
  cy.send("pose", {
    h: [target[0], target[1] + 3, target[2] - 6, 0, 0, 0, 1],
    p: { o: [target[0], target[1] + 2.75, target[2] - 6], t: target, twin: "T101" },
  });
  await expect.poll(() => [...cy.state.seats.values()].find((s) => s.name === "Cy")?.pointer.active).toBe(true);
  const seatC = [...cy.state.seats.values()].find((s) => s.name === "Cy")!.id;
  return { pa, pb, watches, cy, seatC, target };
}

/** The whole story: apart before calibrating, Olu sets the marks, Bea aligns, one real spot after. */
async function calibrateAndCompare(browser: Browser, sc: Scenario): Promise<{ pa: Page; pb: Page }> {
  const { olu, bea, oluHead, beaHead } = sc;
  const { pa, pb, watches, cy, seatC, target } = await twoHeadsetsAndALaser(browser, sc);

  if (sc.mode !== "ar") {
    // Control: not calibrated, each headset puts the plant relative to where it booted; the laser ends apart.
    const before = [
      toRoom(olu, (await laserSeen(pa, seatC, target)).device),
      toRoom(bea, (await laserSeen(pb, seatC, target)).device),
    ];
    expect(dist(before[0]!, before[1]!), "uncalibrated: the laser is at two different real spots").toBeGreaterThan(1);
  }

  // Olu (an expert) sets the room's marks; Bea aligns to them at the same two real marks.
  await calibrate(pa, olu, oluHead, { slot: 1, label: "Set marks" }, sc.oluMarks);
  expect(await pa.evaluate(() => window.__gemba!.state()!.calibration.setBy)).toBe("Olu");
  if (sc.mode === "ar") {
    // Calibration wins over Olu's placement by hand: the plant is full size on the marks, and the panel says so.
    await expect.poll(() => pa.evaluate(() => window.__gemba_xr!.tabText)).toContain(HAND_PLACEMENT_GAVE_WAY);
    expect(await pa.evaluate(() => window.__gemba_xr!.placement.scale)).toBe(1);
  }
  await pb.waitForFunction(() => window.__gemba!.state()?.calibration.setBy === "Olu");
  await calibrate(pb, bea, beaHead, { slot: 0, label: "Align" }, sc.beaMarks);
  const aligned = await pb.evaluate(() => window.__gemba_xr!.calibration);
  expect(aligned.error).toBeLessThan(0.01);

  const seenA = await laserSeen(pa, seatC, target);
  const seenB = await laserSeen(pb, seatC, target);
  expect(seenA.twin).toBe("T101");
  expect(seenB.twin).toBe("T101");
  const realA = toRoom(olu, seenA.device);
  const realB = toRoom(bea, seenB.device);
  expect(dist(realA, realB), "calibrated: the laser ends at one real spot").toBeLessThan(0.03);

  await cy.leave();
  watches.forEach(expectClean);
  return { pa, pb };
}

test("two headsets that calibrated on the same two marks see a third user's laser hit the same asset at the same real spot; before calibrating they did not", async ({
  browser,
}) => {
  // Two emulated headsets on software rendering: each step waits for both pages' XR frames.
  test.setTimeout(480_000);
  const { pa, pb } = await calibrateAndCompare(browser, {
    olu: { origin: [0, 0, 0], yaw: 0 },
    bea: { origin: [2.5, 0, -0.8], yaw: 1.0 },
    oluHead: [0, 1.6, 0.8],
    beaHead: [1.8, 1.6, 0.4],
    scannedRoom: false,
  });
  // No scanned room, so no hit test: the marks are the controller's tip, and there is nothing to anchor.
  for (const p of [pa, pb]) {
    expect(await p.evaluate(() => window.__gemba_xr!.calibration)).toMatchObject({ onSurface: 0, anchors: 0 });
    await p.context().close();
  }
});

/**
 * The scanned-room story: Olu points at the marks from one side, Bea from the other, both booted elsewhere in the
 * small office; only the floor under the ray is common.
 */
function scannedOffice(): Scenario {
  const oluAim: V3[] = [
    [0.2, 0.9, 0.35],
    [0.25, 0.85, 0.3],
  ];
  const beaAim: V3[] = [
    [-0.3, 0.95, 0.2],
    [-0.2, 0.9, 0.25],
  ];
  const officeMark = (which: 0 | 1) => (which === 0 ? OFFICE_MARK_1 : OFFICE_MARK_2);
  return {
    olu: { origin: [0.3, 0, 0.2], yaw: 0.4 },
    bea: { origin: [-0.5, 0, -0.3], yaw: -1.1 },
    oluHead: [-0.2, 1.6, 0.9],
    beaHead: [0.4, 1.6, 0.6],
    scannedRoom: true,
    oluMarks: (page, d, which) => pointAtMark(page, d, officeMark(which), oluAim[which]!),
    beaMarks: (page, d, which) => pointAtMark(page, d, officeMark(which), beaAim[which]!),
  };
}

/** Both headsets' marks landed on the scanned floor and are kept as anchors; the room's marks are on the floor. */
async function expectMarksOnTheFloor(pa: Page, pb: Page): Promise<void> {
  for (const p of [pa, pb]) {
    await expect
      .poll(() => p.evaluate(() => window.__gemba_xr!.calibration))
      .toMatchObject({ aligned: true, onSurface: 2, anchors: 2 });
  }
  // The room's marks were set on the floor, not at the controller's height (~0.9 m above it).
  const room = await pa.evaluate(() => {
    const c = window.__gemba!.state()!.calibration;
    return [c.ay, c.by];
  });
  for (const y of room) expect(Math.abs(y - OFFICE_FLOOR_Y)).toBeLessThan(0.03);
}

test("in a scanned room each mark lands where the controller's ray meets the real floor and is kept as an anchor; two headsets booted in different places then see a third user's laser at the same real spot", async ({
  browser,
}) => {
  test.setTimeout(480_000);
  const { pa, pb } = await calibrateAndCompare(browser, scannedOffice());
  await expectMarksOnTheFloor(pa, pb);
  for (const p of [pa, pb]) await p.context().close();
});

test("in AR two headsets mark the same two real spots on the scanned floor: each plant lines up full size on the room, a miniature placed by hand gives way, and a third user's laser ends at one real spot; when the headset moves the anchors, the plant follows", async ({
  browser,
}) => {
  test.setTimeout(480_000);
  const { pa, pb } = await calibrateAndCompare(browser, { ...scannedOffice(), mode: "ar" });
  for (const p of [pa, pb]) {
    const xr = await p.evaluate(() => window.__gemba_xr!);
    expect(xr.mode).toBe("ar");
    expect(xr.placed).toBe(true);
    expect(xr.placement.scale).toBe(1);
  }
  await expectMarksOnTheFloor(pa, pb);

  // The headset refines its tracking and moves Bea's two mark anchors. 3 mm is noise: the plant stays put.
  const placed = () => pb.evaluate(() => window.__gemba_xr!.placement);
  const before = await placed();
  expect(await pb.evaluate(() => window.__iwer!.moveAnchors([0.003, 0, 0]))).toBe(2);
  // Anchors are read every 30 frames: 70 frames is two reads or more.
  await xrFrames(pb, 70);
  expect(await placed()).toEqual(before);
  // 4 cm more: the alignment is recomputed from the anchors, and the plant moves with them (4.3 cm in all; the
  // scene's axes may be turned from the device's about the vertical, so the distance is compared, not x).
  await pb.evaluate(() => window.__iwer!.moveAnchors([0.04, 0, 0]));
  const shift = async () => {
    const now = await placed();
    return Math.hypot(now.x - before.x, now.z - before.z);
  };
  await expect.poll(shift, { timeout: 60_000 }).toBeCloseTo(0.043, 3);
  const after = await placed();
  expect(after.y).toBeCloseTo(before.y, 4);
  expect(after.yaw).toBeCloseTo(before.yaw, 4);
  for (const p of [pa, pb]) await p.context().close();
});
