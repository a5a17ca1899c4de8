import { describe, expect, it } from "vitest";
import { SeatSignIns } from "../../server/auth/SeatSignIns.ts";
import { AccessList } from "../../server/auth/AccessList.ts";
import type { Identity } from "../../server/auth/identity.ts";
import type { Role } from "../../shared/protocol.ts";

const MIN = 60_000;

function who(name: string, role: Role, expiresAt: number): Identity {
  return {
    user: `dev:${name.toLowerCase()}`,
    name,
    role,
    groups: [],
    email: null,
    via: "dev",
    expiresAt,
    tokenId: `${name}-${expiresAt}`,
  };
}

/** Seat sign-ins on a clock the test moves, against an access list the test can replace. */
function setup(list = AccessList.open()) {
  let now = 1_000_000;
  let access = list;
  const s = new SeatSignIns(
    "demo",
    (p, w) => access.decide(p, w),
    () => now,
    2 * MIN,
  );
  return {
    s,
    at: (t: number) => (now = t),
    setAccess: (a: AccessList) => (access = a),
  };
}

describe("a seat's sign-in (role from the current token)", () => {
  it("an expiring token is warned once, two minutes before, then its seat ends at expiry", () => {
    const { s, at } = setup();
    const exp = 1_000_000 + 60 * MIN;
    expect(s.hold("c1", who("Ola", "operator", exp))).toBe("operator");
    at(exp - 3 * MIN);
    expect(s.sweep()).toEqual([]);
    at(exp - 2 * MIN);
    expect(s.sweep()).toEqual([{ kind: "expiring", session: "c1", expiresAt: exp }]);
    at(exp - MIN);
    expect(s.sweep()).toEqual([]);
    at(exp);
    expect(s.sweep()).toEqual([{ kind: "expired", session: "c1" }]);
    expect(s.roleOf("c1")).toBeUndefined();
  });

  it("a fresh token of the same person moves the expiry and may lower the role; the warning comes again for it", () => {
    const { s, at } = setup();
    s.hold("c1", who("Ola", "operator", 1_000_000 + 10 * MIN));
    at(1_000_000 + 9 * MIN);
    expect(s.sweep().map((e) => e.kind)).toEqual(["expiring"]);
    expect(s.refresh("c1", who("Ola", "viewer", 1_000_000 + 70 * MIN))).toEqual({
      ok: true,
      role: "viewer",
      was: "operator",
      expiresAt: 1_000_000 + 70 * MIN,
    });
    expect(s.roleOf("c1")).toBe("viewer");
    at(1_000_000 + 11 * MIN);
    expect(s.sweep()).toEqual([]);
    at(1_000_000 + 68 * MIN);
    expect(s.sweep().map((e) => e.kind)).toEqual(["expiring"]);
  });

  it("another person's token does not take over a seat", () => {
    const { s } = setup();
    s.hold("c1", who("Ola", "viewer", 2_000_000));
    const r = s.refresh("c1", who("Mallory", "admin", 9_000_000));
    expect(r).toEqual({
      ok: false,
      message: "That sign-in is for Mallory, not Ola; a seat keeps its person. Join as Mallory instead.",
    });
    expect(s.roleOf("c1")).toBe("viewer");
  });

  it("an access list that lowers maxRole demotes at the next check; one that drops the person revokes the seat", () => {
    const { s, at, setAccess } = setup(AccessList.parse({ demo: { users: ["dev:ola"], maxRole: "expert" } }));
    expect(s.hold("c1", who("Ola", "admin", 9_000_000))).toBe("expert");
    setAccess(AccessList.parse({ demo: { users: ["dev:ola"], maxRole: "viewer" } }));
    at(1_015_000);
    expect(s.sweep()).toEqual([{ kind: "role", session: "c1", role: "viewer", was: "expert" }]);
    expect(s.roleOf("c1")).toBe("viewer");
    setAccess(AccessList.parse({ demo: { users: ["dev:bo"] } }));
    at(1_030_000);
    expect(s.sweep()).toEqual([
      {
        kind: "revoked",
        session: "c1",
        message: 'Ola is not on the access list of plant "demo"; ask an administrator for access.',
      },
    ]);
  });
});

describe("a seat's sign-in after its connection dropped", () => {
  it("coming back with an older, higher token does not undo a demotion by a fresher one", () => {
    const { s } = setup();
    s.hold("c1", who("Ola", "operator", 2_000_000));
    s.refresh("c1", who("Ola", "viewer", 3_000_000));
    expect(s.comeBack("c1", who("Ola", "operator", 2_000_000))).toMatchObject({ ok: true, role: "viewer" });
    expect(s.roleOf("c1")).toBe("viewer");
  });

  it("coming back with a newer token takes its role; with another person's token, or after expiry, is refused", () => {
    const { s, at } = setup();
    s.hold("c1", who("Ola", "operator", 2_000_000));
    expect(s.comeBack("c1", who("Ola", "viewer", 2_500_000))).toMatchObject({ ok: true, role: "viewer" });
    expect(s.comeBack("c1", who("Mallory", "admin", 9_000_000))).toMatchObject({ ok: false });
    expect(s.roleOf("c1")).toBe("viewer");
    at(2_500_000);
    s.sweep();
    expect(s.comeBack("c1", who("Ola", "viewer", 9_000_000))).toEqual({
      ok: false,
      message: "Your sign-in for this seat has ended; sign in again to rejoin.",
    });
  });
});
