/**
 * plant:fit's estimator (server/whatif/fitLink.ts): on synthetic first-order records with known parameters it
 * recovers them; on noise it says the fit is poor; on an input that never moved it says there is nothing to fit.
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../server/sim/seededRandom.ts";
import { fitLink, holdOnGrid } from "../../server/whatif/fitLink.ts";

/** A record of random steps (a person or a controller moving the input), held 40–160 s each. */
function steps(n: number, lo: number, hi: number, rand: () => number): Float64Array {
  const u = new Float64Array(n);
  let v = lo;
  let next = 0;
  for (let k = 0; k < n; k++) {
    if (k >= next) {
      v = lo + (hi - lo) * rand();
      next = k + 40 + Math.floor(120 * rand());
    }
    u[k] = v;
  }
  return u;
}

const gauss = (rand: () => number) => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

describe("plant:fit estimates a link's dynamics from a record", () => {
  it("recovers gain, time constant and dead time of a first-order lag from a noisy record", () => {
    const rand = mulberry32(7);
    const K = 12 / 2900;
    const tau = 20;
    const theta = 5;
    const n = 3600;
    const u = steps(n, 1200, 2900, rand);
    const y = new Float64Array(n);
    const a = Math.exp(-1 / tau);
    let x = K * u[0]!;
    for (let k = 0; k < n; k++) {
      if (k > 0) x = a * x + K * (1 - a) * u[Math.max(0, k - 1 - theta)]!;
      y[k] = x + 0.02 * gauss(rand);
    }
    const f = fitLink(u, y, 1, "lag");
    expect(f.gain / K).toBeGreaterThan(0.97);
    expect(f.gain / K).toBeLessThan(1.03);
    expect(f.timeConstant).toBeGreaterThan(18);
    expect(f.timeConstant).toBeLessThan(22);
    expect(f.deadTime).toBe(theta);
    expect(f.verdict).toBe("good");
    expect(f.r2).toBeGreaterThan(0.95);
  });

  it("recovers an integrator's gain (a tank level fed by a flow) on top of a steady drain", () => {
    const rand = mulberry32(11);
    const K = 100 / 6000;
    const n = 1800;
    const u = steps(n, 0, 12, rand);
    const y = new Float64Array(n);
    let level = 50;
    for (let k = 0; k < n; k++) {
      if (k > 0) level += K * u[k - 1]! - 0.1; // 6 L/s drawn out all the time
      y[k] = level + 0.03 * gauss(rand);
    }
    const f = fitLink(u, y, 1, "integrator");
    expect(f.gain / K).toBeGreaterThan(0.97);
    expect(f.gain / K).toBeLessThan(1.03);
    expect(f.deadTime).toBe(0);
    expect(f.verdict).toBe("good");
  });

  it("says the fit is poor when the output is noise that does not depend on the input", () => {
    const rand = mulberry32(3);
    const n = 1800;
    const u = steps(n, 0, 100, rand);
    const y = Float64Array.from({ length: n }, () => 5 + gauss(rand));
    const f = fitLink(u, y, 1, "lag");
    expect(f.verdict).toBe("poor");
    expect(f.r2).toBeLessThan(0.3);
  });

  it("says there is nothing to fit when the input never moved", () => {
    const y = Float64Array.from({ length: 600 }, (_, k) => Math.sin(k / 30));
    expect(fitLink(new Float64Array(600).fill(2900), y, 1, "lag").verdict).toBe("no-excitation");
  });

  it("holds irregular samples on a uniform grid (the last value before each instant)", () => {
    expect([...holdOnGrid([1000, 2500, 2600], [1, 2, 3], 0, 4000, 1000)]).toEqual([NaN, 1, 1, 3, 3]);
  });
});
