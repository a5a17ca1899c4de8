/**
 * The drill book (server/drills/DrillBook.ts) on a real journal store and score store (SQLite in memory) with a
 * fake clock: a trainee is scored from the drill's own journal rows once the correct action is there, the score is
 * kept, and the drill ends when every trainee is scored; ending early scores the rest as things stand.
 */
import { describe, expect, it } from "vitest";
import { DrillBook } from "../../server/drills/DrillBook.ts";
import { PlantJournal } from "../../server/journal/PlantJournal.ts";
import { JournalStore } from "../../server/store/JournalStore.ts";
import { DrillScoreStore } from "../../server/store/DrillScoreStore.ts";
import { demoPlant } from "./fixtures.ts";

function fakeClock(start: number) {
  let t = start;
  const timers: (() => void)[] = [];
  return {
    now: () => t,
    setInterval: (fn: () => void) => timers.push(fn),
    clearInterval: () => {},
    advance(ms: number) {
      t += ms;
      for (const f of timers) f();
    },
  };
}

async function setup() {
  const plant = await demoPlant();
  const clock = fakeClock(1_700_000_000_000);
  const store = new JournalStore(":memory:");
  const scores = new DrillScoreStore(":memory:");
  const opened: string[] = [];
  const book = new DrillBook({
    openSandbox: (p) => {
      opened.push(p);
      return Promise.resolve();
    },
    closeSandbox: () => Promise.resolve(),
    append: (e) => store.append(e),
    query: (p, since, kinds) => store.query({ plant: p, since, kinds, limit: 10_000 }),
    keep: (r) => scores.add(r),
    clock,
    newId: () => "abcd1234",
    log: () => {},
  });
  return { plant, clock, store, scores, book, opened };
}

const TINA = { user: "dev:tina", name: "Trainee Tina" };
const INES = { user: "dev:ines", name: "Instructor Ines" };

describe("drill book", () => {
  it("scores a trainee once the drill's alarm is acknowledged in the sandbox, keeps the score, ends the drill", async () => {
    const { plant, clock, store, scores, book, opened } = await setup();
    const d = await book.start(plant, "cip-pump-cavitation", INES, [TINA]);
    if (typeof d === "string") throw new Error(d);
    expect(d.plant).toBe("demo~drill-abcd1234");
    expect(opened).toEqual(["demo~drill-abcd1234"]);
    book.noteSeat(d.plant, "seat-t", TINA.user);
    const j = new PlantJournal(d.plant, clock.now);
    const actor = { name: TINA.name, seat: "seat-t", device: "desktop", role: "operator" };
    clock.advance(15_000);
    store.append(j.entry("alarm.active", { name: "system", device: "" }, "pump-cavitation:P401", {}));
    store.append(j.acted("select", actor, "P401", { twin: "P401" }));
    book.tick();
    expect(d.trainees[0]!.scored).toBe(false);
    clock.advance(5_000);
    store.append(j.acted("alarm.ack", actor, "pump-cavitation:P401", {}));
    book.tick();
    expect(d.trainees[0]!.score).toMatchObject({ detectMs: 10_000, correctMs: 15_000, wrong: [], handling: [] });
    expect(d.status).toBe("ended");
    expect(scores.recent("demo")).toMatchObject([{ name: TINA.name, drill: "abcd1234", points: 100 }]);
    // Nothing in the real plant's journal.
    expect(store.query({ plant: "demo" })).toEqual([]);
    const kinds = store.query({ plant: d.plant }).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["drill.start", "drill.onset", "drill.score", "drill.end"]));
  });

  it("ending a drill early scores the trainees as things stand", async () => {
    const { plant, book, scores } = await setup();
    const d = await book.start(plant, "cip-pump-cavitation", INES, [TINA]);
    if (typeof d === "string") throw new Error(d);
    expect(book.end(d.id, INES)).toBeNull();
    expect(d.trainees[0]!.score).toMatchObject({ detectMs: null, correctMs: null });
    expect(scores.recent("demo")).toHaveLength(1);
    expect(book.end(d.id, INES)).toBe("That drill has ended already.");
  });

  it("refuses an unknown scenario, no trainee, and the instructor as a trainee, with a sentence", async () => {
    const { plant, book } = await setup();
    expect(await book.start(plant, "nope", INES, [TINA])).toMatch(/^There is no drill "nope" for this plant/);
    expect(await book.start(plant, "cip-pump-cavitation", INES, [])).toBe("Choose at least one trainee.");
    expect(await book.start(plant, "cip-pump-cavitation", INES, [INES])).toBe(
      "The instructor cannot be a trainee of the same drill.",
    );
  });
});
