/**
 * Moving to another device on a plant LAN: with PUBLIC_URL set, "Move to device" hands out a link and a QR code
 * that open this server at that address (not at the localhost the page happens to use), with no warning that a
 * phone cannot reach it; HANDOFF_CODE_SECONDS sets how long the code works, and the dialog says so.
 */
import QRCode from "qrcode";
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { expectQuietPage, joinAs, watchPage } from "./page.ts";

const PUBLIC_URL = "https://gemba.plant.lan";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ PUBLIC_URL, HANDOFF_CODE_SECONDS: "120" });
});
test.afterAll(async () => {
  await server?.stop();
});

test("with PUBLIC_URL set, the move dialog's link and QR code open the plant's public address, valid for the configured 2 minutes", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Ada");
  await page.click("#btn-move");
  await expect(page.locator("#move-code")).toHaveAttribute("data-code", /^\d{6}$/);
  const link = await page.locator("#move-link").inputValue();
  expect(link).toMatch(new RegExp(`^${PUBLIC_URL.replace(/\./g, "\\.")}/\\?handoff=[^&]+$`));
  // Reachable at its public address: no note that a phone could not open it.
  await expect(page.locator("#move-reach")).toHaveText("");
  // 120 s from the server's clock: the countdown starts at 2:00 (a second may pass before it is drawn).
  await expect(page.locator("#move-dialog")).toContainText(/Valid for (2:00|1:5\d) min, once\./);

  // The QR code encodes that same link: draw the expected code with the same encoder and settings, compare pixels.
  const expected = await QRCode.toDataURL(link, { width: 220, margin: 1, errorCorrectionLevel: "M" });
  const differing = await page.evaluate(async (src) => {
    const shown = document.getElementById("move-qr") as HTMLCanvasElement;
    const img = new Image();
    img.src = src;
    await img.decode();
    const ref = document.createElement("canvas");
    ref.width = shown.width;
    ref.height = shown.height;
    const ctx = ref.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const a = shown.getContext("2d")!.getImageData(0, 0, shown.width, shown.height).data;
    const b = ctx.getImageData(0, 0, ref.width, ref.height).data;
    let n = 0;
    for (let i = 0; i < a.length; i += 4) if (Math.abs(a[i]! - b[i]!) > 64) n++;
    return { n, w: shown.width, h: shown.height };
  }, expected);
  expect(differing.w).toBe(220);
  expect(differing.n, "pixels where the shown QR code differs from the link's").toBe(0);
  expectQuietPage(watch);
});
