import { describe, expect, it } from "vitest";
import { LogThrottle, kindOf } from "../../server/http/logThrottle.ts";

describe("attack: flooding the log with one kind of line", () => {
  it("says 10 lines of a kind a minute, then one line with the count of the rest", () => {
    let now = 0;
    const out: string[] = [];
    const t = new LogThrottle((m) => out.push(m), { now: () => now, budget: 10, windowMs: 60_000 });
    for (let i = 0; i < 1244; i++) t.log(`auth: refused join on plant demo from 10.0.${i % 250}.${i % 7}: forged`);
    expect(out).toHaveLength(10);
    now = 59_999;
    t.flush();
    expect(out).toHaveLength(10);
    now = 60_000;
    t.flush();
    expect(out).toHaveLength(11);
    expect(out[10]).toMatch(/: forged \(and 1,233 more like this in the last minute\)$/);
  });

  it("keeps different kinds apart: a flood of one does not hide another", () => {
    const out: string[] = [];
    const t = new LogThrottle((m) => out.push(m), { now: () => 0, budget: 2 });
    for (let i = 0; i < 50; i++) t.log(`http: refused Host "h${i}.evil.example"`);
    t.log("MQTT: connection lost");
    expect(out).toEqual([
      'http: refused Host "h0.evil.example"',
      'http: refused Host "h1.evil.example"',
      "MQTT: connection lost",
    ]);
  });

  it("treats lines that differ only in numbers, addresses and quoted words as one kind", () => {
    expect(kindOf('refused "a" from 10.0.0.7 after 3 tries')).toBe(kindOf('refused "bb" from ::1 after 12 tries'));
    expect(kindOf("closed for flooding")).not.toBe(kindOf("closed for idling"));
  });
});
