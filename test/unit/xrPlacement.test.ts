/**
 * The math of where the plant sits in XR (client/xr/placementMath.ts): plant↔local
 * mapping, one-hand grab, two-hand scale/turn, two-point co-location. Pure functions;
 * Babylon's Matrix is used only to check that the conventions match its node transforms.
 */
import { Matrix, Quaternion, Vector3 } from "@babylonjs/core";
import { describe, expect, it } from "vitest";
import {
  alignFromTwoPoints,
  frameTranslation,
  grabUpdate,
  localToPlant,
  placement,
  plantToLocal,
  rotateY,
  TABLETOP_SCALE,
  twoHandUpdate,
  wrapAngle,
  yawOf,
  type HandPoint,
} from "../../client/xr/placementMath.ts";

type V3 = [number, number, number];
const hand = (x: number, y: number, z: number, yaw = 0): HandPoint => ({ x, y, z, yaw });
/** `actual` has exactly `expected`'s length and is close to it element by element (driven by what is expected, so an empty or short result fails). */
const close = (actual: readonly number[], expected: readonly number[], digits = 9) => {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((v, i) => expect(actual[i], `element ${i}`).toBeCloseTo(v, digits));
};

describe("plant ↔ local mapping", () => {
  const centre: V3 = [4, 0, -2];
  const pl = placement(1.5, 0.78, -0.9, 0.7, TABLETOP_SCALE);

  it("puts the plant's floor centre at the placement position", () => {
    close(plantToLocal(pl, ...centre, ...centre, [0, 0, 0]), [1.5, 0.78, -0.9]);
  });

  it("round-trips plant → local → plant", () => {
    const local = plantToLocal(pl, ...centre, 40, 2, -9, [0, 0, 0]);
    close(localToPlant(pl, ...centre, ...local, [0, 0, 0]), [40, 2, -9]);
  });

  it("matches a Babylon node with rotation.y = yaw, uniform scaling and frameTranslation as position", () => {
    const t = frameTranslation(pl, ...centre, [0, 0, 0]);
    const node = Matrix.Compose(
      new Vector3(pl.scale, pl.scale, pl.scale),
      Quaternion.RotationYawPitchRoll(pl.yaw, 0, 0),
      new Vector3(...t),
    );
    for (const p of [
      [40, 2, -9],
      [-41, 1.5, 6],
      [0, 0, 0],
    ] as V3[]) {
      const viaBabylon = Vector3.TransformCoordinates(new Vector3(...p), node).asArray();
      close(plantToLocal(pl, ...centre, ...p, [0, 0, 0]), viaBabylon, 6);
    }
  });

  it("uses Babylon's yaw sense: rotateY(yaw) turns +z onto heading yaw", () => {
    const yaw = 1.1;
    const m = Matrix.RotationY(yaw);
    const z = Vector3.TransformCoordinates(new Vector3(0, 0, 1), m);
    // Babylon matrices are Float32Arrays: compare to 6 digits.
    close(rotateY(yaw, 0, 1, [0, 0]), [z.x, z.z], 6);
    expect(yawOf(z.x, z.z)).toBeCloseTo(yaw, 6);
  });

  it("wraps angles to (-π, π]", () => {
    expect(wrapAngle(Math.PI * 3)).toBeCloseTo(Math.PI, 9);
    expect(wrapAngle(-Math.PI * 1.5)).toBeCloseTo(Math.PI / 2, 9);
    expect(wrapAngle(0.2)).toBeCloseTo(0.2, 9);
  });
});

describe("one-hand grab", () => {
  const start = placement(1, 0.8, -1, 0.3, 0.02);

  it("moves the plant with the hand", () => {
    const out = grabUpdate(start, hand(0.2, 1.2, -0.4), hand(0.5, 1.1, -0.2), placement());
    close([out.x, out.y, out.z, out.yaw, out.scale], [1.3, 0.7, -0.8, 0.3, 0.02]);
  });

  it("turns the plant about the hand as the hand turns", () => {
    const h0 = hand(0, 1, 0, 0);
    const out = grabUpdate(start, h0, hand(0, 1, 0, Math.PI / 2), placement());
    expect(out.yaw).toBeCloseTo(0.3 + Math.PI / 2, 9);
    // The plant centre was 1 m along +x and 1 m along -z from the hand; a quarter turn keeps the distance.
    expect(Math.hypot(out.x, out.z)).toBeCloseTo(Math.hypot(1, -1), 9);
    close([out.x, out.z], rotateY(Math.PI / 2, 1, -1, [0, 0]));
  });

  it("keeps the grabbed point fixed in the hand", () => {
    const centre: V3 = [0, 0, 0];
    const h0 = hand(0.3, 1, -0.5, 0.2);
    const grabbed = localToPlant(start, ...centre, h0.x, h0.y, h0.z, [0, 0, 0]);
    const h1 = hand(-0.1, 1.2, -0.7, 1.0);
    const out = grabUpdate(start, h0, h1, placement());
    close(plantToLocal(out, ...centre, ...grabbed, [0, 0, 0]), [h1.x, h1.y, h1.z]);
  });
});

