/**
 * Sign-in and access (docs/SECURITY.md), against real parts: a real OpenID
 * Connect provider (oidc-provider) on a free port, a real Gemba server in
 * AUTH_MODE=oidc, real SDK clients; and the development sign-in.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, type Room } from "@colyseus/sdk";
import { SignJWT, UnsecuredJWT } from "jose";
import { PLANT_ROOM, PROTOCOL_VERSION, type HandoffTicketInfo, type Health } from "../../shared/protocol.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { devSignIn, devToken } from "../../kit/devSignIn.ts";
import { signInHeadless, startTestProvider, type TestProvider } from "../support/oidcProvider.ts";
import { join, publisher, refusalOf, startServer, waitForState, type Harness } from "./harness.ts";
import { HANDOFF_REFUSED } from "../../server/http/handoffRefusal.ts";

type R = Room<unknown, PlantRoomState>;
const REDIRECT = "http://127.0.0.1:9/";

async function joinWith(h: Harness, token: string | null, extra: Record<string, unknown> = {}): Promise<R> {
  const client = new Client(h.endpoint);
  if (token) client.auth.token = token;
  const room = await client.joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name: "Whoever", device: "desktop", ...extra },
    PlantRoomState,
  );
  room.onMessage("welcome", () => {});
  room.onMessage("error", () => {});
  room.onMessage("pending", () => {});
  return room;
}

/** The join's refusal as { code, message }, or null if it joined. */
async function joinRefusal(h: Harness, token: string | null, extra: Record<string, unknown> = {}) {
  try {
    const room = await joinWith(h, token, extra);
    await room.leave();
    return null;
  } catch (e) {
    return { code: (e as { code?: number }).code, message: (e as Error).message };
  }
}

