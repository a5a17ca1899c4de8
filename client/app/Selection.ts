/**
 * What is selected, on every view at once: the inspector, the label, the scene's highlight and (unless the
 * selection came from the room) the room. The inspector's Share and Summon buttons act on it.
 */
import { can } from "../../shared/permissions.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { byId } from "../ui/dom.ts";
import type { Inspector } from "../ui/Inspector.ts";
import type { Labels } from "../ui/Labels.ts";
import type { Me } from "./me.ts";
import type { RoomView } from "./RoomView.ts";

export class Selection {
  constructor(
    private readonly inspector: Inspector,
    private readonly labels: Labels,
    private readonly scene: PlantScene,
    private readonly session: PlantSession,
    private readonly roomView: RoomView,
    private readonly me: Me,
  ) {
    scene.onPick = (id) => this.select(id);
    inspector.onClose = () => this.select(null);
    byId("btn-share").addEventListener("click", () => {
      if (inspector.current) session.send("share", { twin: inspector.current });
    });
    byId("btn-summon").addEventListener("click", () => {
      if (inspector.current) session.send("summon", { twin: inspector.current });
    });
  }

  get current(): string | null {
    return this.inspector.current;
  }

  /** `tell`: also tell the room (not when the room told us). */
  select(id: string | null, tell = true): void {
    this.inspector.show(id);
    this.labels.setSelected(id);
    this.scene.select(id);
    if (tell) this.session.select(id);
    const view = this.roomView.current();
    if (view) this.inspector.update(view, view.at);
    this.refreshActions();
  }

  /** Summon is for those whose role allows it. */
  refreshActions(): void {
    byId("btn-summon").hidden = !can(this.me().role, "summon");
  }
}
