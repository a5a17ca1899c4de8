/**
 * The in-XR tabs' pure parts: what each tab offers to which role (the same table
 * the server enforces), the hit test from a ray's texture coordinates to a button,
 * and co-location from two touched marks (client/xr/Calibration.ts): two headsets
 * whose local frames differ agree on where plant points are in the real room.
 */
import { describe, expect, it } from "vitest";
import { ALARM_STATE_WORDS } from "../../shared/alarmWords.ts";
import { CalibrationFlow, type V3 } from "../../client/xr/Calibration.ts";
import { LIST_TEX_H, listHitAt, listUv, tabAt, tabUv } from "../../client/xr/panelLayout.ts";
import {
  alarmsTab,
  alignTab,
  notesTab,
  peopleTab,
  QUICK_LABELS,
  TABS,
  tabText,
  VISIBLE_ROWS,
  type AlarmLike,
  type NoteLike,
  type SeatLike,
} from "../../client/xr/panelModels.ts";
import { plantToLocal } from "../../client/xr/placementMath.ts";

const alarm = (id: string, over: Partial<AlarmLike> = {}): AlarmLike => ({
  id,
  twin: id.split(":")[1] ?? "P101",
  severity: 2,
  state: "unack-active",
  message: "level above its alarm limit",
  activeAt: 1000,
  ackedBy: "",
  shelvedBy: "",
  shelvedUntil: 0,
  ...over,
});
const seat = (id: string, over: Partial<SeatLike> = {}): SeatLike => ({
  id,
  name: id.toUpperCase(),
  color: "#ff0000",
  device: "desktop",
  presence: "online",
  joinedAt: 0,
  inCall: false,
  muted: false,
  speaking: false,
  ...over,
});
const note = (id: string, over: Partial<NoteLike> = {}): NoteLike => ({
  id,
  kind: "pin",
  twin: "T101",
  text: "Leak?",
  author: "Ada",
  authorSeat: "s-ada",
  color: "#00ff00",
  status: "open",
  createdAt: 1,
  ...over,
});

describe("alarms tab", () => {
  const list = [
    alarm("a:T101", { state: "ack-active", severity: 4, ackedBy: "Olu" }),
    alarm("b:P101", { severity: 3 }),
    alarm("c:P102", { shelvedUntil: Date.UTC(2026, 0, 1, 12, 0), shelvedBy: "Bo" }),
  ];

  it("an operator gets Ack on unacknowledged alarms and Shelve/Unshelve; unacknowledged come first", () => {
    const m = alarmsTab(list, "operator");
    expect(m.header).toBe("3 alarms · 1 not acknowledged");
    expect(m.rows.map((r) => r.text.split(" · ")[0])).toEqual(["P101", "T101", "P102"]);
    expect(m.rows.map((r) => r.buttons.map((b) => b?.label ?? null))).toEqual([
      ["Ack", "Shelve"],
      [null, "Shelve"],
      [null, "Unshelve"],
    ]);
    expect(m.rows[0]!.buttons[0]!.action).toEqual({ kind: "ack", alarm: "b:P101" });
    expect(m.rows[1]!.sub).toBe("Active, acknowledged by Olu");
  });

  it("says each state in the desktop's words (shared/alarmWords.ts), never the wire's codes", () => {
    const m = alarmsTab(
      [
        alarm("a:P101", { state: "unack-active", activeAt: 4 }),
        alarm("b:P102", { state: "rtn-unack", activeAt: 3 }),
        alarm("c:P103", { state: "ack-active", ackedBy: "Olu", activeAt: 2 }),
        alarm("d:P104", { state: "ack-active", shelvedUntil: Date.UTC(2026, 0, 1, 12, 0), shelvedBy: "Bo" }),
      ],
      "operator",
    );
    expect(m.rows.map((r) => r.sub.replace(/\d\d:\d\d/, "hh:mm"))).toEqual([
      ALARM_STATE_WORDS["unack-active"],
      ALARM_STATE_WORDS["rtn-unack"],
      `${ALARM_STATE_WORDS["ack-active"]} by Olu`,
      "Shelved until hh:mm by Bo",
    ]);
    expect(tabText(m)).not.toMatch(/unack|ack-active|rtn-|unacknowledged/);
  });

  it("a viewer sees the same alarms and no buttons", () => {
    const m = alarmsTab(list, "viewer");
    expect(m.rows).toHaveLength(3);
    expect(m.rows.flatMap((r) => r.buttons).every((b) => b === null)).toBe(true);
  });

  it("shows at most a few rows and says how many more there are", () => {
    const many = Array.from({ length: 7 }, (_, i) => alarm(`x${i}:P10${i}`));
    const m = alarmsTab(many, "operator");
    expect(m.rows).toHaveLength(VISIBLE_ROWS);
    expect(m.more).toBe(7 - VISIBLE_ROWS);
    expect(tabText(m)).toContain(`+${7 - VISIBLE_ROWS} more`);
  });
});

