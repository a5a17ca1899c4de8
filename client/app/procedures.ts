/** The procedures panel wired to the room: requests through the session, "show" through the page's selection. */
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { ProceduresPanel } from "../ui/ProceduresPanel.ts";
import type { Selection } from "./Selection.ts";

export function installProcedures(session: PlantSession, scene: PlantScene, selection: Selection): ProceduresPanel {
  return new ProceduresPanel({
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
  });
}
