import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AccessListFile } from "../../server/auth/AccessListFile.ts";
import { ReconnectTokens } from "../../server/auth/ReconnectTokens.ts";
import type { Identity } from "../../server/auth/identity.ts";

const ada: Identity = {
  user: "dev:ada",
  name: "Ada",
  role: "admin",
  groups: [],
  email: null,
  via: "dev",
  expiresAt: 9e12,
  tokenId: "t",
};

describe("ACCESS_FILE read again when it changes", () => {
  it("a lowered maxRole applies after the check interval; a file that no longer parses keeps the last good list", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-acl-")), "access.json");
    fs.writeFileSync(file, JSON.stringify({ demo: { maxRole: "expert" } }));
    let now = 0;
    const logs: string[] = [];
    const acl = new AccessListFile(
      file,
      () => now,
      (m) => logs.push(m),
      10_000,
    );
    expect(acl.decide("demo", ada)).toEqual({ ok: true, role: "expert" });
    fs.writeFileSync(file, JSON.stringify({ demo: { maxRole: "viewer" } }));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000)); // a changed modification time, whatever the FS grain
    now = 5_000;
    expect(acl.decide("demo", ada)).toEqual({ ok: true, role: "expert" }); // not looked at yet
    now = 10_000;
    expect(acl.decide("demo", ada)).toEqual({ ok: true, role: "viewer" });
    fs.writeFileSync(file, "{ not json");
    fs.utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    now = 20_000;
    expect(acl.decide("demo", ada)).toEqual({ ok: true, role: "viewer" });
    expect(logs.at(-1)).toMatch(/^sign-in: kept the previous access lists: ACCESS_FILE .* is not JSON/);
  });
});

describe("the token a reconnection came back with", () => {
  it("is noted only for reconnections, taken once, and forgotten after its time", () => {
    let now = 0;
    const t = new ReconnectTokens(() => now, 30_000);
    t.note("/abc/room1?sessionId=s1&_authToken=join-token", "10.0.0.7"); // a first join: onAuth checks it
    expect(t.take("s1")).toBeUndefined();
    t.note("/abc/room1?sessionId=s1&reconnectionToken=r1&skipHandshake=true&_authToken=tok", "10.0.0.7");
    expect(t.take("s1")).toEqual({ token: "tok", from: "10.0.0.7" });
    expect(t.take("s1")).toBeUndefined();
    t.note("/abc/room1?sessionId=s2&reconnectionToken=r2", "10.0.0.8");
    now = 30_001;
    expect(t.take("s2")).toBeUndefined();
  });
});
