/**
 * The procedures panel wired to the room: requests through the session, "show" through the page's selection.
 * The panel's code is not needed to show the first live value: it is imported once the room's first state has
 * arrived and the page has a moment to spare, and it is then given the latest state.
 */
import type { PlantRoomState } from "../../shared/state.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { afterPaint } from "../ui/afterPaint.ts";
import { toast } from "../ui/dom.ts";
import type { ProcedureActions, ProceduresPanel } from "../ui/ProceduresPanel.ts";
import type { Selection } from "./Selection.ts";

type Me = Parameters<ProceduresPanel["update"]>[1];

export interface Procedures {
  /** On every room patch (cheap until the panel is loaded: it keeps the latest state). */
  update(state: PlantRoomState, me: Me): void;
}

export function installProcedures(session: PlantSession, scene: PlantScene, selection: Selection): Procedures {
  const actions: ProcedureActions = {
    list: async () => (await session.ask("procedures", {})).procedures,
    start: async (procedure) => {
      await session.ask("procedureStart", { procedure });
    },
    done: async (run, step, note) => {
      await session.ask("procedureDone", note.trim() ? { run, step, note } : { run, step });
    },
    stop: async (run, reason) => {
      await session.ask("procedureStop", { run, reason });
    },
    show: (twin) => {
      selection.select(twin);
      scene.focus(twin);
    },
  };
  let panel: ProceduresPanel | null = null;
  let latest: [PlantRoomState, Me] | null = null;
  let asked = false;
  const load = () => {
    import("../ui/ProceduresPanel.ts").then(
      ({ ProceduresPanel }) => {
        panel = new ProceduresPanel(actions);
        if (latest) panel.update(...latest);
      },
      (e: unknown) => toast(`The procedures panel could not be loaded: ${(e as Error).message}. Reload the page.`),
    );
  };
  return {
    update(state, me) {
      if (panel) return panel.update(state, me);
      latest = [state, me];
      if (asked) return;
      asked = true;
      afterPaint(load);
    },
  };
}
