import { describe, expect, it } from "vitest";
import { RefusalDigest } from "../../server/auth/RefusalDigest.ts";

const row = (plant: string, from: string) => ({
  plant,
  kind: "denied",
  actor: "",
  subject: "",
  data: { action: "join", reason: "forged", from },
});

describe("attack: a flood of refused sign-ins filling the journal", () => {
  it("journals the first refusal in full and the rest of the minute as one summary row with the count", () => {
    const d = new RefusalDigest(60_000);
    const written = [...d.note(row("demo", "10.0.0.9"), "10.0.0.9", "forged", 0)];
    for (let i = 1; i < 500; i++) written.push(...d.note(row("demo", "10.0.0.9"), "10.0.0.9", "forged", i * 10));
    expect(written).toHaveLength(1);
    expect(d.flush(59_999)).toEqual([]);
    const [summary, ...rest] = d.flush(60_000);
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({
      plant: "demo",
      kind: "denied.summary",
      data: { from: "10.0.0.9", count: 499, reasons: { forged: 499 }, since: 0, seconds: 60 },
    });
  });

  it("keeps addresses, plants and kinds of refusal apart, so each is seen in full once", () => {
    const d = new RefusalDigest(60_000);
    const out = [
      ...d.note(row("demo", "10.0.0.1"), "10.0.0.1", "forged", 0),
      ...d.note(row("demo", "10.0.0.2"), "10.0.0.2", "forged", 1),
      ...d.note(row("line-2", "10.0.0.1"), "10.0.0.1", "forged", 2),
      ...d.note(row("demo", "10.0.0.1"), "10.0.0.1", "expired", 3),
    ];
    expect(out).toHaveLength(4);
    // A refusal alone in its window leaves no summary behind.
    expect(d.flush(Infinity)).toEqual([]);
  });

  it("a new window after the last one opens with a full row again", () => {
    const d = new RefusalDigest(1000);
    d.note(row("demo", "a"), "a", "forged", 0);
    d.note(row("demo", "a"), "a", "forged", 10);
    const next = d.note(row("demo", "a"), "a", "forged", 1500);
    expect(next.map((r) => r.kind)).toEqual(["denied.summary", "denied"]);
  });
});
