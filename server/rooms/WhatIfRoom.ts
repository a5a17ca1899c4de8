/**
 * A room's what-ifs: forks the twin and predicts (server/whatif/forkTwin.ts), keeps at most MAX_WHATIFS_PER_ROOM
 * side by side in the room state so everyone compares the same predictions, and journals each one (who asked,
 * the change, the fork instant, the predicted end values and limit crossings) so an incident review can lay the
 * prediction over what really happened. It never publishes anything: the sandbox has no MQTT client to publish with.
 */
import { ArraySchema, MapSchema } from "@colyseus/schema";
import { processLinks, type ProcessLink } from "../../shared/processModel.ts";
import { MAX_WHATIFS_PER_ROOM } from "../../shared/protocol/whatIf.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { WhatIfSeriesState, WhatIfState } from "../../shared/whatIfState.ts";
import type { Actor } from "../journal/JournalEntry.ts";
import type { PlantJournal } from "../journal/PlantJournal.ts";
import type { PlantRuntime } from "../runtime/PlantHub.ts";
import { forkAndPredict, type ForkRefusal, type WhatIfAsk, type WhatIfPrediction } from "../whatif/forkTwin.ts";

export type WhatIfRefusal = { code: "not-found" | "invalid" | "failed"; message: string };

export class WhatIfRoom {
  private readonly links: readonly ProcessLink[];

  constructor(
    private readonly runtime: PlantRuntime,
    private readonly state: PlantRoomState,
    private readonly journal: PlantJournal,
    private readonly newId: () => string,
  ) {
    this.links = processLinks(runtime.plant.model.relationships);
    state.whatIfs = new MapSchema<WhatIfState>();
  }

  /** Fork at `at` (the room's playback instant) or live when null, and add the prediction to the room. */
  create(actor: Actor, ask: WhatIfAsk, at: number | null): { id: string; journalId: number } | WhatIfRefusal {
    if (this.state.whatIfs.size >= MAX_WHATIFS_PER_ROOM)
      return {
        code: "invalid",
        message: `This room already compares ${MAX_WHATIFS_PER_ROOM} what-ifs; remove one first.`,
      };
    const p = forkAndPredict(this.runtime.twin, this.links, ask, at);
    if (isRefusal(p)) return p;
    const id = this.newId();
    const journalId = this.runtime.store.append(
      this.journal.acted("whatif", actor, ask.twin, {
        id,
        point: p.point,
        ...(p.fault ? { fault: p.fault } : {}),
        was: p.was,
        value: p.value,
        horizonS: p.horizonS,
        from: p.from,
        past: p.past,
        stepS: p.stepS,
        // What was predicted, so it can be laid over what happened: the end value, the first crossing, and the
        // values `stepS` apart from the fork that the incident report compares with the plant (whatIfOutcome.ts).
        predicted: Object.fromEntries(
          p.series.map((s) => [
            s.key,
            { end: round(s.end), ...(s.first ? { first: s.first } : {}), values: s.values.map(round) },
          ]),
        ),
      }),
    );
    this.state.whatIfs.set(id, toState(id, actor.name, journalId, p));
    return { id, journalId };
  }

  remove(actor: Actor, id: string): { journalId: number } | WhatIfRefusal {
    const w = this.state.whatIfs.get(id);
    if (!w) return { code: "not-found", message: "That what-if is no longer in the room." };
    const journalId = this.runtime.store.append(
      this.journal.acted("whatif.remove", actor, w.twin, { id, point: w.point, value: w.value }),
    );
    this.state.whatIfs.delete(id);
    return { journalId };
  }
}

function isRefusal(p: WhatIfPrediction | ForkRefusal): p is ForkRefusal {
  return "code" in p;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

function toState(id: string, by: string, journalId: number, p: WhatIfPrediction): WhatIfState {
  const s = new WhatIfState();
  s.id = id;
  s.by = by;
  s.twin = p.twin;
  s.point = p.point;
  s.was = p.was;
  s.value = p.value;
  s.fault = p.fault;
  s.from = p.from;
  s.past = p.past;
  s.horizonS = p.horizonS;
  s.stepS = p.stepS;
  s.journalId = journalId;
  s.series = new MapSchema<WhatIfSeriesState>();
  for (const x of p.series) {
    const r = new WhatIfSeriesState();
    r.twin = x.twin;
    r.point = x.point;
    r.values = new ArraySchema<number>(...x.values);
    r.limit = x.first?.limit ?? "";
    r.limitValue = x.first?.value ?? 0;
    r.limitAfterS = x.first?.afterS ?? 0;
    s.series.set(x.key, r);
  }
  return s;
}
