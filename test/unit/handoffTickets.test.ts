import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CODE_ATTEMPTS_PER_MINUTE, HandoffTickets, TICKET_TTL_MS } from "../../server/handoff/HandoffTickets.ts";

function book() {
  let now = 1_000_000;
  const t = new HandoffTickets(
    () => now,
    (n) => randomBytes(n),
  );
  return { t, advance: (ms: number) => (now += ms) };
}
const base = { seat: "s1", user: "dev:ada", name: "Ada", room: "r1", plant: "demo", fromDevice: "headset", draft: "" };

describe("handoff tickets", () => {
  it("a ticket is single use: the second claim is refused as used", () => {
    const { t } = book();
    const k = t.create(base);
    expect(k.code).toMatch(/^\d{6}$/);
    expect(k.token.length).toBeGreaterThanOrEqual(20);
    expect(t.claim(k.code, "dev:ada", "ip1").ok).toBe(true);
    expect(t.claim(k.token, "dev:ada", "ip1")).toMatchObject({ ok: false, code: "used" });
  });

  it("expires after 2 minutes by default, and says how long they last", () => {
    const { t, advance } = book();
    const k = t.create(base);
    expect(TICKET_TTL_MS).toBe(120_000);
    advance(TICKET_TTL_MS - 1);
    expect(t.peek(k.token, "ip").ok).toBe(true);
    advance(1);
    const r = t.claim(k.token, "dev:ada", "ip");
    expect(r.ok ? "" : r.code).toBe("expired");
    expect(r.ok ? "" : r.message).toBe("That handoff expired (they last 2 minutes). Ask for a new one.");
  });

  it("lasts as long as HANDOFF_CODE_SECONDS says, for a slow headset or a strict site", () => {
    let now = 0;
    const t = new HandoffTickets(
      () => now,
      (n) => randomBytes(n),
      120_000,
    );
    const k = t.create(base);
    expect(k.expiresAt).toBe(120_000);
    now = 119_999;
    expect(t.peek(k.code, "ip").ok).toBe(true);
    now = 120_000;
    expect(t.claim(k.code, "dev:ada", "ip")).toMatchObject({ ok: false, code: "expired" });
    // A site's own lifetime is what the refusal says, not the default's.
    const long = new HandoffTickets(
      () => now,
      (n) => randomBytes(n),
      90_000,
    );
    const l = long.create(base);
    now += 90_000;
    const r = long.claim(l.code, "dev:ada", "ip");
    expect(r.ok ? "" : r.message).toContain("they last 90 seconds");
  });

  it("cannot be used to take someone else's seat", () => {
    const { t } = book();
    const k = t.create(base);
    expect(t.claim(k.token, "dev:mallory", "ip")).toMatchObject({ ok: false, code: "wrong-user" });
    expect(t.claim(k.token, "dev:ada", "ip").ok).toBe(true); // the refused attempt did not burn it
  });

  it("1,000 guessed codes are all refused, and after a few the guesser is rate-limited", () => {
    const { t } = book();
    const real = t.create(base);
    let limited = 0;
    let found = 0;
    for (let i = 0; i < 1000; i++) {
      const guess = String((i * 997) % 1_000_000).padStart(6, "0");
      if (guess === real.code) continue;
      const r = t.peek(guess, "attacker");
      if (r.ok) found++;
      else if (r.code === "rate-limited") limited++;
    }
    expect(found).toBe(0);
    expect(limited).toBeGreaterThanOrEqual(1000 - CODE_ATTEMPTS_PER_MINUTE - 1);
    // Another device is not affected by the attacker's limit.
    expect(t.peek(real.code, "owner").ok).toBe(true);
  });
});