describe("people tab", () => {
  it("lists me first, then whom I follow and who speaks, with device and voice; Follow for the others only", () => {
    const seats = [
      seat("a", { joinedAt: 1 }),
      seat("me", { joinedAt: 2, device: "headset" }),
      seat("b", { joinedAt: 3, inCall: true, speaking: true }),
      seat("c", { joinedAt: 4, inCall: true, muted: true, device: "tablet" }),
    ];
    const m = peopleTab(seats, { seat: "me", name: "ME", role: "viewer" }, "c");
    expect(m.header).toBe("4 here · following C");
    expect(m.rows.map((r) => [r.text, r.sub])).toEqual([
      ["ME (you)", "headset · not in voice"],
      ["C", "tablet · muted"],
      ["B", "desktop · speaking"],
      ["A", "desktop · not in voice"],
    ]);
    expect(m.rows.map((r) => r.buttons[1]?.label ?? null)).toEqual([null, "Unfollow", "Follow", "Follow"]);
    expect(m.rows[2]!.buttons[1]!.action).toEqual({ kind: "follow", seat: "b" });
  });
});

describe("notes tab", () => {
  const notes = [
    note("n1", { createdAt: 1 }),
    note("n2", { createdAt: 2, author: "Bo", authorSeat: "s-bo", text: "OK" }),
    note("n3", { twin: "P101" }),
    note("n4", { createdAt: 3, status: "resolved" }),
  ];

  it("lists the selected asset's notes, open and newest first, with quick labels for an operator", () => {
    const m = notesTab(notes, "T101", { seat: "s-ada", name: "Ada", role: "operator" });
    expect(m.header).toBe("Notes on T101 (3)");
    expect(m.actions.map((a) => a?.label)).toEqual([...QUICK_LABELS, "Write…"]);
    expect(m.rows.map((r) => r.text)).toEqual(["OK", "Leak?", "Leak?"]);
    // An operator resolves their own open note, not Bo's; an expert may resolve any.
    expect(m.rows.map((r) => r.buttons[1]?.label ?? null)).toEqual([null, "Resolve", null]);
    const expert = notesTab(notes, "T101", { seat: "s-x", name: "X", role: "expert" });
    expect(expert.rows.map((r) => r.buttons[1]?.label ?? null)).toEqual(["Resolve", "Resolve", null]);
  });

  it("a viewer can read notes but gets no labels to pin; nothing selected says how to start", () => {
    const m = notesTab(notes, "T101", { seat: "s-v", name: "V", role: "viewer" });
    expect(m.actions.every((a) => a === null)).toBe(true);
    expect(notesTab(notes, null, { seat: "s-v", name: "V", role: "viewer" }).header).toMatch(/^Select an asset/);
  });
});

describe("align tab", () => {
  const base = { setBy: "", step: "idle" as const, aligned: false, error: 0, note: "" };
  it("offers to set marks only to an operator or above; aligning to existing marks to anyone", () => {
    expect(alignTab(base, "viewer").actions.every((a) => a === null)).toBe(true);
    expect(alignTab(base, "operator").actions.map((a) => a?.label ?? null)).toEqual([null, "Set marks", null]);
    expect(alignTab({ ...base, setBy: "Olu" }, "viewer").actions.map((a) => a?.label ?? null)).toEqual([
      "Align",
      null,
      null,
    ]);
    const aligned = alignTab({ ...base, setBy: "Olu", aligned: true, error: 0.012 }, "expert");
    expect(aligned.header).toBe("Aligned to the room (touch error 1 cm)");
    expect(aligned.actions.map((a) => a?.label ?? null)).toEqual(["Align", "New marks", "Undo"]);
  });
  it("during the marks it says which mark to point at and offers Cancel", () => {
    const m = alignTab({ ...base, setBy: "Olu", step: "p2" }, "viewer");
    expect(m.header).toBe("Now point at mark 2, pull the trigger");
    expect(m.actions[2]?.action).toEqual({ kind: "calibrate-cancel" });
  });
});

