/**
 * Page bootstrap: start loading the plant at once, ask for a display name, join
 * the plant room, and keep the 3D view and the panels in step with the room:
 * labels and status colours, participants and their avatars and pointers,
 * alarms, annotations, pings, follow, share and summon.
 */
import { Quaternion, Vector3 } from "@babylonjs/core";
import { DisplayName, type ClientMessage } from "../shared/protocol.ts";
import { can } from "../shared/permissions.ts";
import type { PlantRoomState } from "../shared/state.ts";
import type { z } from "zod";
import { AnnotationMarks } from "./scene/AnnotationMarks.ts";
import { Avatars } from "./scene/Avatars.ts";
import { PlantScene } from "./scene/PlantScene.ts";
import { detectDevice } from "./session/device.ts";
import { fetchDefaultPlant, fetchPlantModel, PlantSession, type ConnectionState } from "./session/PlantSession.ts";
import { PresenceSender, type PoseMessage } from "./session/PresenceSender.ts";
import { Alarms } from "./ui/Alarms.ts";
import { byId, el, toast } from "./ui/dom.ts";
import { Inspector } from "./ui/Inspector.ts";
import { Labels } from "./ui/Labels.ts";
import { askNoteText, NotesPanel } from "./ui/NotesPanel.ts";
import { Participants, showRemoved } from "./ui/Participants.ts";
import { PlantStatus } from "./ui/PlantStatus.ts";
import { ScreenTags } from "./ui/ScreenTags.ts";
import { chime } from "./ui/sound.ts";
import { installXr } from "./xr/index.ts";
import { Timeline } from "./ui/Timeline.ts";
import {
  closeMoveDialog,
  confirmContinue,
  fetchTicket,
  offerPull,
  showMoved,
  showMoveDialog,
  type TicketPreview,
} from "./ui/Handoff.ts";
import type { HandoffTicketInfo } from "../shared/protocol.ts";
import { installVoice } from "./voice/VoiceCall.ts";
import { areaAt, areaBoxes, type GroundPoint } from "./session/Interest.ts";
import { gazePoints, InterestSender } from "./session/InterestSender.ts";
import { startSignIn } from "./auth/signIn.ts";
import { downloadWithToken } from "./auth/download.ts";
import type { TokenSource } from "./auth/authFetch.ts";
import { applyRoleGates } from "./ui/roleGates.ts";
import { RoomView } from "./app/RoomView.ts";

const NAME_KEY = "gemba.displayName";

