/**
 * The drills of this server process (docs/TRAINING.md): start one on a plant's sandbox twin for named trainees, learn
 * which seats of its room are whose, score each trainee from the drill's own journal as they act, keep the scores,
 * end it. The plant's rooms mirror `forPlant` into their state (server/rooms/DrillStateSync.ts).
 * Nothing here touches the real plant: the sandbox has its own twin, alarm book and journal plant id.
 *
 * A drill outlives its process only as a record (`save`): one running when the server shuts down, or found running
 * when it starts again (a crash), is ended "stopped by a server restart" with its trainees scored as things stood,
 * never left running nor lost. A replayed start (the same request id) and a trainee already in a drill are refused.
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
/** Start request ids remembered to refuse a replay; the oldest is forgotten first. */
const REMEMBERED_REQUESTS = 500;
/** Why a drill ended when its server shut down or crashed while it ran. */
export const RESTART_STOP = "Stopped by a server restart";

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
  /** Why it ended before its trainees' own actions scored them all ("" when they did, or the instructor ended it). */
  stopped: string;
  /** Its sandbox runs in this process (false for a drill recovered after a restart: nothing to join or replay). */
  replay: boolean;
}

/** A drill as kept on disk (server/store/DrillStore.ts): enough to end it and score it after a restart. */
export interface SavedDrill {
  id: string;
  base: string;
  plant: string;
  scenario: string;
  instructor: Person;
  trainees: { user: string; name: string; seats: string[]; score: DrillScore | null; scored: boolean }[];
  startedAt: number;
  onsetAt: number;
  endedAt: number;
  status: "running" | "ended";
  stopped: string;
  onsetJournaled: boolean;
  /** Show it (ended) in the rooms of the next process: it was stopped by this process's shutdown. */
  recover: boolean;
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
  /** Keep the drill's record (on every change that matters after a restart). */
  save(d: SavedDrill): void;
  /** Drills the previous process left running, or stopped at its shutdown. */
  saved(): SavedDrill[];
  /** A plant's scenario by id (the plant is loaded if need be); undefined when it is gone. */
  scenarioOf(base: string, id: string): Promise<DrillScenario | undefined>;
  clock: Clock;
  newId: () => string;
  log: (m: string) => void;
}

export class DrillBook {
  private readonly drills = new Map<string, Drill>();
  /** Start request id → the trainees' names, to refuse a replayed start. */
  private readonly requests = new Map<string, string>();
  /** Users in a drill being opened (between the checks and the sandbox being up). */
  private readonly starting = new Set<string>();
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