async function journal(h: Harness, token: string | null, query = "") {
  const res = await fetch(`http://127.0.0.1:${h.server.port}/api/plants/demo/journal${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

type Entry = { kind: string; actor: string; subject: string; data: Record<string, unknown> };
const entries = (text: string) => (JSON.parse(text) as { entries: Entry[] }).entries;

describe("OpenID Connect sign-in against a real provider", () => {
  let idp: TestProvider;
  let h: Harness;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    idp = await startTestProvider([REDIRECT]);
    idp.accounts.set("ada", { name: "Ada Admin", groups: ["staff", "gemba-admins"] });
    idp.accounts.set("olu", { name: "Olu Operator", groups: ["gemba-operators"] });
    idp.accounts.set("vi", { name: "Vi Viewer", groups: ["gemba-viewers"] });
    idp.accounts.set("nemo", { name: "Nemo Nobody", groups: ["contractors"] });
    h = await startServer(idp.env());
    for (const who of ["ada", "olu", "vi", "nemo"])
      tokens[who] = (await signInHeadless(idp, who, REDIRECT)).access_token;
  });
  afterAll(async () => {
    await h?.server.stop();
    await idp?.close();
  });

  it("a token from the provider joins with the role its groups map to, and the name from the token", async () => {
    // The name in the join options is ignored: who joins comes from the verified token.
    const room = await joinWith(h, tokens["olu"]!, { name: "Ada Admin", role: "admin" });
    const s = await waitForState(room, (st) => [...st.seats.values()].some((x) => x.user === "oidc:olu"), "Olu's seat");
    const seat = [...s.seats.values()].find((x) => x.user === "oidc:olu")!;
    expect({ name: seat.name, role: seat.role }).toEqual({ name: "Olu Operator", role: "operator" });
    await room.leave();
  });

  it("forged, expired, wrong-issuer, wrong-audience and missing tokens are refused, each with its reason, and journaled", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string | null, RegExp][] = [
      ["forged", await idp.forge({ sub: "ada" }), /signature does not match the identity provider's keys/],
      ["expired", await idp.signAsProvider({ sub: "ada", exp: now - 3600, iat: now - 7200 }), /expired/],
      ["wrong-issuer", await idp.signAsProvider({ sub: "ada", iss: "https://idp.elsewhere.example" }), /not issued by/],
      ["wrong-audience", await idp.signAsProvider({ sub: "ada", aud: "api://another-app" }), /not meant for Gemba/],
      ["malformed", "not-a-jwt", /not a valid sign-in token/],
      ["missing", null, /Sign in first/],
    ];
    for (const [reason, token, message] of cases) {
      const r = await joinRefusal(h, token);
      expect(r, reason).toMatchObject({ code: 401 });
      expect(r!.message, reason).toMatch(message);
    }
    const log = entries((await journal(h, tokens["ada"]!, "?kind=denied")).text);
    for (const [reason] of cases) {
      expect(
        log.some((e) => e.data["action"] === "join" && e.data["reason"] === reason),
        reason,
      ).toBe(true);
    }
    // What a forged token claimed is kept for the auditor, marked as a claim.
    expect(log.find((e) => e.data["reason"] === "forged")!.data["claimed"]).toBe("ada");
    // And counted, for monitoring.
    const health = (await (await fetch(`http://127.0.0.1:${h.server.port}/healthz`)).json()) as Health;
    expect(health.auth.mode).toBe("oidc");
    for (const [reason] of cases) expect(health.auth.refused[reason], reason).toBeGreaterThanOrEqual(1);
  });

  it("a token whose tolerance window covers a small clock difference is accepted; one beyond it is not", async () => {
    const now = Math.floor(Date.now() / 1000);
    const justExpired = await idp.signAsProvider({ sub: "olu", groups: ["gemba-operators"], exp: now - 20 });
    const room = await joinWith(h, justExpired);
    await room.leave();
    const longExpired = await idp.signAsProvider({ sub: "olu", groups: ["gemba-operators"], exp: now - 120 });
    expect((await joinRefusal(h, longExpired))?.code).toBe(401);
  });

  it("a signed-in person none of whose groups is mapped gets no role and is refused (403)", async () => {
    const r = await joinRefusal(h, tokens["nemo"]!);
    expect(r).toMatchObject({ code: 403 });
    expect(r!.message).toMatch(/Nemo Nobody is signed in, but none of their groups gives a role/);
  });

  it("a viewer's attempt to acknowledge an alarm is refused and the refusal is in the journal", async () => {
    const op = await joinWith(h, tokens["olu"]!);
    const pub = await publisher();
    await pub.publishAsync(`${h.config.topicPrefix}gemba/demo/T102/level`, JSON.stringify({ v: 98.5 }));
    await pub.endAsync();
    const alarm = "limit.level:T102";
    await waitForState(op, (st) => st.alarms.get(alarm)?.state === "unack-active", "T102 level alarm");
    const viewer = await joinWith(h, tokens["vi"]!);
    expect(await refusalOf(viewer.request("ack", { alarm }))).toEqual({
      code: "forbidden",
      message: "A viewer cannot acknowledge alarms.",
    });
    expect(op.state.alarms.get(alarm)!.state).toBe("unack-active");
    const log = entries((await journal(h, tokens["ada"]!, `?subject=${encodeURIComponent(alarm)}&kind=denied`)).text);
    expect(log.map((e) => [e.actor, e.data["action"], e.data["role"]])).toEqual([
      ["Vi Viewer", "acknowledge", "viewer"],
    ]);
    await viewer.leave();
    await op.leave();
  });

  it("a handoff ticket works once, for the same signed-in person only: a replay and another person's use are refused", async () => {
    const ada = await joinWith(h, tokens["ada"]!, { device: "headset" });
    const ticket = await ada.request<object, HandoffTicketInfo>("handoffCreate", {});
    // Another person, even one claiming Ada's name in the options, cannot take her seat.
    const stolen = await joinRefusal(h, tokens["olu"]!, { name: "Ada Admin", handoff: ticket.token });
    // Answered like a wrong code, so a guesser learns nothing about which codes are live.
    expect(stolen).toEqual({ code: 400, message: HANDOFF_REFUSED });
    const laptop = await joinWith(h, tokens["ada"]!, { handoff: ticket.token });
    await laptop.request("handoffAccept", {});
    // Replaying the used ticket (same person, even) is refused (handoff.test.ts covers codes the same way).
    expect((await joinRefusal(h, tokens["ada"]!, { handoff: ticket.token }))?.message).toBe(HANDOFF_REFUSED);
    await laptop.leave();
    await ada.leave();
  });

  it("the journal API serves administrators (JSON and CSV) and refuses everyone else; every read is journaled", async () => {
    expect((await journal(h, null)).status).toBe(401);
    expect((await journal(h, "forged.token.value")).status).toBe(401);
    const asViewer = await journal(h, tokens["vi"]!);
    expect(asViewer.status).toBe(403);
    expect(JSON.parse(asViewer.text)).toEqual({ error: "Vi Viewer (viewer) may not read or export the journal." });
    expect((await journal(h, tokens["olu"]!)).status).toBe(403);

    const ok = await journal(h, tokens["ada"]!, "?kind=signin");
    expect(ok.status).toBe(200);
    const signins = entries(ok.text);
    expect(signins.map((e) => e.subject)).toEqual(expect.arrayContaining(["oidc:olu", "oidc:vi", "oidc:ada"]));
    expect(signins.find((e) => e.subject === "oidc:olu")!.data).toMatchObject({ via: "oidc", role: "operator" });

    const csv = await journal(h, tokens["ada"]!, "?format=csv&kind=signin");
    expect(csv.type).toMatch(/text\/csv/);
    expect(csv.text.split("\r\n")[0]).toBe("id,time,plant,kind,actor,device,subject,data");
    expect(csv.text).toContain(",signin,Olu Operator,,oidc:olu,");

    const denials = entries((await journal(h, tokens["ada"]!, "?kind=denied")).text);
    expect(denials.some((e) => e.actor === "Vi Viewer" && e.data["action"] === "audit")).toBe(true);
    const reads = entries((await journal(h, tokens["ada"]!, "?kind=journal.read")).text);
    expect(reads.some((e) => e.data["format"] === "csv" && e.actor === "Ada Admin")).toBe(true);
  });

  it("the page learns where to sign in, and its CSP allows that provider (and only in this mode)", async () => {
    const res = await fetch(`http://127.0.0.1:${h.server.port}/api/auth/config`);
    const cfg = (await res.json()) as Record<string, unknown>;
    expect(cfg).toMatchObject({
      mode: "oidc",
      issuer: idp.issuer,
      clientId: "gemba-web",
      scopes: "openid profile gemba",
    });
    expect(String(cfg["tokenEndpoint"])).toMatch(new RegExp(`^${idp.issuer}/`));
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain(`connect-src 'self' ws: wss: ${idp.issuer}`);
    expect(csp).toContain(`form-action 'self' ${idp.issuer}`);
    const dev = await fetch(`http://127.0.0.1:${h.server.port}/api/auth/dev`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Mallory", role: "admin" }),
    });
    expect(dev.status).toBe(404);
  });
});

