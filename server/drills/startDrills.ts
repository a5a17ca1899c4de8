/** The process's drills wired to its plant hub, journal and DATA_DIR (server/app.ts calls it once). */
import path from "node:path";
import type { JournalStore } from "../store/JournalStore.ts";
import { DrillScoreStore } from "../store/DrillScoreStore.ts";
import { DrillStore } from "../store/DrillStore.ts";
import type { PlantHub } from "../runtime/PlantHub.ts";
import type { Clock } from "../twin/Clock.ts";
import { DrillBook } from "./DrillBook.ts";
import { startDrillFeed } from "./DrillFeed.ts";

export interface Drills {
  book: DrillBook;
  scores: DrillScoreStore;
  /** End and show the drills the previous process left (call once, before rooms open). */
  recover(): Promise<void>;
  close(): Promise<void>;
}

export function startDrills(o: {
  hub: PlantHub;
  store: JournalStore;
  dataDir: string;
  seed: number;
  clock: Clock;
  newId: () => string;
  log: (m: string) => void;
}): Drills {
  const scores = new DrillScoreStore(path.join(o.dataDir, "drill-scores.db"));
  const records = new DrillStore(path.join(o.dataDir, "drills.db"));
  const book = new DrillBook({
    openSandbox: async (plant, base, scenario, startedAt) => {
      o.hub.openSandbox(plant, {
        base,
        feed: (rt) => startDrillFeed(rt, { scenario, seed: o.seed, startedAt, clock: o.clock, log: o.log }),
      });
      // The book holds the sandbox from the start, so the fault comes on time whether or not anyone has joined yet.
      await o.hub.acquire(plant);
    },
    closeSandbox: (plant) => o.hub.closeSandbox(plant),
    append: (e) => o.store.append(e),
    query: (plant, since, kinds) => o.store.query({ plant, since, kinds, limit: 10_000 }),
    keep: (r) => scores.add(r),
    save: (d) => records.save(d),
    saved: () =>
      records.unfinished((id, why) =>
        o.log(
          `drills: the saved record of drill ${id} cannot be read (${why}); it is left out of recovery, kept in drills.db`,
        ),
      ),
    scenarioOf: async (base, id) => (await o.hub.get(base)).plant.drills.find((s) => s.id === id),
    clock: o.clock,
    newId: o.newId,
    log: o.log,
  });
  return {
    book,
    scores,
    recover: () => book.recover(),
    close: async () => {
      await book.close();
      scores.close();
      records.close();
    },
  };
}
