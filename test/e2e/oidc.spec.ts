/**
 * Real OpenID Connect sign-in in Chromium: the page sends the browser to a real
 * provider (oidc-provider, started here), the person signs in on its login form,
 * the page exchanges the code (PKCE) and joins with the role the provider's groups
 * map to. A viewer sees no Ack button, and the server refuses an ack sent with
 * the viewer's own token from outside the page.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures.ts";
import type { Browser, Page } from "@playwright/test";
import mqtt from "mqtt";
import "../../kit/nodeWebSocket.ts";
import { freePort } from "../../kit/freePort.ts";
import { Client } from "@colyseus/sdk";
import { PLANT_ROOM, PROTOCOL_VERSION, type Refusal } from "../../shared/protocol.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { startTestProvider, type TestProvider } from "../support/oidcProvider.ts";

const MOSQUITTO = process.env["TEST_MQTT_URL"] ?? "mqtt://127.0.0.1:1883";
const ALARM = "limit.level:T102";
const prefix = `e2e-oidc-${randomUUID().slice(0, 8)}/`;

let idp: TestProvider;
let server: RunningServer;
test.beforeAll(async () => {
  const port = await freePort();
  idp = await startTestProvider([`http://127.0.0.1:${port}/`]);
  idp.accounts.set("vi", { name: "Vi Viewer", groups: ["gemba-viewers"] });
  idp.accounts.set("olu", { name: "Olu Operator", groups: ["gemba-operators"] });
  server = await startAppServer({
    ...idp.env(),
    PORT: String(port),
    MQTT_URL: MOSQUITTO,
    MQTT_TOPIC_PREFIX: prefix,
    SIM: "off",
  });
  // An active alarm to (not) acknowledge.
  const pub = await mqtt.connectAsync(MOSQUITTO);
  await pub.publishAsync(`${prefix}gemba/demo/T102/level`, JSON.stringify({ v: 98.5 }));
  await pub.endAsync();
});
test.afterAll(async () => {
  await server?.stop();
  await idp?.close();
});

/** Open the app, sign in at the provider's login form as `login`, and join. */
async function signInAndJoin(
  browser: Browser,
  login: string,
): Promise<{ page: Page; errors: string[]; fromApp: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  // Errors in Gemba's page (the provider's login page is not ours, and offline it fails to load web fonts).
  const errors: string[] = [];
  const onApp = () => page.url().startsWith(`${server.url}/`);
  page.on("console", (msg) => {
    if (msg.type() === "error" && onApp()) errors.push(msg.text());
  });
  page.on("pageerror", (err) => {
    if (onApp()) errors.push(String(err));
  });
  // Off-origin requests made by Gemba's page (the provider's own login page may load what it likes).
  const fromApp: string[] = [];
  page.on("request", (req) => {
    const u = req.url();
    if (/^(data|blob):/.test(u) || new URL(u).origin === server.url) return;
    if (new URL(req.frame().url()).origin === server.url) fromApp.push(u);
  });
  await page.goto(`${server.url}/?plant=demo`);
  // The provider's own pages: its development login form, then consent.
  await page.waitForURL(`${idp.issuer}/**`);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', "any");
  await page.click('button:has-text("Sign-in")');
  await page.click('button:has-text("Continue")'); // the provider's consent page
  await page.waitForURL(`${server.url}/**`);
  // Two software-rendered pages share the machine by now: allow the second one time to boot.
  await expect(page.locator("#join")).toBeVisible({ timeout: 60_000 });
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 180_000 });
  return { page, errors, fromApp };
}

const myRole = (page: Page) =>
  page.evaluate(() => {
    const g = window.__gemba!;
    return g.state()?.seats.get(g.seat() ?? "")?.role ?? null;
  });

test("sign-in at a real OpenID provider: back in the plant with the mapped role; a viewer gets no Ack and the server refuses a forced one", async ({
  browser,
}) => {
  const { page: viewer, errors, fromApp } = await signInAndJoin(browser, "vi");
  // No code or state left in the address bar; the page says who is signed in.
  expect(new URL(viewer.url()).search).toBe("?plant=demo");
  await expect(viewer.locator("#signin-mode")).toHaveText("Signed in: Vi Viewer");
  await expect(viewer.locator("#join-name")).toHaveValue("Vi Viewer");
  await expect.poll(() => myRole(viewer)).toBe("viewer");

  const row = viewer.locator(`#alarm-list li[data-alarm="${ALARM}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator("button.ack")).toHaveCount(0);
  await expect(viewer.locator("#btn-pin")).toBeHidden();

  // Forced: the viewer's own access token, sent by a client that ignores the UI, is still refused.
  const token = await viewer.evaluate(
    () => (JSON.parse(sessionStorage.getItem("gemba.oidc.tokens")!) as { accessToken: string }).accessToken,
  );
  const client = new Client(server.url.replace("http", "ws"));
  client.auth.token = token;
  const room = await client.joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name: "Vi", device: "desktop", separate: true },
    PlantRoomState,
  );
  room.onMessage("welcome", () => {});
  room.onMessage("pending", () => {});
  const refusal = await room.request("ack", { alarm: ALARM }).then(
    () => null,
    (e: { reason?: Refusal }) => e.reason ?? null,
  );
  expect(refusal).toEqual({ code: "forbidden", message: "A viewer cannot acknowledge alarms." });
  await room.leave();

  // An operator signed in the same way does get the button, and it works.
  const { page: operator } = await signInAndJoin(browser, "olu");
  await expect.poll(() => myRole(operator)).toBe("operator");
  await expect(operator.locator("#btn-pin")).toBeVisible();
  const opRow = operator.locator(`#alarm-list li[data-alarm="${ALARM}"]`);
  await opRow.locator("button.ack").click();
  await expect(row).toContainText("acknowledged by Olu Operator");

  // Gemba's page talked to its own server and, for sign-in, to the configured provider only (its token endpoint).
  expect(fromApp.length).toBeGreaterThan(0);
  expect(fromApp.filter((u) => !u.startsWith(`${idp.issuer}/`))).toEqual([]);
  expect(errors).toEqual([]);
});

test("a failed sign-in says why and offers to sign in again", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/?state=forged&code=stolen-code`);
  await expect(page.locator("#signin-problem-text")).toHaveText(
    "This sign-in was not started from this tab (or was interrupted); sign in again.",
  );
  expect(new URL(page.url()).search).toBe("");
  await page.click("#signin-again");
  await page.waitForURL(`${idp.issuer}/**`);
});
