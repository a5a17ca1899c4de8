/**
 * The story both what-if specs tell once a "speed stays" what-if is saved (desktop: whatIf.spec, wrist:
 * xrWhatIf.spec): the pump cavitates through the simulator's fault API, its line's flow falls ~40 %, and the
 * sentence "At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s" shows the gap growing past a quarter of
 * the predicted flow, its three figures agreeing.
 */
import { expect, type Page } from "@playwright/test";
import { devToken } from "../../kit/devSignIn.ts";

/** The sentence's figures (predicted, was, off by) in flow units; anchor it where a spec reads it. */
export const MISS_FLOW = String.raw`At \+\d+ (?:s|min): predicted (\d+\.\d\d) L\/s, was (\d+\.\d\d) L\/s, off by (\d+\.\d\d) L\/s`;

/**
 * Cavitate `pump`, wait until the sentence that `read` finds with `pattern` says the plant fell short of the
 * prediction by more than a quarter, check its figures agree, and clear the fault.
 */
export async function expectPlantFallsShort(
  page: Page,
  url: string,
  pump: string,
  read: () => Promise<string>,
  pattern: RegExp,
): Promise<void> {
  const expert = { authorization: `Bearer ${await devToken(url, "Trainer", "expert")}` };
  const fault = await page.request.post(`${url}/api/sim/faults`, {
    headers: expert,
    data: { name: "cavitation", target: pump },
  });
  expect(fault.status()).toBe(201);
  try {
    const figures = async () =>
      pattern
        .exec(await read())
        ?.slice(1)
        .map(Number) ?? [0, 0, 0];
    await expect
      .poll(
        async () => {
          const [predicted, , off] = await figures();
          return off! / predicted!;
        },
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0.25);
    // The three figures agree: off by the gap between what was predicted and what the plant did.
    const [predicted, was, off] = await figures();
    expect(was).toBeLessThan(predicted!);
    expect(off).toBeCloseTo(predicted! - was!, 2);
  } finally {
    await page.request.delete(`${url}/api/sim/faults`, { headers: expert, data: {} });
  }
}
