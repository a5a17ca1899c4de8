/**
 * "Look here": a ping everyone sees, at what the pointer is over, else the selected asset, else the middle of
 * the view.
 */
import type { z } from "zod";
import type { ClientMessage } from "../../shared/protocol.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { byId, toast } from "../ui/dom.ts";
import type { PoseReader } from "./PoseReader.ts";
import type { Selection } from "./Selection.ts";

export function installLookHere(
  canvas: HTMLCanvasElement,
  scene: PlantScene,
  session: PlantSession,
  selection: Selection,
  pose: PoseReader,
): () => void {
  const ping = () => {
    const sel = selection.current ? scene.twins.get(selection.current) : undefined;
    const hit =
      pose.pointerHit ??
      (sel ? { twin: sel.id, point: sel.anchor } : scene.pickAt(canvas.clientWidth / 2, canvas.clientHeight / 2));
    if (!hit) {
      toast("Point at something, or select an asset, then press “Look here”.");
      return;
    }
    const msg: z.input<(typeof ClientMessage)["ping"]> = {
      at: [hit.point.x, hit.point.y, hit.point.z],
      twin: hit.twin,
    };
    session.send("ping", msg);
  };
  byId("btn-ping").addEventListener("click", ping);
  return ping;
}