describe("development sign-in", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  });
  afterAll(async () => {
    await h?.server.stop();
  });

  it("signs a short-lived token for a name; unsigned, forged, tampered and expired tokens are refused", async () => {
    const ok = await devSignIn(h.endpoint, "Ada", "operator");
    expect(ok).toMatchObject({ user: "dev:ada", name: "Ada", role: "operator" });
    expect(ok.expiresAt - Date.now()).toBeLessThanOrEqual(12 * 3600_000);
    const room = await joinWith(h, ok.token);
    await room.leave();

    const now = Math.floor(Date.now() / 1000);
    const claims = { name: "Ada", role: "admin", sub: "dev:ada", iss: "gemba-dev", aud: "gemba", exp: now + 600 };
    const unsigned = new UnsecuredJWT(claims).encode();
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("a guess at the server's secret, 32+ bytes long"));
    const [head, , sig] = ok.token.split(".");
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, exp: now + 600 })).toString("base64url")}.${sig}`;
    const secret = Buffer.from(
      fs.readFileSync(path.join(h.config.dataDir, "dev-signing.key"), "utf8").trim(),
      "base64url",
    );
    const expired = await new SignJWT({ ...claims, exp: now - 60 }).setProtectedHeader({ alg: "HS256" }).sign(secret);
    for (const [what, token, message] of [
      ["unsigned", unsigned, /not a valid sign-in token/],
      ["forged", forged, /not signed by this server/],
      ["tampered", tampered, /not signed by this server/],
      ["expired", expired, /expired/],
      ["missing", null, /Sign in first/],
    ] as const) {
      const r = await joinRefusal(h, token);
      expect(r, what).toMatchObject({ code: 401 });
      expect(r!.message, what).toMatch(message);
    }
  });

  it("keeps its signing key in DATA_DIR, readable by the server's user only", () => {
    const mode = fs.statSync(path.join(h.config.dataDir, "dev-signing.key")).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it("gives an admin token to whoever asks (that is what development sign-in means) and the journal serves it", async () => {
    const res = await fetch(`http://127.0.0.1:${h.server.port}/api/plants/demo/journal?kind=signin`, {
      headers: { authorization: `Bearer ${await devToken(h.endpoint, "Anyone", "admin")}` },
    });
    expect(res.status).toBe(200);
    expect((await journal(h, await devToken(h.endpoint, "Someone", "expert"))).status).toBe(403);
  });

  it("incident reports are for people signed in to the plant; signed in, bad requests still get their sentence", async () => {
    const base = `http://127.0.0.1:${h.server.port}/api/plants/demo/incidents`;
    const viewer = { headers: { authorization: `Bearer ${await devToken(h.endpoint, "Vi", "viewer")}` } };
    expect((await fetch(`${base}/no-such-alarm`)).status).toBe(401);
    const missing = await fetch(`${base}/no-such-alarm`, viewer);
    expect([missing.status, ((await missing.json()) as { error: string }).error]).toEqual([
      404,
      'No alarm "no-such-alarm" in the journal of plant demo.',
    ]);
    expect((await fetch(`${base}/x?format=exe`, viewer)).status).toBe(400);
  });

  it("a bad name or role is refused with a sentence", async () => {
    const post = (body: unknown) =>
      fetch(`http://127.0.0.1:${h.server.port}/api/auth/dev`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: string } }));
    expect(await post({ name: "   " })).toEqual({ status: 400, body: { error: "Enter a display name." } });
    expect(await post({ name: "Ada", role: "root" })).toEqual({
      status: 400,
      body: { error: "A role is one of viewer, operator, expert, admin." },
    });
    expect((await post({ nme: "Ada" })).status).toBe(400);
  });
});

