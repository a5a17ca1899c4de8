/**
 * Co-location reference points through a real server: an operator sets them and
 * every participant receives them; bad points and a viewer's attempt are refused
 * with a reason and counted, and change nothing; the points survive a restart.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { calibrationBookFor } from "../../server/collab/CalibrationBook.ts";
import { join, refusalOf, startServer, waitForState, type Harness } from "./harness.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-calib-"));
let h: Harness | undefined;
afterAll(async () => {
  await h?.server.stop();
});

const bookOf = (x: Harness) => {
  const rt = x.server.hub.loaded().find((r) => r.plant.model.id === "demo")!;
  return calibrationBookFor(rt.store, "demo", Date.now);
};

describe("co-location reference points", () => {
  it("an operator sets them and everyone receives them; bad points and a viewer are refused and counted; they survive a restart", async () => {
    h = await startServer({ DATA_DIR: dataDir });
    const op = await join(h, "Olu", { role: "operator", device: "headset" });
    const viewer = await join(h, "Vi", { role: "viewer", device: "headset" });
    expect(op.state.calibration.setBy).toBe("");

    const stored = await op.request<unknown, { journalId: number }>("calibrate", { a: [1, 0, -2], b: [4, 0.1, -2] });
    expect(stored.journalId).toBeGreaterThan(0);
    const s = await waitForState(viewer, (st) => st.calibration.setBy === "Olu", "the viewer receives the points");
    expect([s.calibration.ax, s.calibration.ay, s.calibration.az]).toEqual([1, 0, -2]);
    expect([s.calibration.bx, s.calibration.by, s.calibration.bz]).toEqual([4, 0.1, -2]);

    const book = bookOf(h);
    const before = { ...book.counters };
    const refusals = await Promise.all([
      refusalOf(op.request("calibrate", { a: [Number.NaN, 0, 0], b: [2, 0, 0] })),
      refusalOf(op.request("calibrate", { a: [1e9, 0, 0], b: [2, 0, 0] })),
      refusalOf(op.request("calibrate", { a: [2, 0, 2], b: [2, 1.5, 2.1] })),
      refusalOf(op.request("calibrate", { a: [0, 0, 0] })),
      refusalOf(viewer.request("calibrate", { a: [0, 0, 0], b: [3, 0, 0] })),
    ]);
    expect(refusals.map((r) => r?.code)).toEqual(["invalid", "invalid", "invalid", "invalid", "forbidden"]);
    expect(refusals[0]!.message).toMatch(/^a\.0: /);
    expect(refusals[1]!.message).toMatch(/^a\.0: /);
    expect(refusals[2]!.message).toBe("The two calibration points must be at least 0.3 m apart on the floor plan.");
    expect(refusals[4]!.message).toMatch(/^A viewer cannot set the room's calibration points/);
    expect(book.counters.invalid - before.invalid).toBe(4);
    expect(book.counters.forbidden - before.forbidden).toBe(1);
    expect(book.counters.accepted).toBe(before.accepted);
    // Nothing changed for anyone.
    expect(op.state.calibration.ax).toBe(1);
    expect(op.state.calibration.bx).toBe(4);

    // The journal says who set them and who was refused (read from the store: the journal API is admin-only).
    const store = h.server.hub.loaded().find((r) => r.plant.model.id === "demo")!.store;
    const journal = (kind: string) => store.query({ plant: "demo", kinds: [kind] });
    expect(journal("calibration.set").map((e) => e.actor)).toEqual(["Olu"]);
    expect(
      journal("denied")
        .filter((e) => e.data["action"] === "calibrate")
        .map((e) => e.actor),
    ).toEqual(["Vi"]);

    await op.leave();
    await viewer.leave();
    await h.server.stop();
    h = await startServer({ DATA_DIR: dataDir });
    const again = await join(h, "Ana", { device: "headset" });
    const after = await waitForState(again, (st) => st.calibration.setBy === "Olu", "points restored after restart");
    expect([after.calibration.ax, after.calibration.az, after.calibration.bx]).toEqual([1, -2, 4]);
    await again.leave();
  });
});
