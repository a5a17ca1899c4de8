/**
 * The desktop's view buttons and keys: walk mode (F), home view (Home), point / pin / ink (P, N, I),
 * look here (L), Escape (stop following, leave the mode, or clear the selection). Keys typed into a field
 * are the field's.
 */
import type { PlantScene } from "../scene/PlantScene.ts";
import { byId } from "../ui/dom.ts";
import type { FollowPerson } from "./FollowPerson.ts";
import type { MarkingModes } from "./MarkingModes.ts";
import type { Selection } from "./Selection.ts";

export function installShortcuts(
  canvas: HTMLCanvasElement,
  scene: PlantScene,
  follow: FollowPerson,
  modes: MarkingModes,
  selection: Selection,
  lookHere: () => void,
): void {
  window.addEventListener("resize", () => scene.engine.resize());
  const walkBtn = byId("btn-walk");
  const toggleWalk = () => {
    follow.stop();
    const on = walkBtn.getAttribute("aria-pressed") !== "true";
    walkBtn.setAttribute("aria-pressed", String(on));
    scene.setWalkMode(on);
    canvas.focus();
  };
  walkBtn.addEventListener("click", toggleWalk);
  byId("btn-home").addEventListener("click", () => scene.resetView());
  window.addEventListener("keydown", (e) => {
    if (
      e.target instanceof HTMLInputElement ||
      e.target instanceof HTMLTextAreaElement ||
      e.target instanceof HTMLSelectElement
    )
      return;
    if (e.key === "f" || e.key === "F") toggleWalk();
    else if (e.key === "Home") scene.resetView();
    else if (e.key === "p" || e.key === "P") modes.set("point");
    else if (e.key === "n" || e.key === "N") modes.set("pin");
    else if (e.key === "i" || e.key === "I") modes.set("ink");
    else if (e.key === "l" || e.key === "L") lookHere();
    else if (e.key === "Escape") {
      if (follow.following) follow.stop();
      else if (modes.mode !== "none") modes.set(modes.mode);
      else selection.select(null);
    }
  });
}
