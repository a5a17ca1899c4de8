import { describe, expect, it } from "vitest";
import { AccessList } from "../../server/auth/AccessList.ts";
import { parseAuthEnv } from "../../server/auth/authConfig.ts";
import type { Identity } from "../../server/auth/identity.ts";
import { claimValues, mapRole, parseRoleMap } from "../../server/auth/roleMapping.ts";
import { loadConfig } from "../../server/config.ts";

const who = (over: Partial<Identity> = {}): Identity => ({
  user: "oidc:ada",
  name: "Ada",
  role: "admin",
  groups: ["line-1"],
  email: "ada@plant.example",
  via: "oidc",
  expiresAt: 0,
  tokenId: "t",
  ...over,
});

describe("role mapping from identity-provider groups", () => {
  const map = parseRoleMap("gemba-admins=admin, gemba-ops=operator,Line Leads=expert");

  it("gives the highest role any of a person's groups maps to", () => {
    expect(mapRole(["gemba-ops", "Line Leads", "other"], map, null)).toBe("expert");
    expect(mapRole(["gemba-ops"], map, null)).toBe("operator");
  });

  it("falls back to OIDC_DEFAULT_ROLE, or refuses (null) without one", () => {
    expect(mapRole(["contractors"], map, "viewer")).toBe("viewer");
    expect(mapRole([], map, null)).toBeNull();
  });

  it("reads groups from nested claims (Keycloak realm_access.roles) and from space-separated strings", () => {
    expect(claimValues({ realm_access: { roles: ["a", "b", 3] } }, "realm_access.roles")).toEqual(["a", "b"]);
    expect(claimValues({ roles: "a b,c" }, "roles")).toEqual(["a", "b", "c"]);
    expect(claimValues({}, "groups")).toEqual([]);
  });

  it("refuses a malformed map with the pair that is wrong", () => {
    expect(() => parseRoleMap("gemba-admins=root")).toThrow(
      'OIDC_ROLE_MAP must list group=role pairs separated by commas (roles: viewer, operator, expert, admin), got "gemba-admins=root".',
    );
    expect(() => parseRoleMap(" , ")).toThrow(/at least one group/);
  });
});

describe("per-plant access lists", () => {
  const list = AccessList.parse({
    demo: { users: ["dev:bo", "ada@plant.example"], maxRole: "operator" },
    line2: { groups: ["line-2"] },
    "*": {},
  });

  it("admit by user id, email or group, capping the role", () => {
    expect(list.decide("demo", who())).toEqual({ ok: true, role: "operator" });
    expect(list.decide("demo", who({ user: "dev:bo", email: null, role: "viewer" }))).toEqual({
      ok: true,
      role: "viewer",
    });
    expect(list.decide("line2", who({ groups: ["line-2"] }))).toEqual({ ok: true, role: "admin" });
  });

  it("refuse people not listed, and plants without an entry when there is no '*'", () => {
    const refused = list.decide("line2", who());
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/not on the access list of plant "line2"/);
    expect(AccessList.parse({ demo: {} }).decide("other", who())).toMatchObject({ ok: false });
    expect(list.decide("other", who())).toEqual({ ok: true, role: "admin" });
  });

  it("a bad file is one sentence naming where", () => {
    expect(() => AccessList.parse({ demo: { users: "ada" } })).toThrow(/ACCESS_FILE: at demo.users: /);
    expect(() => AccessList.parse({ demo: { maxRole: "root" } })).toThrow(/at demo.maxRole/);
  });
});

describe("AUTH_MODE settings", () => {
  const oidc = {
    AUTH_MODE: "oidc",
    OIDC_ISSUER: "https://login.plant.example/realms/p",
    OIDC_CLIENT_ID: "gemba",
    OIDC_AUDIENCE: "api://gemba",
    OIDC_ROLE_MAP: "gemba-admins=admin",
  };

  it("defaults to development sign-in", () => {
    expect(parseAuthEnv({}, "/")).toEqual({ mode: "dev", oidc: null, accessFile: null });
  });

  it("oidc needs its issuer, client, audience and role map, each missing one named", () => {
    for (const name of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_AUDIENCE", "OIDC_ROLE_MAP"]) {
      expect(() => parseAuthEnv({ ...oidc, [name]: "" }, "/")).toThrow(`AUTH_MODE=oidc needs ${name}`);
    }
    expect(parseAuthEnv(oidc, "/").oidc).toMatchObject({
      clockSkewSeconds: 60,
      roleClaim: "groups",
      defaultRole: null,
    });
  });

  it("refuses a plain-http provider elsewhere than this machine, a bad default role and a bad mode", () => {
    expect(() => parseAuthEnv({ ...oidc, OIDC_ISSUER: "http://login.plant.example" }, "/")).toThrow(/must use https/);
    expect(() => parseAuthEnv({ ...oidc, OIDC_DEFAULT_ROLE: "boss" }, "/")).toThrow(/OIDC_DEFAULT_ROLE must be/);
    expect(() => parseAuthEnv({ AUTH_MODE: "ldap" }, "/")).toThrow('AUTH_MODE must be "dev" or "oidc", got "ldap".');
  });

  it("listening beyond localhost needs oidc, or ALLOW_DEV_REMOTE=on for development sign-in", () => {
    expect(() => loadConfig({ HOST: "0.0.0.0" }, "/")).toThrow(/Set AUTH_MODE=oidc, or ALLOW_DEV_REMOTE=on/);
    expect(loadConfig({ HOST: "0.0.0.0", ...oidc }, "/").auth.mode).toBe("oidc");
  });
});