describe("per-plant access lists", () => {
  let h: Harness;
  beforeAll(async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-access-")), "access.json");
    fs.writeFileSync(file, JSON.stringify({ demo: { users: ["dev:ada", "dev:bo"], maxRole: "operator" } }));
    h = await startServer({ ACCESS_FILE: file });
  });
  afterAll(async () => {
    await h?.server.stop();
  });

  it("admits the people listed, with their role capped; refuses others with 403 and journals it", async () => {
    const ada = await join(h, "Ada", { role: "admin" });
    const s = await waitForState(ada, (st) => st.seats.size === 1, "Ada's seat");
    expect([...s.seats.values()][0]!.role).toBe("operator");
    const r = await joinRefusal(h, await devToken(h.endpoint, "Mallory", "viewer"));
    expect(r).toMatchObject({
      code: 403,
      message: 'Mallory is not on the access list of plant "demo"; ask an administrator for access.',
    });
    await ada.leave();
  });

  it("applies to the plant's HTTP data too: someone off the list gets 403 and no plant in the list", async () => {
    const base = `http://127.0.0.1:${h.server.port}`;
    const as = async (name: string, p: string) =>
      fetch(`${base}${p}`, { headers: { authorization: `Bearer ${await devToken(h.endpoint, name, "viewer")}` } });
    const refused = await as("Mallory", "/api/plants/demo");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/not on the access list of plant "demo"/);
    expect((await as("Mallory", "/plants/demo/scene")).status).toBe(403);
    expect(await (await as("Mallory", "/api/plants")).json()).toEqual({ plants: [], default: null });
    expect((await as("Bo", "/api/plants/demo")).status).toBe(200);
    expect(await (await as("Bo", "/api/plants")).json()).toMatchObject({ plants: ["demo"], default: "demo" });
  });
});

describe("cross-site pages", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  });
  afterAll(async () => {
    await h?.server.stop();
  });

  it("get no CORS grant from the API or the matchmaker; the app's own origin still does", async () => {
    const base = `http://127.0.0.1:${h.server.port}`;
    const evil = { origin: "http://evil.example" };
    const api = await fetch(`${base}/api/plants`, { headers: evil });
    expect(api.headers.get("access-control-allow-origin")).toBeNull();
    expect(api.headers.get("access-control-allow-credentials")).toBeNull();
    const pre = await fetch(`${base}/matchmake/joinOrCreate/plant`, {
      method: "OPTIONS",
      headers: { ...evil, "access-control-request-method": "POST" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const own = await fetch(`${base}/api/plants`, { headers: { origin: base } });
    expect(own.headers.get("access-control-allow-origin")).toBe(base);
  });
});
