/**
 * Page bootstrap: start loading the plant at once, ask for a display name, join
 * the plant room, and keep labels, status colours, participants and the
 * inspector in step with the room state.
 */
import { DisplayName } from "../shared/protocol.ts";
import type { PlantRoomState } from "../shared/state.ts";
import { PlantScene } from "./scene/PlantScene.ts";
import { detectDevice } from "./session/device.ts";
import { fetchDefaultPlant, fetchPlantModel, PlantSession, type ConnectionState } from "./session/PlantSession.ts";
import { byId, toast } from "./ui/dom.ts";
import { Inspector } from "./ui/Inspector.ts";
import { Labels } from "./ui/Labels.ts";
import { Participants } from "./ui/Participants.ts";
import { Alarms } from "./ui/Alarms.ts";

const NAME_KEY = "gemba.displayName";

/** Test and debugging hook: read-only view of what the page shows. */
declare global {
  interface Window {
    __gemba?: { ready: boolean; joined: boolean; state: () => PlantRoomState | null; scene: () => PlantScene | null };
  }
}

function showLoading(fraction: number | null, text?: string): void {
  const box = byId("loading");
  box.hidden = false;
  if (text) byId("loading-text").textContent = text;
  const pct = fraction === null ? null : Math.round(fraction * 100);
  byId("loading-bar").style.width = pct === null ? "30%" : `${pct}%`;
  box.setAttribute("aria-valuenow", String(pct ?? 0));
}

function setConnection(state: ConnectionState, detail?: string): void {
  const c = byId("conn");
  const text: Record<ConnectionState, string> = {
    offline: "offline",
    joining: "joining…",
    live: "live",
    reconnecting: "reconnecting…",
    closed: "disconnected",
  };
  c.textContent = text[state];
  c.className = `conn ${state}`;
  if (detail && state !== "live") toast(detail);
}

async function boot(): Promise<void> {
  const canvas = byId<HTMLCanvasElement>("view");
  const hook = {
    ready: false,
    joined: false,
    state: () => null as PlantRoomState | null,
    scene: () => null as PlantScene | null,
  };
  window.__gemba = hook;

  const params = new URLSearchParams(location.search);
  const plantId = params.get("plant") ?? (await fetchDefaultPlant());
  const scene = new PlantScene(canvas);
  hook.scene = () => scene;

  // Load the plant while the user types their name.
  showLoading(0, "Loading the plant…");
  const loading = (async () => {
    const model = await fetchPlantModel(plantId);
    byId("plant-name").textContent = model.name;
    byId("join-plant").textContent = model.name;
    document.title = `Gemba — ${model.name}`;
    await scene.loadAsync(model, (f) => showLoading(f, "Loading the plant…"));
    byId("loading").hidden = true;
    return model;
  })();
  loading.catch((e: unknown) => showLoading(0, (e as Error).message));

  let state: PlantRoomState | null = null;
  let dirty = false;
  const session = new PlantSession({
    onState: (s) => {
      state = s;
      dirty = true;
    },
    onConnection: setConnection,
    onError: (m) => toast(m),
  });
  hook.state = () => state;

  const name = await askName();
  const model = await loading;
  const labels = new Labels(byId("labels"), model, scene.twinList);
  const participants = new Participants();
  const inspector = new Inspector(model);

  const select = (id: string | null) => {
    inspector.show(id);
    labels.setSelected(id);
    scene.select(id);
    session.select(id);
    if (state) inspector.update(state, Date.now());
  };
  scene.onPick = select;
  const alarms = new Alarms(model, {
    ack: (id) => session.ack(id),
    shelve: (id, minutes, reason) => session.shelve(id, minutes, reason),
    unshelve: (id) => session.unshelve(id),
    focus: (twin) => {
      select(twin);
      scene.focus(twin);
    },
  });
  inspector.onClose = () => select(null);

  await joinWithRetry(session, plantId, name);
  hook.joined = true;

  // UI refresh: at most 10 times a second, only when a patch arrived; the inspector's ages tick each second.
  let lastUi = 0;
  let lastAges = 0;
  scene.start(() => {
    labels.layout(scene.scene);
    const now = performance.now();
    if (state && dirty && now - lastUi > 100) {
      dirty = false;
      lastUi = now;
      labels.update(state);
      for (const [id, tw] of state.twins) scene.setStatus(id, tw.status);
      participants.update(state, session.seatId);
      alarms.update(state, (session.seatId && state.seats.get(session.seatId)?.role) || "viewer");
      inspector.update(state, Date.now());
    } else if (state && now - lastAges > 1000) {
      lastAges = now;
      inspector.update(state, Date.now());
    }
  });
  hook.ready = true;

  window.addEventListener("resize", () => scene.engine.resize());
  const walkBtn = byId("btn-walk");
  const toggleWalk = () => {
    const on = walkBtn.getAttribute("aria-pressed") !== "true";
    walkBtn.setAttribute("aria-pressed", String(on));
    scene.setWalkMode(on);
    canvas.focus();
  };
  walkBtn.addEventListener("click", toggleWalk);
  byId("btn-home").addEventListener("click", () => scene.resetView());
  window.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === "f" || e.key === "F") toggleWalk();
    else if (e.key === "Home") scene.resetView();
    else if (e.key === "Escape") select(null);
  });
}

function askName(): Promise<string> {
  const dialog = byId<HTMLDialogElement>("join");
  const input = byId<HTMLInputElement>("join-name");
  const error = byId("join-error");
  input.value = localStorage.getItem(NAME_KEY) ?? "";
  dialog.showModal();
  input.focus();
  return new Promise((resolve) => {
    byId<HTMLFormElement>("join-form").addEventListener("submit", (e) => {
      const parsed = DisplayName.safeParse(input.value);
      if (!parsed.success) {
        e.preventDefault();
        error.textContent = parsed.error.issues[0]?.message ?? "Enter a display name.";
        input.focus();
        return;
      }
      localStorage.setItem(NAME_KEY, parsed.data);
      resolve(parsed.data);
    });
    dialog.addEventListener("cancel", (e) => e.preventDefault());
  });
}

async function joinWithRetry(session: PlantSession, plantId: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await session.join(plantId, name, detectDevice());
      return;
    } catch (e) {
      const msg = (e as Error).message;
      toast(`Cannot join: ${msg}${attempt < 5 ? " Retrying…" : ""}`);
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

boot().catch((e: unknown) => {
  console.error(e);
  toast(`Gemba could not start: ${(e as Error).message}`, 60_000);
});
