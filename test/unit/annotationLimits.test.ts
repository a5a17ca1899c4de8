/**
 * Annotations are bounded: every room holds all of a plant's annotations and sends them on join, so one
 * participant (or a script with an operator's role) must not be able to grow them without end.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnnotationBook, MAX_ANNOTATIONS, MAX_ANNOTATIONS_PER_AUTHOR } from "../../server/collab/AnnotationBook.ts";
import { JournalStore } from "../../server/store/JournalStore.ts";

const store = () => new JournalStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-a-")), "gemba.db"));
const actor = (name: string) => ({ name, seat: `seat-${name}`, device: "desktop", role: "operator", color: "#fff" });
const pin = {
  kind: "pin" as const,
  twin: "T101",
  offset: [0, 1, 0] as [number, number, number],
  points: [],
  text: "x",
  alarm: "",
};

describe("annotation limits", () => {
  it("refuses an author's annotation beyond their share, with a sentence, while others can still annotate", () => {
    let n = 0;
    const book = new AnnotationBook(
      "demo",
      store(),
      () => 1000,
      () => `a${n++}-`,
    );
    for (let i = 0; i < MAX_ANNOTATIONS_PER_AUTHOR; i++) expect(book.create(actor("Ada"), pin).ok).toBe(true);
    const refused = book.create(actor("Ada"), pin);
    // Always asserted: a creation that went through shows up as "created" and fails the comparison.
    expect(refused.ok ? "created" : [refused.code, refused.message]).toEqual([
      "invalid",
      expect.stringMatching(/delete some of yours/),
    ]);
    expect(book.create(actor("Bo"), pin).ok).toBe(true);
    // Deleting one of hers makes room again.
    const first = [...book.items.values()].find((a) => a.author === "Ada")!;
    expect(book.delete(actor("Ada"), first.id).ok).toBe(true);
    expect(book.create(actor("Ada"), pin).ok).toBe(true);
  });

  it(`keeps at most ${MAX_ANNOTATIONS} per plant`, () => {
    let n = 0;
    const book = new AnnotationBook(
      "demo",
      store(),
      () => 1000,
      () => `b${n++}-`,
    );
    for (let i = 0; book.items.size < MAX_ANNOTATIONS; i++) {
      expect(book.create(actor(`user${Math.floor(i / MAX_ANNOTATIONS_PER_AUTHOR)}`), pin).ok).toBe(true);
    }
    const refused = book.create(actor("Newcomer"), pin);
    expect(refused.ok ? "created" : refused.message).toMatch(/already has 1000 annotations/);
    expect(book.items.size).toBe(MAX_ANNOTATIONS);
  });
});
