/**
 * The drill book (server/drills/DrillBook.ts) on a real journal store and score store (SQLite in memory) with a
 * fake clock: a trainee is scored from the drill's own journal rows once the correct action is there, the score is
 * kept, and the drill ends when every trainee is scored; ending early scores the rest as things stand. A replayed
 * start and a trainee already in a drill are refused; a drill under way when the process stops (or crashes) is ended
 * "stopped by a server restart" by the next process, scored from the journal as things stood.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DrillBook, type SavedDrill } from "../../server/drills/DrillBook.ts";
import { PlantJournal } from "../../server/journal/PlantJournal.ts";
import { JournalStore } from "../../server/store/JournalStore.ts";
import { DrillScoreStore } from "../../server/store/DrillScoreStore.ts";
import { DrillStore } from "../../server/store/DrillStore.ts";
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

type Setup = Awaited<ReturnType<typeof setup>>;

/** A book over the same stores, as the next process builds it after a restart. */
function bookOn(s: Pick<Setup, "plant" | "clock" | "store" | "scores" | "records">, ids = ["abcd1234"]) {
  return new DrillBook({
    openSandbox: () => Promise.resolve(),
    closeSandbox: () => Promise.resolve(),
    append: (e) => s.store.append(e),
    query: (p, since, kinds) => s.store.query({ plant: p, since, kinds, limit: 10_000 }),
    keep: (r) => s.scores.add(r),
    save: (d) => s.records.save(d),
    saved: () => s.records.unfinished(() => {}),
    scenarioOf: (_base, id) => Promise.resolve(s.plant.drills.find((x) => x.id === id)),
    clock: s.clock,
    newId: () => ids.shift() ?? "zzzz9999",
    log: () => {},
  });
}

async function setup() {
  const plant = await demoPlant();
  const clock = fakeClock(1_700_000_000_000);
  const store = new JournalStore(":memory:");
  const scores = new DrillScoreStore(":memory:");
  const records = new DrillStore(":memory:");
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
    save: (d) => records.save(d),
    saved: () => records.unfinished(() => {}),
    scenarioOf: (_base, id) => Promise.resolve(plant.drills.find((x) => x.id === id)),
    clock,
    newId: () => "abcd1234",
    log: () => {},
  });
  return { plant, clock, store, scores, records, book, opened };
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

  it("refuses a replayed start (the same request id) and a second drill for a trainee already in one", async () => {
    const s = await setup();
    const book = bookOn(s, ["aaaa1111", "bbbb2222"]);
    const d = await book.start(s.plant, "cip-pump-cavitation", INES, [TINA], "press-0001");
    if (typeof d === "string") throw new Error(d);
    expect(await book.start(s.plant, "cip-pump-cavitation", INES, [TINA], "press-0001")).toBe(
      "That drill was started already (for Trainee Tina); nothing new was started.",
    );
    expect(await book.start(s.plant, "stuck-valve-xv311", INES, [TINA], "press-0002")).toBe(
      "Trainee Tina is already in a drill under way; end it first, or choose someone else.",
    );
    expect(book.forPlant("demo")).toHaveLength(1);
    // Once it has ended, the same trainee can be drilled again.
    expect(book.end(d.id, INES)).toBeNull();
    const again = await book.start(s.plant, "stuck-valve-xv311", INES, [TINA], "press-0003");
    expect(typeof again).not.toBe("string");
  });

  it("a drill under way at shutdown is ended, stopped by a server restart, and shown so by the next process", async () => {
    const s = await setup();
    const d = await s.book.start(s.plant, "cip-pump-cavitation", INES, [TINA]);
    if (typeof d === "string") throw new Error(d);
    await s.book.close();
    expect(d.status).toBe("ended");
    const end = s.store.query({ plant: d.plant, kinds: ["drill.end"] });
    expect(end.map((e) => e.data)).toEqual([{ reason: "Stopped by a server restart" }]);
    expect(s.scores.recent("demo")).toMatchObject([{ user: TINA.user, correctMs: null }]);

    const next = bookOn(s);
    await next.recover();
    const shown = next.forPlant("demo");
    expect(shown).toMatchObject([{ id: d.id, status: "ended", stopped: "Stopped by a server restart", replay: false }]);
    // Journaled and scored once: the next process only shows it.
    expect(s.store.query({ plant: d.plant, kinds: ["drill.end"] })).toHaveLength(1);
    expect(s.scores.recent("demo")).toHaveLength(1);
    // Shown by that process only: the one after it has nothing left to recover.
    const third = bookOn(s);
    await third.recover();
    expect(third.forPlant("demo")).toEqual([]);
  });

  it("a drill found running after a crash is ended by the next process, its trainee scored from the journal", async () => {
    const s = await setup();
    const d = await s.book.start(s.plant, "cip-pump-cavitation", INES, [TINA]);
    if (typeof d === "string") throw new Error(d);
    s.book.noteSeat(d.plant, "seat-t", TINA.user);
    const j = new PlantJournal(d.plant, s.clock.now);
    s.clock.advance(12_000);
    s.store.append(
      j.acted("select", { name: TINA.name, seat: "seat-t", device: "vr", role: "operator" }, "P401", { twin: "P401" }),
    );
    // No close(): the process is gone. The next one starts on the same stores.
    s.clock.advance(60_000);
    const next = bookOn(s);
    await next.recover();
    const [shown] = next.forPlant("demo");
    expect(shown).toMatchObject({ status: "ended", stopped: "Stopped by a server restart", replay: false });
    expect(shown!.trainees[0]!.score).toMatchObject({ detectMs: 7_000, correctMs: null });
    expect(s.scores.recent("demo")).toMatchObject([{ user: TINA.user, detectMs: 7_000, correctMs: null }]);
    expect(s.store.query({ plant: d.plant, kinds: ["drill.end"] }).map((e) => e.data)).toEqual([
      { reason: "Stopped by a server restart" },
    ]);
  });

  it("a saved drill whose record cannot be read is reported by id and left out; the others still recover", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-drills-"));
    try {
      const file = path.join(dir, "drills.db");
      const store = new DrillStore(file);
      const base = { status: "running", recover: true } as const;
      store.save({ ...base, id: "good0001" } as unknown as SavedDrill);
      store.save({ ...base, id: "bad00002" } as unknown as SavedDrill);
      store.close();
      // A torn write or a hand edit: the record is no longer JSON.
      const raw = new Database(file);
      raw.prepare("UPDATE drills SET record = '{\"id\": \"bad0' WHERE id = 'bad00002'").run();
      raw.close();
      const reopened = new DrillStore(file);
      const unreadable: string[] = [];
      expect(reopened.unfinished((id) => unreadable.push(id)).map((d) => d.id)).toEqual(["good0001"]);
      expect(unreadable).toEqual(["bad00002"]);
      reopened.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