  /** Start `scenario` of `plant` for `trainees`; a string says why not. `request` identifies one press of Start. */
  async start(
    plant: LoadedPlant,
    scenarioId: string,
    instructor: Person,
    trainees: Person[],
    request?: string,
  ): Promise<Drill | string> {
    const replayed = request === undefined ? undefined : this.requests.get(request);
    if (replayed !== undefined) return `That drill was started already (for ${replayed}); nothing new was started.`;
    const scenario = plant.drills.find((s) => s.id === scenarioId);
    if (!scenario) {
      const known = plant.drills.map((s) => s.id).join(", ") || "none";
      return `There is no drill "${scenarioId}" for this plant (it has: ${known}).`;
    }
    if (trainees.length === 0) return "Choose at least one trainee.";
    if (trainees.some((t) => t.user === instructor.user))
      return "The instructor cannot be a trainee of the same drill.";
    const busy = trainees.find((t) => this.inDrill(t.user));
    if (busy) return `${busy.name} is already in a drill under way; end it first, or choose someone else.`;
    const oldest =
      this.drills.size < MAX_DRILLS
        ? null
        : [...this.drills.values()].filter((d) => d.status === "ended").sort((a, b) => a.endedAt - b.endedAt)[0];
    if (oldest === undefined) return `${MAX_DRILLS} drills are under way on this server; end one first.`;
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
      stopped: "",
      replay: true,
    };
    // Held from here: a replay or a second start for the same trainee that arrives while the sandbox opens is refused.
    const names = trainees.map((t) => t.name).join(", ");
    if (request !== undefined) this.remember(request, names);
    for (const t of trainees) this.starting.add(t.user);
    try {
      if (oldest) {
        this.drills.delete(oldest.id);
        await this.ports.closeSandbox(oldest.plant);
      }
      await this.ports.openSandbox(drill.plant, drill.base, scenario, now);
    } catch (e) {
      if (request !== undefined) this.requests.delete(request);
      throw e;
    } finally {
      for (const t of trainees) this.starting.delete(t.user);
    }
    this.drills.set(id, drill);
    const journal = new PlantJournal(drill.plant, () => this.ports.clock.now());
    this.ports.append(
      journal.entry("drill.start", { name: instructor.name, device: "" }, id, {
        scenario: scenario.id,
        trainees: trainees.map((t) => t.name),
        onsetAt: drill.onsetAt,
      }),
    );
    this.save(drill);
    this.ports.log(`drill ${id}: "${scenario.id}" on ${drill.plant} for ${names}`);
    this.version++;
    return drill;
  }

  /** `user` is a trainee of a drill under way (or being opened). */
  private inDrill(user: string): boolean {
    if (this.starting.has(user)) return true;
    for (const d of this.drills.values())
      if (d.status === "running" && d.trainees.some((t) => t.user === user)) return true;
    return false;
  }

  private remember(request: string, names: string): void {
    if (this.requests.size >= REMEMBERED_REQUESTS) this.requests.delete(this.requests.keys().next().value!);
    this.requests.set(request, names);
  }

  private save(d: Drill, recover = false): void {
    this.ports.save({
      id: d.id,
      base: d.base,
      plant: d.plant,
      scenario: d.scenario.id,
      instructor: d.instructor,
      trainees: d.trainees.map((t) => ({ ...t, seats: [...t.seats] })),
      startedAt: d.startedAt,
      onsetAt: d.onsetAt,
      endedAt: d.endedAt,
      status: d.status,
      stopped: d.stopped,
      onsetJournaled: d.onsetJournaled,
      recover,
    });
  }

  /**
   * At start-up: the drills the previous process left. One still running (the process crashed) is ended now, its
   * trainees scored from the journal as things stood; one it stopped at shutdown is shown ended. Neither has a
   * sandbox any more (nothing to join or replay).
   */
  async recover(): Promise<void> {
    for (const s of this.ports.saved()) {
      if (this.drills.has(s.id)) continue;
      const scenario = await this.ports.scenarioOf(s.base, s.scenario).catch(() => undefined);
      if (!scenario) {
        this.ports.log(`drill ${s.id}: its scenario "${s.scenario}" is gone from ${s.base}; recorded as stopped`);
        const endedAt = s.endedAt || this.ports.clock.now();
        this.ports.save({ ...s, status: "ended", endedAt, stopped: s.stopped || RESTART_STOP, recover: false });
        continue;
      }
      const d: Drill = {
        ...s,
        scenario,
        trainees: s.trainees.map((t) => ({ ...t, seats: new Set(t.seats) })),
        replay: false,
      };
      this.drills.set(d.id, d);
      if (d.status === "running") {
        this.score(d, true, null, RESTART_STOP);
        this.ports.log(`drill ${d.id}: found running after a restart; ended, its trainees scored as things stood`);
      }
      this.save(d);
      this.version++;
    }
  }

  /** A seat of the drill's room belongs to `user` (rooms call this as seats appear). */
  noteSeat(plant: string, seat: string, user: string): void {
    const d = this.byPlant(plant);
    const t = d?.trainees.find((x) => x.user === user);
    if (!d || !t || t.seats.has(seat)) return;
    t.seats.add(seat);
    // Kept: a restart scores the trainee from the journal rows of these seats.
    this.save(d);
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
        this.save(d);
      }
      this.score(d, now >= d.onsetAt + d.scenario.limitSeconds * 1000, null);
    }
  }

  /**
   * Score each trainee from the drill's rows; final once the correct action is done, or for all when `ending`.
   * `stopped`: why it ends early (journaled with its end and shown in the rooms).
   */
  private score(d: Drill, ending: boolean, by: Person | null, stopped = "", recover = false): void {
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
      d.stopped = stopped;
      changed = true;
      this.ports.append(
        journal.entry(
          "drill.end",
          by ? { name: by.name, device: "" } : SYSTEM,
          d.id,
          stopped ? { reason: stopped } : {},
        ),
      );
    }
    if (changed) {
      this.save(d, recover);
      this.version++;
    }
  }

  /** At shutdown: a drill under way is ended "stopped by a server restart" and shown so by the next process. */
  async close(): Promise<void> {
    this.ports.clock.clearInterval(this.timer);
    for (const d of this.drills.values()) if (d.status === "running") this.score(d, true, null, RESTART_STOP, true);
    for (const d of this.drills.values()) await this.ports.closeSandbox(d.plant);
    this.drills.clear();
  }
}
