/** Loading the plant (its model, then its scene) while the person types their name, with the loading bar (to 90 %). */
import type { PlantModel } from "../../shared/plant.ts";
import type { TokenSource } from "../auth/authFetch.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import { fetchPlantModel } from "../session/PlantSession.ts";
import { byId } from "../ui/dom.ts";
import { showLoading } from "./pageChrome.ts";

export function loadPlant(scene: PlantScene, plantId: Promise<string>, token: TokenSource): Promise<PlantModel> {
  showLoading(0, "Loading the plant…");
  const loading = (async () => {
    const model = await fetchPlantModel(await plantId, token);
    byId("plant-name").textContent = model.name;
    byId("plant-name").title = model.name;
    byId("join-plant").textContent = model.name;
    document.title = `Gemba — ${model.name}`;
    // The scene is the first 90 % of the bar; joining the room until its first state arrives is the rest (main.ts).
    await scene.loadAsync(model, token, (f) => showLoading(f === null ? null : f * 0.9, "Loading the plant…"));
    byId("loading").hidden = true;
    return model;
  })();
  loading.catch((e: unknown) => showLoading(0, (e as Error).message));
  return loading;
}
