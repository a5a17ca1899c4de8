/** The what-if panel wired to the room: requests through the session, charts redrawn through the inspector. */
import type { PlantModel } from "../../shared/plant.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import type { Inspector } from "../ui/Inspector.ts";
import { WhatIfPanel } from "../ui/WhatIfPanel.ts";

export function installWhatIf(
  session: PlantSession,
  model: PlantModel,
  inspector: Inspector,
  select: (twin: string) => void,
): WhatIfPanel {
  const panel = new WhatIfPanel(model, {
    create: async (ask) => {
      await session.ask("whatIf", ask);
    },
    remove: async (id) => {
      await session.ask("whatIfRemove", { id });
    },
    redraw: () => inspector.redraw(),
    select,
  });
  inspector.whatIf = panel;
  panel.show(inspector.current);
  return panel;
}
