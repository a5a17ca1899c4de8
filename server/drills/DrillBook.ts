/**
 * The drills of this server process (docs/TRAINING.md): start one on a plant's sandbox twin for named trainees, learn
 * which seats of its room are whose, score each trainee from the drill's own journal as they act, keep the scores,
 * end it. The plant's rooms mirror `forPlant` into their state (server/rooms/DrillStateSync.ts).
 * Nothing here touches the real plant: the sandbox has its own twin, alarm book and journal plant id.
 */
import { drillPlantId } from "../../shared/drill.ts";
import type { DrillScoreRecord } from "../../shared/drillState.ts";
import { PlantJournal, SYSTEM } from "../journal/PlantJournal.ts";
import type { NewJournalEntry } from "../journal/JournalEntry.ts";
import type { LoadedPlant } from "../plant/loadPlant.ts";
import type { Clock } from "../twin/Clock.ts";
import type { DrillScenario } from "./DrillScenario.ts";
import { scoreDrill, type DrillScore } from "./scoreDrill.ts";

/** The kinds of journal row a score is computed from. */
const SCORED_KINDS = ["alarm.active", "alarm.ack", "alarm.shelve", "select", "procedure.start", "procedure.step"];
/** Sandboxes kept at once per process: each runs a simulator and a twin. The oldest ended drill makes room. */
export const MAX_DRILLS = 4;

export interface Person {
  user: string;
  name: string;
}

export interface DrillTrainee extends Person {
  /** Seats this person held in the drill's room (journal rows name the seat). */
  seats: Set<string>;
  score: DrillScore | null;
  /** The score is final (the correct action was done, or the drill ended). */
  scored: boolean;
}

export interface Drill {
  id: string;
  base: string;
  plant: string;
  scenario: DrillScenario;
  instructor: Person;
  trainees: DrillTrainee[];
  startedAt: number;
  onsetAt: number;
  endedAt: number;
  status: "running" | "ended";
  onsetJournaled: boolean;
}

/** What the book needs of the process: the sandboxes (PlantHub), the journal, the score store. */
export interface DrillBookPorts {
  openSandbox(plant: string, base: string, scenario: DrillScenario, startedAt: number): Promise<void>;
  closeSandbox(plant: string): Promise<void>;
  append(e: NewJournalEntry): number;
  query(
    plant: string,
    since: number,
    kinds: string[],
  ): { ts: number; kind: string; subject: string; data: Record<string, unknown> }[];
  keep(r: DrillScoreRecord): void;
  clock: Clock;
  newId: () => string;
  log: (m: string) => void;
}

export class DrillBook {
  private readonly drills = new Map<string, Drill>();
  /** Bumped on every change the rooms show. */
  version = 0;
  private readonly timer: unknown;

  constructor(private readonly ports: DrillBookPorts) {
    this.timer = ports.clock.setInterval(() => this.tick(), 1000);
  }

  forPlant(base: string): Drill[] {
    return [...this.drills.values()].filter((d) => d.base === base);
  }

  byPlant(plant: string): Drill | undefined {
    return [...this.drills.values()].find((d) => d.plant === plant);
  }

