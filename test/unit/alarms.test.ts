import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AlarmBook } from "../../server/alarms/AlarmBook.ts";
import {
  acknowledge,
  conditionActive,
  conditionCleared,
  newAlarm,
  shelve,
} from "../../server/alarms/AlarmLifecycle.ts";
import { JournalStore } from "../../server/store/JournalStore.ts";
import { LimitAlarms } from "../../server/alarms/LimitAlarms.ts";
import { restoreEvaluators } from "../../server/alarms/restoreAlarms.ts";
import { RuleEngine } from "../../server/rules/index.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import { Quality } from "../../shared/status.ts";
import { demoPlant } from "./fixtures.ts";

const op = { name: "Olu", seat: "s1", device: "desktop", role: "operator" };

describe("ISA-18.2 alarm lifecycle", () => {
  it("active → acknowledged → cleared returns to normal", () => {
    const a = newAlarm("r", "P101", 3);
    expect(conditionActive(a, 1000, "m")?.kind).toBe("alarm.active");
    expect(a.state).toBe("unack-active");
    expect(acknowledge(a, "Olu", 2000).ok).toBe(true);
    expect(a.state).toBe("ack-active");
    expect(conditionCleared(a, 3000)?.kind).toBe("alarm.cleared");
    expect(a.state).toBe("normal");
  });

  it("active → cleared unacknowledged stays visible until acknowledged", () => {
    const a = newAlarm("r", "P101", 3);
    conditionActive(a, 1000, "m");
    conditionCleared(a, 2000);
    expect(a.state).toBe("rtn-unack");
    conditionActive(a, 2500, "m"); // comes back before anyone acknowledged
    expect(a.state).toBe("unack-active");
    conditionCleared(a, 2600);
    expect(acknowledge(a, "Olu", 3000).ok).toBe(true);
    expect(a.state).toBe("normal");
  });

  it("acknowledging a normal alarm is refused with a sentence", () => {
    const a = newAlarm("r", "P101", 3);
    const r = acknowledge(a, "Olu", 1);
    expect(r).toEqual({ ok: false, message: "Alarm r:P101 has nothing to acknowledge (it is normal)." });
  });

  it("shelving has bounds and an expiry", () => {
    const a = newAlarm("r", "P101", 3);
    expect(shelve(a, "Olu", 0, 0, "x").ok).toBe(false);
    expect(shelve(a, "Olu", 0, 9 * 3600_000, "x").ok).toBe(false);
    expect(shelve(a, "Olu", 1000, 60_000, "maintenance").ok).toBe(true);
    expect(a.shelvedUntil).toBe(61_000);
  });
});

describe("AlarmBook + JournalStore (SQLite on disk)", () => {
  const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-j-")), "gemba.db");

  it("stores each change with its journal entry, and a reopened store restores the alarms", () => {
    const file = tmp();
    let now = 10_000;
    const store = new JournalStore(file);
    const book = new AlarmBook("demo", store, () => now);
    book.applyConditions([
      {
        rule: "limit.level",
        twin: "T102",
        active: true,
        at: 9000,
        severity: 3,
        message: "Level high",
        values: { level: 97 },
      },
    ]);
    now = 11_000;
    const r = book.ack("limit.level:T102", op);
    expect(r.ok && r.journalId).toBeGreaterThan(0);
    store.close();

    const reopened = new JournalStore(file);
    const book2 = new AlarmBook("demo", reopened, () => now);
    const a = book2.alarms.get("limit.level:T102")!;
    expect(a.state).toBe("ack-active");
    expect(a.ackedBy).toBe("Olu");
    const kinds = reopened.query({ plant: "demo" }).map((e) => `${e.kind}:${e.actor}`);
    expect(kinds).toEqual(["alarm.active:system", "alarm.ack:Olu"]);
    expect(reopened.query({ plant: "demo", kinds: ["alarm.active"] })[0]!.data["values"]).toEqual({ level: 97 });
    reopened.close();
  });

  it("the journal is append-only: updates and deletes are refused by the database", () => {
    const store = new JournalStore(tmp());
    store.append({ ts: 1, plant: "demo", kind: "join", actor: "A", device: "desktop", subject: "s", data: {} });
    const db = (store as unknown as { db: { exec(sql: string): void } }).db;
    expect(() => db.exec("UPDATE journal SET actor = 'B'")).toThrow(/append-only/);
    expect(() => db.exec("DELETE FROM journal")).toThrow(/append-only/);
    expect(store.query({ plant: "demo" })).toHaveLength(1);
    store.close();
  });

  it("a refused action is journaled as denied, and changes nothing", () => {
    const store = new JournalStore(tmp());
    const book = new AlarmBook("demo", store, () => 5);
    book.applyConditions([{ rule: "r", twin: "P101", active: true, at: 1, severity: 2, message: "m" }]);
    book.recordDenied("r:P101", { ...op, role: "viewer" }, "acknowledge", "A viewer cannot acknowledge alarms.");
    expect(book.alarms.get("r:P101")!.state).toBe("unack-active");
    expect(store.query({ plant: "demo", kinds: ["denied"] })[0]).toMatchObject({ actor: "Olu", subject: "r:P101" });
    store.close();
  });

  it("shelving runs out by itself on tick", () => {
    const store = new JournalStore(tmp());
    let now = 0;
    const book = new AlarmBook("demo", store, () => now);
    book.applyConditions([{ rule: "r", twin: "P101", active: true, at: 0, severity: 2, message: "m" }]);
    expect(book.shelve("r:P101", op, 60_000, "pump swap").ok).toBe(true);
    now = 59_000;
    book.tick(now);
    expect(book.alarms.get("r:P101")!.shelvedUntil).toBe(60_000);
    now = 60_000;
    book.tick(now);
    expect(book.alarms.get("r:P101")!.shelvedUntil).toBe(0);
    expect(store.query({ plant: "demo", kinds: ["alarm.unshelve"] })[0]!.actor).toBe("system");
    store.close();
  });
});

