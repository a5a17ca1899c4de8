/**
 * The drills panel wired to the room: requests through the session, scores over HTTP, "Join drill" reopens the page
 * on the drill's sandbox plant, "Debrief" puts the room's shared playback at the drill's start. Like the procedures
 * panel, its code is loaded lazily (lazyPanel.ts).
 */
import { DrillScoresReply, type DrillState } from "../../shared/drillState.ts";
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

export function installDrills(
  session: PlantSession,
  plantId: string,
  token: TokenSource,
  name: string,
  /** Redraw the timeline's marks (the debrief's trainee actions). */
  refreshTimeline: () => Promise<void>,
): Drills {
  const actions: DrillActions = {
    list: async () => (await session.ask("drills", {})).drills,
    start: async (scenario, trainees) => {
      await session.ask("drillStart", { scenario, trainees });
    },
    end: async (drill) => {
      await session.ask("drillEnd", { drill });
    },
    debrief: async (d: DrillState) => {
      await session.ask("playback", { action: "seek", t: d.startedAt + 1000 });
      await refreshTimeline();
    },
    join: (plant) => {
      rememberName(name);
      const url = new URL(location.href);
      url.searchParams.set("plant", plant);
      location.assign(url.toString());
    },
    scores: async () => {
      const res = await authFetch(`/api/plants/${encodeURIComponent(plantId)}/drill-scores`, token);
      if (!res.ok) throw new Error(await refusalText(res));
      return DrillScoresReply.parse(await res.json()).scores;
    },
  };
  return lazyPanel("drills", async () => new (await import("../ui/DrillsPanel.ts")).DrillsPanel(actions));
}
