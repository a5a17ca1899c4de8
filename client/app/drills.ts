/**
 * The drills panel wired to the room: requests through the session, scores over HTTP, "Join drill" reopens the page
 * on the drill's sandbox plant (the headset's Drills tab does the same), "Debrief" replays the drill to the room from
 * its start (the server seeks and plays). Like the procedures panel, its code is loaded lazily (lazyPanel.ts).
 */
import { DrillScoresReply, type DrillState } from "../../shared/drillState.ts";
import { newDrillRequestId } from "../../shared/protocol.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { authFetch, refusalText, type TokenSource } from "../auth/authFetch.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import type { DrillActions, DrillsPanel } from "../ui/DrillsPanel.ts";
import { rememberName } from "./joinDialog.ts";
import { lazyPanel } from "./lazyPanel.ts";

type Me = Parameters<DrillsPanel["update"]>[1];

export interface Drills {
  update(state: PlantRoomState, me: Me): void;
}

/** Reopen this page on a drill's sandbox plant; the join dialog offers the same name. */
export function openDrillRoom(plant: string, name: string): void {
  rememberName(name);
  const url = new URL(location.href);
  url.searchParams.set("plant", plant);
  location.assign(url.toString());
}

export function installDrills(
  session: PlantSession,
  plantId: string,
  token: TokenSource,
  name: string,
  /** Redraw the timeline's marks (the debrief's trainee actions). */
  refreshTimeline: () => Promise<void>,
  /** The first live value on screen (Labels.firstValue): the panel's code loads after it. */
  firstValue: Promise<void>,
): Drills {
  const actions: DrillActions = {
    list: async () => (await session.ask("drills", {})).drills,
    start: async (scenario, trainees) => {
      // One id per press: a replay of this message (a double send, a reconnect) is refused, never a second drill.
      await session.ask("drillStart", { scenario, trainees, request: newDrillRequestId() });
    },
    end: async (drill) => {
      await session.ask("drillEnd", { drill });
    },
    debrief: async (d: DrillState) => {
      await session.ask("drillDebrief", { drill: d.id });
      await refreshTimeline();
    },
    join: (plant) => openDrillRoom(plant, name),
    scores: async () => {
      const res = await authFetch(`/api/plants/${encodeURIComponent(plantId)}/drill-scores`, token);
      if (!res.ok) throw new Error(await refusalText(res));
      return DrillScoresReply.parse(await res.json()).scores;
    },
  };
  return lazyPanel("drills", async () => new (await import("../ui/DrillsPanel.ts")).DrillsPanel(actions), firstValue);
}