describe("limit alarms across a restart", () => {
  const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-r-")), "gemba.db");
  const T = Date.UTC(2026, 11, 6, 3);

  /** One process life: a fresh twin and limit evaluator over the same journal file. */
  async function boot(file: string, now: () => number) {
    const plant = await demoPlant();
    const store = new JournalStore(file);
    const book = new AlarmBook("demo", store, now);
    const twin = new PlantTwin(plant.model);
    const limits = new LimitAlarms(twin);
    // As PlantHub does it: the limit evaluator and the rule engine seeded from the restored book.
    const restored = restoreEvaluators(book.alarms.values(), limits, new RuleEngine(plant.rules, twin, plant.model));
    const level = twin.indexOf("T102", "level")!;
    const current = twin.indexOf("P101", "current")!;
    const sample = (i: number, v: number, ts: number) => {
      twin.apply(i, v, ts, Quality.GOOD, ts);
      book.applyConditions(limits.drain());
    };
    return { store, book, twin, restored, level, current, sample };
  }

  it("an acknowledged active alarm whose value is normal after restart returns to normal; an unacknowledged one to returned-unacknowledged", async () => {
    const file = tmp();
    let now = T;
    const first = await boot(file, () => now);
    first.sample(first.level, 98.5, T); // above the 96 alarm limit
    first.sample(first.current, 23, T); // above the 21 A alarm limit
    now = T + 1000;
    expect(first.book.ack("limit.level:T102", op).ok).toBe(true);
    expect(first.book.alarms.get("limit.current:P101")!.state).toBe("unack-active");
    first.store.close();

    const second = await boot(file, () => now);
    expect(second.restored).toEqual({ limits: 2, rules: 0 });
    expect(second.book.alarms.get("limit.level:T102")!.state).toBe("ack-active");
    // Nothing changes before fresh evidence arrives.
    expect(second.book.alarms.get("limit.level:T102")!.state).toBe("ack-active");
    expect(second.book.alarms.get("limit.current:P101")!.state).toBe("unack-active");
    now = T + 60_000;
    second.sample(second.level, 50, T + 60_000);
    second.sample(second.current, 15, T + 60_000);
    expect(second.book.alarms.get("limit.level:T102")!.state).toBe("normal");
    expect(second.book.alarms.get("limit.current:P101")!.state).toBe("rtn-unack");
    const kinds = second.store.query({ plant: "demo", kinds: ["alarm.cleared"] }).map((e) => e.subject);
    expect(kinds.sort()).toEqual(["limit.current:P101", "limit.level:T102"]);
    second.store.close();
  });

  it("a restored alarm whose value is still beyond its limit stays active, without a second activation", async () => {
    const file = tmp();
    const now = T;
    const first = await boot(file, () => now);
    first.sample(first.level, 98.5, T);
    first.store.close();
    const second = await boot(file, () => now);
    second.sample(second.level, 99, T + 5000);
    expect(second.book.alarms.get("limit.level:T102")!.state).toBe("unack-active");
    expect(second.store.query({ plant: "demo", kinds: ["alarm.active"] })).toHaveLength(1);
    second.store.close();
  });
});