/** Test and debugging hook: read-only view of what the page shows. */
declare global {
  interface Window {
    __gemba?: {
      ready: boolean;
      joined: boolean;
      seat: () => string | null;
      state: () => PlantRoomState | null;
      scene: () => PlantScene | null;
      following: () => string | null;
      posesSent: () => number;
      /** World position of an annotation's mark (pin head), or null. */
      noteWorld: (id: string) => [number, number, number] | null;
      /** Handoffs this page took the seat in: when the person accepted and when this page was live (epoch ms). */
      handoffs: { accept: number; live: number }[];
    };
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

/** The plant's own data source (its broker) is away: values shown are the last known ones. */
function showPlantOffline(reason: string): void {
  const b = byId("plant-offline");
  b.hidden = reason === "";
  if (b.title === reason) return;
  b.textContent = "plant offline";
  b.title = reason;
}

type Mode = "none" | "point" | "pin" | "ink";

async function boot(): Promise<void> {
  const canvas = byId<HTMLCanvasElement>("view");
  let following: string | null = null;
  let sender: PresenceSender | null = null;
  const hook: NonNullable<Window["__gemba"]> = {
    ready: false,
    joined: false,
    seat: () => null,
    state: () => null,
    scene: () => null,
    following: () => following,
    posesSent: () => sender?.sent ?? 0,
    noteWorld: () => null,
    handoffs: [],
  };
  window.__gemba = hook;
  // Wall time comparable across pages of one browser (the handoff bench lines up two pages with it).
  const wallNow = () => performance.timeOrigin + performance.now();
  let acceptedAt = 0;
  const accepting = () => (acceptedAt = wallNow());

  // ---- sign-in (client/auth) first: oidc may send the page to the provider and back (this URL is restored) ----
  const signIn = await startSignIn();
  const params = new URLSearchParams(location.search);
  // Plant data needs the sign-in token. Dev sign-in signs one for the name typed in, so there the plant loads once
  // the name is known; oidc has its token already and loads while the join dialog shows.
  let nameKnown: (n: string) => void = () => {};
  const named = new Promise<string>((resolve) => (nameKnown = resolve));
  const dataToken: TokenSource = async () => signIn.token(signIn.name ?? (await named));
  const plantIdReady = (async () => params.get("plant") ?? (await fetchDefaultPlant(dataToken)))();
  const scene = new PlantScene(canvas);
  hook.scene = () => scene;

  // Load the plant while the user types their name.
  showLoading(0, "Loading the plant…");
  const loading = (async () => {
    const model = await fetchPlantModel(await plantIdReady, dataToken);
    byId("plant-name").textContent = model.name;
    byId("join-plant").textContent = model.name;
    document.title = `Gemba — ${model.name}`;
    await scene.loadAsync(model, dataToken, (f) => showLoading(f, "Loading the plant…"));
    byId("loading").hidden = true;
    return model;
  })();
  loading.catch((e: unknown) => showLoading(0, (e as Error).message));

  let state: PlantRoomState | null = null;
  // Which time the panels show is decided in one place for desktop and XR (the timeline's "Leave playback" sets selfLive).
  let selfLive = () => false;
  const roomView = new RoomView(() => selfLive());
  let dirty = false;
  const tags = new ScreenTags(byId("labels"));
  const avatars = new Avatars(scene.scene);
  let pingSeq = 0;
  let interest: InterestSender | null = null;
  // The call follows the room state, not the render loop: a hidden tab (a headset taken off, a laptop in the
  // background) renders no frames, yet must still hang up after a handoff and keep its links right. ≤ 10 Hz.
  let voiceTimer: ReturnType<typeof setTimeout> | null = null;
  const seatsToVoice = () => {
    voiceTimer ??= setTimeout(() => {
      voiceTimer = null;
      if (state) voice.onSeats(state.seats.values());
    }, 100);
  };
  const session = new PlantSession({
    onState: (s) => {
      state = s;
      roomView.setState(s);
      dirty = true;
      seatsToVoice();
    },
    onConnection: (s, detail) => {
      setConnection(s, detail);
      // A new connection starts with every area on the server: tell it again what we look at.
      if (s === "live") interest?.reset();
    },
    onError: (m) => toast(m),
    onPing: (m) => {
      const seat = state?.seats.get(m.seat);
      const at = new Vector3(...m.at);
      const id = `ping.${pingSeq++}`;
      const mark = el("div", "ping");
      mark.style.borderColor = seat?.color ?? "#fff";
      mark.title = `${seat?.name ?? "Someone"}: look here`;
      tags.set(id, mark, () => at, { edge: true });
      setTimeout(() => tags.delete(id), 5000);
      if (m.seat !== session.seatId) {
        chime();
        toast(`${seat?.name ?? "Someone"}: look here${m.twin ? ` (${m.twin})` : ""}`, 4000);
      }
    },
    onSummon: (m) => {
      const who = state?.seats.get(m.seat)?.name ?? "The presenter";
      stopFollowing();
      select(m.twin);
      scene.focus(m.twin);
      if (m.seat !== session.seatId) toast(`${who} brought everyone to ${m.twin}.`, 4000);
    },
    onShare: (m) => {
      const who = state?.seats.get(m.seat)?.name ?? "Someone";
      select(m.twin, false);
      toast(`${who} shared ${m.twin} with everyone.`, 4000);
    },
    onSignal: (m) => voice.onSignal(m),
    onPending: (m) => {
      if (m.reason === "ticket") {
        // The user already said "Continue" before joining: take the seat over now.
        accepting();
        session.ask("handoffAccept", {}).catch((e: Error) => toast(e.message));
        return;
      }
      void offerPull(m.fromDevice).then((choice) => {
        if (choice === "pull") accepting();
        return session
          .ask(choice === "pull" ? "handoffPull" : "handoffSeparate", {})
          .catch((e: Error) => toast(e.message));
      });
    },
    onDriving: (m) => {
      if (acceptedAt > 0) hook.handoffs.push({ accept: acceptedAt, live: wallNow() });
      if (hook.handoffs.length > 1000) hook.handoffs.shift();
      acceptedAt = 0;
      closeMoveDialog();
      sender?.start();
      interest?.reset();
      // The call moves with the seat: join it here if the seat is in it (the other device hangs up once we are in).
      voice.continueCall();
      onDrivingHook(m.fromDevice, m.draft);
    },
    onRemoved: (message) => {
      sender?.stop();
      if (voice.inCall) voice.leave();
      showRemoved(message);
    },
    onMoved: (m) => {
      closeMoveDialog();
      sender?.stop();
      // A headset handing its seat away leaves the immersive view, so the page's "Moved" dialog (and Take it back) shows.
      void onMovedHook();
      showMoved(m.toDevice, async () => {
        accepting();
        await session.ask("handoffTakeBack", {});
      });
    },
  });
  session.tokenFor = (n) => signIn.token(n);
  // Filled in once the scene and panels exist.
  let onDrivingHook: (fromDevice: string, draft: string) => void = () => {};
  let onMovedHook: () => Promise<void> = async () => {};
  hook.state = () => state;
  hook.seat = () => session.seatId;
  const voice = installVoice({
    scene: scene.scene,
    mySeat: () => (session.moved ? null : session.seatId),
    send: (type, payload) => session.send(type, payload),
    headOf: (seat) => avatars.headOf(seat)?.pos ?? null,
  });

  const handoffKey = params.get("handoff");
  let continuing: TicketPreview | null = null;
  if (handoffKey) {
    try {
      const preview = await fetchTicket(handoffKey);
      if (await confirmContinue(preview)) continuing = preview;
    } catch (e) {
      toast((e as Error).message, 10_000);
    }
    history.replaceState(null, "", location.pathname);
  }
  let name: string;
  if (continuing) name = continuing.name;
  else {
    const asked = await askName(signIn.name);
    name = asked.name;
    continuing = asked.continuing;
  }
  nameKnown(name);
  const model = await loading;
  const plantId = await plantIdReady;
  const labels = new Labels(byId("labels"), model, scene.twinList);
  const participants = new Participants({
    kick: (seat, reason) => session.ask("kick", reason ? { seat, reason } : { seat }),
  });
  const inspector = new Inspector(model, dataToken);
  const plantStatus = new PlantStatus(model.scene === null);
  plantStatus.update(null);
  const marks = new AnnotationMarks(scene);
  hook.noteWorld = (id) => {
    const w = marks.worldOf(id);
    return w ? [w.x, w.y, w.z] : null;
  };
  const me = () => {
    const seat = session.seatId ? state?.seats.get(session.seatId) : undefined;
    return { seat: session.seatId, name, role: seat?.role ?? "viewer" };
  };

  function select(id: string | null, tell = true): void {
    inspector.show(id);
    labels.setSelected(id);
    scene.select(id);
    if (tell) session.select(id);
    const view = roomView.current();
    if (view) inspector.update(view, view.at);
    refreshInspectorActions();
  }
  function refreshInspectorActions(): void {
    byId("btn-summon").hidden = !can(me().role, "summon");
  }
  scene.onPick = (id) => select(id);
  inspector.onClose = () => select(null);
  byId("btn-share").addEventListener("click", () => {
    if (inspector.current) session.send("share", { twin: inspector.current });
  });
  byId("btn-summon").addEventListener("click", () => {
    if (inspector.current) session.send("summon", { twin: inspector.current });
  });

  const timeline = new Timeline(
    plantId,
    {
      playback: async (m) => {
        await session.ask("playback", m);
      },
      bookmark: async (name, t) => {
        await session.ask("bookmark", { name, t });
      },
    },
    dataToken,
  );
  timeline.onSelfLive = () => (dirty = true);
  selfLive = () => timeline.selfLive;
  const alarms = new Alarms(model, {
    replay: (activeAt) => timeline.seekBefore(activeAt, 30_000),
    ack: (id) => session.ack(id),
    shelve: (id, minutes, reason) => session.shelve(id, minutes, reason),
    unshelve: (id) => session.unshelve(id),
    report: async (url) => downloadWithToken(url, await signIn.token(name)),
    focus: (twin) => {
      select(twin);
      scene.focus(twin);
    },
  });
  const notes = new NotesPanel({
    show: (id) => {
      const n = state?.annotations.get(id);
      if (!n) return;
      select(n.twin);
      scene.focus(n.twin);
    },
    setStatus: async (id, status) => {
      await session.ask("annotationUpdate", { id, status });
    },
    remove: async (id) => {
      await session.ask("annotationDelete", { id });
    },
  });

  // ---- modes: point, pin, ink -------------------------------------------------------------
  let mode: Mode = "none";
  const modeButtons: Record<Exclude<Mode, "none">, HTMLElement> = {
    point: byId("btn-point"),
    pin: byId("btn-pin"),
    ink: byId("btn-ink"),
  };
  function setMode(next: Mode): void {
    mode = mode === next ? "none" : next;
    for (const [m, b] of Object.entries(modeButtons)) b.setAttribute("aria-pressed", String(m === mode));
    document.body.classList.toggle("mode-pin", mode === "pin");
    document.body.classList.toggle("mode-ink", mode === "ink");
    scene.onTapOverride = mode === "pin" ? placePin : null;
    if (mode === "ink") scene.orbit.detachControl();
    else if (scene.scene.activeCamera === scene.orbit) scene.orbit.attachControl(true);
  }
  modeButtons.point.addEventListener("click", () => setMode("point"));
  modeButtons.pin.addEventListener("click", () => setMode("pin"));
  modeButtons.ink.addEventListener("click", () => setMode("ink"));

  function placePin(hit: { twin: string; point: Vector3 } | null): boolean {
    if (!hit) {
      toast("Click on an asset to pin a note to it.");
      return true;
    }
    const offset = marks.localOffset(hit.twin, hit.point);
    if (!offset) return true;
    setMode("none");
    askNoteText("Pin a note", `On ${hit.twin}`, async (text) => {
      await session.ask("annotate", { kind: "pin", twin: hit.twin, offset, text });
    });
    return true;
  }

  // Ink: drag across an asset; points are kept in that asset's local frame.
  let stroke: { twin: string; pts: number[] } | null = null;
  canvas.addEventListener("pointerdown", (e) => {
    if (mode !== "ink") return;
    const hit = scene.pickAt(e.offsetX, e.offsetY);
    if (!hit?.twin) return;
    stroke = { twin: hit.twin, pts: [] };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    mouse.x = e.offsetX;
    mouse.y = e.offsetY;
    if (mode !== "ink" || !stroke || stroke.pts.length >= 6000) return;
    const hit = scene.pickAt(e.offsetX, e.offsetY);
    if (!hit) return;
    const local = marks.localOffset(stroke.twin, hit.point);
    if (local) stroke.pts.push(...local);
  });
  canvas.addEventListener("pointerup", () => {
    if (mode !== "ink" || !stroke) return;
    const s = stroke;
    stroke = null;
    if (s.pts.length < 6) return;
    const offset: [number, number, number] = [s.pts[0]!, s.pts[1]!, s.pts[2]!];
    askNoteText("Ink mark", `On ${s.twin} (optional note)`, async (text) => {
      await session.ask("annotate", { kind: "ink", twin: s.twin, offset, text, points: s.pts });
    });
  });

  // ---- presence: camera pose and pointer at 20 Hz -----------------------------------------
  const mouse = { x: -1, y: -1 };
  const camPos = new Vector3();
  const camRot = new Quaternion();
  let pointerHit: { twin: string | null; point: Vector3 } | null = null;
  const xr = installXr(scene, {
    select: (t) => select(t),
    view: () => roomView.current(),
    model,
    selection: () => inspector.current,
    me,
    ask: (type, payload) => session.ask(type, payload),
    // Only tell the room: the headset moves itself (the desktop follow would take over the active camera).
    follow: (seat) => session.send("follow", { seat }),
    localOffset: (twin, w) => marks.localOffset(twin, new Vector3(w.x, w.y, w.z)),
  });
  onMovedHook = async () => {
    if (xr.mode) await xr.exitAsync?.().catch(() => undefined);
  };
  // Avatars and marks live in the plant frame: in tabletop and AR they move and scale with the plant.
  if (xr.plantFrame) {
    avatars.frame = xr.plantFrame;
    marks.frame = xr.plantFrame;
  }
  const readPose = (): PoseMessage | null => {
    const xp = xr.poses();
    if (xp) return { h: xp.head, l: xp.left, r: xp.right, p: xp.pointer };
    const cam = scene.scene.activeCamera;
    if (!cam) return null;
    cam.getWorldMatrix().decompose(undefined, camRot, camPos);
    const r = (v: number) => Math.round(v * 1000) / 1000;
    const msg: PoseMessage = { h: [r(camPos.x), r(camPos.y), r(camPos.z), camRot.x, camRot.y, camRot.z, camRot.w] };
    pointerHit = mode === "point" && mouse.x >= 0 ? scene.pickAt(mouse.x, mouse.y) : null;
    if (pointerHit) {
      msg.p = {
        o: [r(camPos.x), r(camPos.y - 0.25), r(camPos.z)],
        t: [r(pointerHit.point.x), r(pointerHit.point.y), r(pointerHit.point.z)],
        twin: pointerHit.twin,
      };
    }
    return msg;
  };
  sender = new PresenceSender(readPose, (m) => session.send("pose", m));

  // ---- interest management: full-rate values for the areas around the viewer (client/session/Interest.ts) ----
  const boxes = areaBoxes(
    model.areas,
    scene.twinList.map((t) => ({
      area: model.twins[t.index]?.area ?? "",
      x: t.center.x,
      z: t.center.z,
      radius: t.radius,
    })),
  );
  interest = new InterestSender(boxes, (m) => session.send("interest", m), 0);
  const gazeFwd = new Vector3();
  const headQ = new Quaternion();
  const viewpoints = (): GroundPoint[] => {
    const xp = xr.poses();
    if (xp) {
      const [x, y, z, qx, qy, qz, qw] = xp.head;
      headQ.set(qx, qy, qz, qw);
      new Vector3(0, 0, -1).rotateByQuaternionToRef(headQ, gazeFwd);
      return gazePoints({ x, y, z }, gazeFwd);
    }
    const cam = scene.scene.activeCamera;
    if (!cam) return [];
    const pts = gazePoints(cam.globalPosition, cam.getForwardRay(1).direction);
    if (cam === scene.orbit) pts.push({ x: scene.orbit.target.x, z: scene.orbit.target.z });
    return pts;
  };
  const tickInterest = () => {
    if (!session.seatId || session.moved) return;
    const forced = new Set<string>();
    const twins: string[] = inspector.current ? [inspector.current] : [];
    const followed = following ? state?.seats.get(following) : undefined;
    if (followed) {
      const a = areaAt(boxes, { x: followed.head.x, z: followed.head.z });
      if (a) forced.add(a);
      if (followed.selection) twins.push(followed.selection);
    }
    interest?.tick(performance.now(), viewpoints(), forced, twins);
  };
  // 4 Hz is plenty: hysteresis adds an area 8 m before you reach it.
  setInterval(tickInterest, 250);

  const ping = () => {
    const sel = inspector.current ? scene.twins.get(inspector.current) : undefined;
    const hit =
      pointerHit ??
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

  // ---- follow ------------------------------------------------------------------------------
  function follow(seat: string): void {
    following = seat;
    session.send("follow", { seat });
    const s = state?.seats.get(seat);
    byId("following-name").textContent = s?.name ?? "";
    byId("following").hidden = false;
    byId("btn-walk").setAttribute("aria-pressed", "true");
    scene.setWalkMode(true);
    scene.walk.detachControl();
  }
  function stopFollowing(): void {
    if (!following) return;
    following = null;
    session.send("follow", { seat: null });
    byId("following").hidden = true;
    scene.walk.attachControl(true);
  }
  byId("btn-unfollow").addEventListener("click", stopFollowing);
  byId("participant-list").addEventListener("click", (e) => {
    const b = (e.target as HTMLElement).closest("button[data-follow]");
    const seat = b?.getAttribute("data-follow");
    if (seat) follow(seat);
  });
  scene.scene.onBeforeRenderObservable.add(() => {
    if (!following) return;
    const h = avatars.headOf(following);
    if (!h) return;
    scene.walk.position.copyFrom(h.pos);
    scene.walk.rotationQuaternion ??= new Quaternion();
    scene.walk.rotationQuaternion.copyFrom(h.rot);
  });

  onDrivingHook = (fromDevice, draft) => {
    // Start where the other device was: its last head pose becomes this camera's pose.
    const seat = session.seatId ? state?.seats.get(session.seatId) : undefined;
    if (seat) {
      byId("btn-walk").setAttribute("aria-pressed", "true");
      scene.setWalkMode(true);
      scene.walk.position.set(seat.head.x, seat.head.y, seat.head.z);
      scene.walk.rotationQuaternion = new Quaternion(seat.head.qx, seat.head.qy, seat.head.qz, seat.head.qw);
      if (seat.selection) select(seat.selection, false);
    }
    if (draft) byId<HTMLTextAreaElement>("note-text").dataset["draft"] = draft;
    toast(`Continuing here from ${fromDevice}.${draft ? " Your unfinished note is waiting in “Pin note”." : ""}`, 5000);
  };
  byId("btn-move").addEventListener("click", () => {
    const draftBox = byId<HTMLTextAreaElement>("note-text");
    const draft = byId<HTMLDialogElement>("note-dialog").open ? draftBox.value.trim().slice(0, 1000) : "";
    void showMoveDialog(() => session.ask<HandoffTicketInfo>("handoffCreate", draft ? { draft } : {}));
  });

  if (continuing)
    await session.join(plantId, name, detectDevice(), { handoff: continuing.token, roomId: continuing.room });
  else await joinWithRetry(session, plantId, name);
  hook.joined = true;
  avatars.mySeat = session.seatId;
  sender.start();

  // ---- per-frame and per-patch UI ----------------------------------------------------------
  let lastUi = 0;
  let lastAges = 0;
  const noteTags = new Set<string>();
  const seatTags = new Set<string>();
  const tagSig = new Map<string, string>();
  /** Replace a tag's element only when what it shows changed. */
  const changed = (id: string, sig: string) => {
    if (tagSig.get(id) === sig && tags.has(id)) return false;
    tagSig.set(id, sig);
    return true;
  };
  scene.start(() => {
    labels.layout(scene.scene);
    tags.layout(scene.scene);
    const now = performance.now();
    const view = roomView.current();
    if (state && view && dirty && now - lastUi > 100) {
      dirty = false;
      lastUi = now;
      avatars.mySeat = session.seatId;
      // Playback: the panels show the room's view time unless this participant stepped out to live.
      labels.update(view);
      for (const [id, tw] of view.twins) scene.setStatus(id, tw.status);
      participants.update(state, session.seatId);
      showPlantOffline(state.offline ?? "");
      plantStatus.update(state);
      inspector.setViewTime(view.past ? view.at : 0);
      inspector.update(view, view.at);
      const who = me();
      applyRoleGates(who.role);
      alarms.update(view, who.role);
      timeline.update(state, who.role);
      notes.update(state, who);
      avatars.update(state.seats.values());
      marks.update(state.annotations.values());
      syncTags(state);
      refreshInspectorActions();
      if (following && !state.seats.has(following)) {
        toast("The person you followed left.");
        stopFollowing();
      }
    } else if (state && view && now - lastAges > 1000) {
      lastAges = now;
      inspector.update(view, view.at);
      timeline.update(state, me().role);
    }
  });
  hook.ready = true;

  function syncTags(s: PlantRoomState): void {
    for (const seat of s.seats.values()) {
      if (seat.id === session.seatId) continue;
      const id = `seat.${seat.id}`;
      if (!changed(id, `${seat.name}|${seat.color}|${seat.speaking}|${seat.presence}|${seat.device}`)) continue;
      const tag = el("div", `tag${seat.speaking ? " speaking" : ""}`);
      tag.style.borderColor = seat.color;
      tag.dataset["seat"] = seat.id;
      tag.appendChild(document.createTextNode(seat.name));
      tag.appendChild(el("span", "dev", seat.presence === "reconnecting" ? "reconnecting…" : seat.device));
      const headOf = () => {
        const hd = avatars.headOf(seat.id);
        return hd ? hd.pos.add(new Vector3(0, 0.35, 0)) : null;
      };
      tags.set(id, tag, headOf);
      seatTags.add(id);
    }
    for (const id of [...seatTags]) {
      if (!s.seats.has(id.slice(5))) {
        tags.delete(id);
        seatTags.delete(id);
      }
    }
    for (const n of s.annotations.values()) {
      const id = `note.${n.id}`;
      if (!n.text || n.status === "resolved") {
        tags.delete(id);
        noteTags.delete(id);
        continue;
      }
      if (!changed(id, `${n.text}|${n.color}`)) continue;
      const tag = el("div", "note-tag", n.text);
      tag.style.borderLeftColor = n.color;
      tag.dataset["note"] = n.id;
      tags.set(id, tag, () => marks.worldOf(n.id), { maxDist: 45 });
      noteTags.add(id);
    }
    for (const id of [...noteTags]) {
      if (!s.annotations.has(id.slice(5))) {
        tags.delete(id);
        noteTags.delete(id);
      }
    }
  }

  window.addEventListener("resize", () => scene.engine.resize());
  const walkBtn = byId("btn-walk");
  const toggleWalk = () => {
    stopFollowing();
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
    else if (e.key === "p" || e.key === "P") setMode("point");
    else if (e.key === "n" || e.key === "N") setMode("pin");
    else if (e.key === "i" || e.key === "I") setMode("ink");
    else if (e.key === "l" || e.key === "L") ping();
    else if (e.key === "Escape") {
      if (following) stopFollowing();
      else if (mode !== "none") setMode(mode);
      else select(null);
    }
  });
}

/** `signedIn`: the name from the identity provider (oidc), shown and not editable; null asks for one (dev). */
function askName(signedIn: string | null): Promise<{ name: string; continuing: TicketPreview | null }> {
  const dialog = byId<HTMLDialogElement>("join");
  const input = byId<HTMLInputElement>("join-name");
  const codeInput = byId<HTMLInputElement>("join-code");
  const error = byId("join-error");
  input.value = signedIn ?? localStorage.getItem(NAME_KEY) ?? "";
  input.readOnly = signedIn !== null;
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
      resolve({ name: parsed.data, continuing: null });
    });
    byId("join-continue").addEventListener("click", () => {
      const code = codeInput.value.replace(/\D/g, "");
      if (code.length !== 6) {
        error.textContent = "A handoff code has 6 digits.";
        codeInput.focus();
        return;
      }
      fetchTicket(code).then(
        async (preview) => {
          dialog.close();
          if (await confirmContinue(preview)) resolve({ name: preview.name, continuing: preview });
          else dialog.showModal();
        },
        (err: Error) => (error.textContent = err.message),
      );
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
