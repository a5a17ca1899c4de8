/** The incidents list under the alarms, wired to the room: closing goes through the session (docs/TRAINING.md). */
import type { PlantModel } from "../../shared/plant.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { IncidentsPanel } from "../ui/IncidentsPanel.ts";

export function installIncidents(model: PlantModel, session: PlantSession): IncidentsPanel {
  return new IncidentsPanel(model, {
    close: async (alarm, activeAt, summary) => {
      await session.ask("incidentClose", { alarm, activeAt, summary });
    },
  });
}