  /** Start `scenario` of `plant` for `trainees`; a string says why not. */
  async start(plant: LoadedPlant, scenarioId: string, instructor: Person, trainees: Person[]): Promise<Drill | string> {
    const scenario = plant.drills.find((s) => s.id === scenarioId);
    if (!scenario) {
      const known = plant.drills.map((s) => s.id).join(", ") || "none";
      return `There is no drill "${scenarioId}" for this plant (it has: ${known}).`;
    }
    if (trainees.length === 0) return "Choose at least one trainee.";
    if (trainees.some((t) => t.user === instructor.user))
      return "The instructor cannot be a trainee of the same drill.";
    if (this.drills.size >= MAX_DRILLS) {
      const oldest = [...this.drills.values()]
        .filter((d) => d.status === "ended")
        .sort((a, b) => a.endedAt - b.endedAt)[0];
      if (!oldest) return `${MAX_DRILLS} drills are under way on this server; end one first.`;
      this.drills.delete(oldest.id);
      await this.ports.closeSandbox(oldest.plant);
    }
    const id = this.ports.newId();
    const now = this.ports.clock.now();
    const drill: Drill = {
      id,
      base: plant.model.id,
      plant: drillPlantId(plant.model.id, id),
      scenario,
      instructor,
      trainees: trainees.map((t) => ({ ...t, seats: new Set(), score: null, scored: false })),
      startedAt: now,
      onsetAt: now + scenario.fault.onsetSeconds * 1000,
      endedAt: 0,
      status: "running",
      onsetJournaled: false,
    };
    await this.ports.openSandbox(drill.plant, drill.base, scenario, now);
    this.drills.set(id, drill);
    const journal = new PlantJournal(drill.plant, () => this.ports.clock.now());
    this.ports.append(
      journal.entry("drill.start", { name: instructor.name, device: "" }, id, {
        scenario: scenario.id,
        trainees: trainees.map((t) => t.name),
        onsetAt: drill.onsetAt,
      }),
    );
    this.ports.log(`drill ${id}: "${scenario.id}" on ${drill.plant} for ${trainees.map((t) => t.name).join(", ")}`);
    this.version++;
    return drill;
  }

  /** A seat of the drill's room belongs to `user` (rooms call this as seats appear). */
  noteSeat(plant: string, seat: string, user: string): void {
    const t = this.byPlant(plant)?.trainees.find((x) => x.user === user);
    if (t && !t.seats.has(seat)) t.seats.add(seat);
  }

  /** End a drill now: every trainee not scored yet is scored as things stand. */
  end(id: string, by: Person): string | null {
    const d = this.drills.get(id);
    if (!d) return "That drill is no longer on this server.";
    if (d.status === "ended") return "That drill has ended already.";
    this.score(d, true, by);
    return null;
  }

  tick(): void {
    for (const d of this.drills.values()) {
      if (d.status !== "running") continue;
      const now = this.ports.clock.now();
      if (!d.onsetJournaled && now >= d.onsetAt) {
        d.onsetJournaled = true;
        this.ports.append(new PlantJournal(d.plant, () => now).entry("drill.onset", SYSTEM, d.id, {}, d.onsetAt));
      }
      this.score(d, now >= d.onsetAt + d.scenario.limitSeconds * 1000, null);
    }
  }

  /** Score each trainee from the drill's rows; final once the correct action is done, or for all when `ending`. */
  private score(d: Drill, ending: boolean, by: Person | null): void {
    const rows = this.ports.query(d.plant, d.startedAt, SCORED_KINDS);
    const now = this.ports.clock.now();
    const journal = new PlantJournal(d.plant, () => now);
    let changed = false;
    for (const t of d.trainees) {
      if (t.scored) continue;
      const score = scoreDrill(rows, {
        onsetAt: d.onsetAt,
        limitMs: d.scenario.limitSeconds * 1000,
        expect: d.scenario.expect,
        seats: t.seats,
      });
      if (score.correctMs === null && !ending) continue;
      t.score = score;
      t.scored = true;
      changed = true;
      this.ports.append(journal.entry("drill.score", { name: t.name, device: "" }, d.id, { user: t.user, ...score }));
      this.ports.keep({
        drill: d.id,
        plant: d.base,
        scenario: d.scenario.id,
        title: d.scenario.title,
        user: t.user,
        name: t.name,
        startedAt: d.startedAt,
        scoredAt: now,
        ...score,
      });
    }
    if (d.trainees.every((t) => t.scored)) {
      d.status = "ended";
      d.endedAt = now;
      changed = true;
      this.ports.append(journal.entry("drill.end", by ? { name: by.name, device: "" } : SYSTEM, d.id, {}));
    }
    if (changed) this.version++;
  }

  async close(): Promise<void> {
    this.ports.clock.clearInterval(this.timer);
    for (const d of this.drills.values()) await this.ports.closeSandbox(d.plant);
    this.drills.clear();
  }
}