describe("panel hit test", () => {
  it("maps every button's centre back to that button, and the gaps to nothing", () => {
    for (let slot = 0; slot < 3; slot++) {
      const [u, v] = listUv({ area: "action", slot });
      expect(listHitAt(u, v)).toEqual({ area: "action", slot });
    }
    for (let row = 0; row < VISIBLE_ROWS; row++) {
      for (let slot = 0; slot < 2; slot++) {
        const [u, v] = listUv({ area: "row", row, slot });
        expect(listHitAt(u, v)).toEqual({ area: "row", row, slot });
      }
    }
    expect(listHitAt(0.1, 1 - 20 / LIST_TEX_H)).toBeNull(); // the header
    expect(listHitAt(0.2, 0.3)).toBeNull(); // a row's text
    expect(listHitAt(1.2, 0.5)).toBeNull();
    for (const tab of TABS) expect(tabAt(...tabUv(tab))).toBe(tab);
  });
});

describe("co-location from two touched marks", () => {
  // Two headsets booted in different places: local = R(yaw)·(physical − origin). Marks on the floor.
  const toLocal = (origin: V3, yaw: number, p: V3): V3 => {
    const dx = p[0] - origin[0];
    const dz = p[2] - origin[2];
    const c = Math.cos(-yaw);
    const s = Math.sin(-yaw);
    return [dx * c + dz * s, p[1] - origin[1], -dx * s + dz * c];
  };
  const markA: V3 = [-0.5, 0.05, -1];
  const markB: V3 = [1.2, 0.05, -1.6];
  const centre: V3 = [3, 0, -4];

  it("the first headset sets the room's marks from where it stands; a second, booted elsewhere, maps plant points onto the same real spots", () => {
    const d1 = { origin: [0, 0, 0] as V3, yaw: 0 };
    const d2 = { origin: [2, 0, -1] as V3, yaw: 1.1 };
    // Device 1: uncalibrated, its plant frame is its local frame (identity).
    const first = new CalibrationFlow();
    first.start(true);
    expect(first.touch(toLocal(d1.origin, d1.yaw, markA), null, (p) => p, centre).kind).toBe("next");
    const set = first.touch(toLocal(d1.origin, d1.yaw, markB), null, (p) => p, centre);
    if (set.kind !== "define") throw new Error(set.kind);
    expect(set.alignment.error).toBeLessThan(1e-9);

    const second = new CalibrationFlow();
    second.start(false);
    second.touch(toLocal(d2.origin, d2.yaw, markA), [set.a, set.b], (p) => p, centre);
    const out = second.touch(toLocal(d2.origin, d2.yaw, markB), [set.a, set.b], (p) => p, centre);
    if (out.kind !== "aligned") throw new Error(out.kind);
    // A plant point (say where a third user points) lands on one real spot for both.
    const plantPoint: V3 = [7, 1.2, -3];
    const on1 = plantToLocal(set.alignment, ...centre, ...plantPoint, [0, 0, 0]);
    const on2 = plantToLocal(out.alignment, ...centre, ...plantPoint, [0, 0, 0]);
    // Back from each device's local frame to the real room (the inverse of toLocal).
    const physical = (o: V3, yaw: number, l: V3): V3 => {
      const c = Math.cos(yaw);
      const s = Math.sin(yaw);
      return [o[0] + l[0] * c + l[2] * s, o[1] + l[1], o[2] - l[0] * s + l[2] * c];
    };
    const p1 = physical(d1.origin, d1.yaw, on1);
    const p2 = physical(d2.origin, d2.yaw, on2);
    expect(p1).toHaveLength(3);
    p2.forEach((v, i) => expect(p1[i], `axis ${i}`).toBeCloseTo(v, 9));
    // Control: without calibration (identity on both), the same plant point is at two different real spots.
    const u1 = physical(d1.origin, d1.yaw, plantPoint);
    const u2 = physical(d2.origin, d2.yaw, plantPoint);
    expect(Math.hypot(u1[0] - u2[0], u1[2] - u2[2])).toBeGreaterThan(1);
  });

  it("touching marks whose spacing does not match the room's is refused with the distances", () => {
    const flow = new CalibrationFlow();
    flow.start(false);
    const room: [V3, V3] = [
      [0, 0, 0],
      [2, 0, 0],
    ];
    flow.touch([0, 0, 0], room, (p) => p, centre);
    const out = flow.touch([1, 0, 0], room, (p) => p, centre);
    expect(out).toEqual({
      kind: "mismatch",
      message: "Touched 1.00 m apart, marks are 2.00 m: same marks, same order?",
    });
    expect(flow.step).toBe("idle");
  });

  it("two touches on the same spot are refused", () => {
    const flow = new CalibrationFlow();
    flow.start(true);
    flow.touch([0, 0, 0], null, (p) => p, centre);
    expect(flow.touch([0.1, 0, 0.1], null, (p) => p, centre).kind).toBe("mismatch");
  });
});
