/**
 * The plant status panel: what a person should know about where the plant's data and drawing come
 * from, in plant words. Today: a plant without a 3D scene (assets laid out by area), and each Sparkplug
 * edge node the plant binds that is not online (not heard from, waiting for its birth, dead), so
 * "why are these values grey?" has an answer on the page. Hidden while there is nothing to say.
 */
import type { EdgeNodeSeen, PlantRoomState } from "../../shared/state.ts";
import { byId, el } from "./dom.ts";

export const NO_SCENE_NOTICE = "No 3D scene for this plant: assets are laid out by area. Add scene.glb to place them.";

type EdgeNode = Pick<EdgeNodeSeen, "group" | "node" | "state" | "since">;

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** One edge node in a sentence, or null when it is online (nothing to act on). */
export function edgeNodeSentence(n: EdgeNode): string | null {
  const who = `Edge node ${n.node}`;
  switch (n.state) {
    case "online":
      return null;
    case "waiting for birth":
      return `${who}: waiting for birth — Gemba started after it; ask for a rebirth or restart it. Values it sends by name are shown meanwhile.`;
    case "offline":
      return `${who}: dead${n.since ? ` since ${clock(n.since)}` : ""} (it sent its death certificate, or its connection dropped) — its values are shown as bad until it is back.`;
    case "not seen":
      return `${who}: not heard from — check that it runs and publishes to this broker in group "${n.group}".`;
    default:
      return `${who}: ${n.state}.`;
  }
}

export class PlantStatus {
  private signature = "";

  constructor(private readonly noScene: boolean) {}

  update(state: PlantRoomState | null): void {
    const nodes = state ? [...state.edgeNodes.values()].sort((a, b) => a.node.localeCompare(b.node)) : [];
    const lines: { key: string; text: string }[] = [];
    if (this.noScene) lines.push({ key: "scene", text: NO_SCENE_NOTICE });
    for (const n of nodes) {
      const text = edgeNodeSentence(n);
      if (text) lines.push({ key: `edge:${n.group}/${n.node}`, text });
    }
    const sig = lines.map((l) => l.text).join("\n");
    if (sig === this.signature) return;
    this.signature = sig;
    const panel = byId("plant-status");
    panel.hidden = lines.length === 0;
    byId("plant-status-list").replaceChildren(
      ...lines.map((l) => {
        const li = el("li", "", l.text);
        li.dataset["status"] = l.key;
        return li;
      }),
    );
  }
}
