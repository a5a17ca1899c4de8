/**
 * The procedures panel wired to the room: requests through the session, "show" through the page's selection.
 * The panel's code is not needed to show the first live value: it is imported once the room's first state has
 * arrived and that value is on screen (lazyPanel), and it is then given the latest state.
 */
import type { PlantRoomState } from "../../shared/state.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { lazyPanel } from "./lazyPanel.ts";
import type { ProcedureActions, ProceduresPanel } from "../ui/ProceduresPanel.ts";
import type { Selection } from "./Selection.ts";

type Me = Parameters<ProceduresPanel["update"]>[1];

export interface Procedures {
  /** On every room patch (cheap until the panel is loaded: it keeps the latest state). */
  update(state: PlantRoomState, me: Me): void;
}

export function installProcedures(
  session: PlantSession,
  scene: PlantScene,
  selection: Selection,
  /** The first live value on screen (Labels.firstValue): the panel's code loads after it. */
  firstValue: Promise<void>,
): Procedures {
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
  return lazyPanel(
    "procedures",
    async () => new (await import("../ui/ProceduresPanel.ts")).ProceduresPanel(actions),
    firstValue,
  );
}