describe("two-hand scale and turn", () => {
  const start = placement(0, 0.8, -1, 0, 0.02);
  const a0 = hand(-0.2, 1.2, -0.6);
  const b0 = hand(0.2, 1.2, -0.6);

  it("scales by the ratio of the hands' distance", () => {
    const out = twoHandUpdate(start, a0, b0, hand(-0.4, 1.2, -0.6), hand(0.4, 1.2, -0.6), placement());
    expect(out.scale).toBeCloseTo(0.04, 9);
    expect(out.yaw).toBeCloseTo(0, 9);
  });

  it("keeps the plant point under the midpoint horizontally, and keeps the table height", () => {
    const centre: V3 = [10, 0, 5];
    const mid = [0, 1.2, -0.6] as const;
    const under = localToPlant(start, ...centre, mid[0], start.y, mid[2], [0, 0, 0]);
    const out = twoHandUpdate(start, a0, b0, hand(-0.5, 1.2, -0.6), hand(0.5, 1.2, -0.6), placement());
    const now = plantToLocal(out, ...centre, ...under, [0, 0, 0]);
    close([now[0], now[2]], [mid[0], mid[2]]);
    expect(out.y).toBeCloseTo(start.y, 9);
  });

  it("lifts the plant as far as the hands rise", () => {
    const out = twoHandUpdate(start, a0, b0, hand(-0.2, 1.3, -0.6), hand(0.2, 1.3, -0.6), placement());
    expect(out.y).toBeCloseTo(0.9, 9);
    expect(out.scale).toBeCloseTo(0.02, 9);
  });

  it("turns with the line between the hands", () => {
    const out = twoHandUpdate(start, a0, b0, hand(0, 1.2, -0.8), hand(0, 1.2, -0.4), placement());
    // The hand-to-hand line went from +x to +z: heading from π/2 to 0.
    expect(out.yaw).toBeCloseTo(-Math.PI / 2, 9);
    expect(out.scale).toBeCloseTo(0.02, 9);
  });

  it("clamps the scale", () => {
    const big = twoHandUpdate(start, a0, b0, hand(-50, 1.2, -0.6), hand(50, 1.2, -0.6), placement(), 0.002, 1);
    expect(big.scale).toBe(1);
    const small = twoHandUpdate(start, a0, b0, hand(-0.001, 1.2, -0.6), hand(0.001, 1.2, -0.6), placement(), 0.002, 1);
    expect(small.scale).toBe(0.002);
  });

  it("writes into `out` without allocating a new placement", () => {
    const out = placement();
    expect(twoHandUpdate(start, a0, b0, a0, b0, out)).toBe(out);
    expect(grabUpdate(start, a0, a0, out)).toBe(out);
  });
});

describe("co-location from two points", () => {
  it("recovers a yaw and translation that maps both plant points onto the measured local points", () => {
    const truth = placement(3, 0, -2, 0.9, 1);
    const centre: V3 = [0, 0, 0];
    const plantA: V3 = [10, 0, 4];
    const plantB: V3 = [-6, 0, 12];
    const localA = plantToLocal(truth, ...centre, ...plantA, [0, 0, 0]);
    const localB = plantToLocal(truth, ...centre, ...plantB, [0, 0, 0]);
    const got = alignFromTwoPoints(plantA, plantB, localA, localB);
    expect(got.yaw).toBeCloseTo(0.9, 9);
    close([got.x, got.y, got.z], [3, 0, -2]);
    expect(got.error).toBeCloseTo(0, 9);
    close(plantToLocal(got, ...centre, ...plantA, [0, 0, 0]), localA);
  });

  it("works about a plant centre and at tabletop scale", () => {
    const centre: V3 = [5, 0, 3];
    const truth = placement(0.4, 0.8, -1.1, -2.2, TABLETOP_SCALE);
    const plantA: V3 = [40, 0, -9];
    const plantB: V3 = [-41, 0, 6];
    const localA = plantToLocal(truth, ...centre, ...plantA, [0, 0, 0]);
    const localB = plantToLocal(truth, ...centre, ...plantB, [0, 0, 0]);
    const got = alignFromTwoPoints(plantA, plantB, localA, localB, centre, TABLETOP_SCALE);
    expect(wrapAngle(got.yaw - truth.yaw)).toBeCloseTo(0, 9);
    close([got.x, got.y, got.z], [truth.x, truth.y, truth.z]);
  });

  it("reports the distance mismatch of a sloppy measurement", () => {
    const got = alignFromTwoPoints([0, 0, 0], [10, 0, 0], [0, 0, 0], [0, 0, 10.3]);
    expect(got.error).toBeCloseTo(0.3, 9);
    expect(got.yaw).toBeCloseTo(-Math.PI / 2, 9);
  });

  it("refuses two points on the same vertical", () => {
    expect(() => alignFromTwoPoints([1, 0, 1], [1, 2, 1], [0, 0, 0], [1, 0, 0])).toThrow(RangeError);
  });
});
