/**
 * The page's composition root: sign in, start loading the plant at once, ask who joins, join the plant room,
 * and wire the features (client/app/, one per file) to the room, the 3D view, XR and the call. Every panel,
 * desktop or XR, reads one RoomView (live, or the room's shared playback time).
 */
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { askWhoJoins, joinRoom } from "./app/joinDialog.ts";
import { seatsToCall } from "./app/callFollowsRoom.ts";
import { installDebugHook } from "./app/debugHook.ts";
import { DesktopPanels } from "./app/DesktopPanels.ts";
import { FloatingTags } from "./app/FloatingTags.ts";
import { FollowPerson } from "./app/FollowPerson.ts";
import { HandoffFlow } from "./app/HandoffFlow.ts";
import { startInterestUpdates } from "./app/interestUpdates.ts";
import { loadPlant } from "./app/loadPlant.ts";
import { installLeave } from "./app/leaveRoom.ts";
import { installLookHere } from "./app/lookHere.ts";
import { MarkingModes } from "./app/MarkingModes.ts";
import { whoAmI } from "./app/me.ts";
import { hideLoading, setConnection, showLoading } from "./app/pageChrome.ts";
import { PoseReader } from "./app/PoseReader.ts";
import { RoomCues } from "./app/RoomCues.ts";
import { createRoomPanels } from "./app/roomPanels.ts";
import { RoomView } from "./app/RoomView.ts";
import { Selection } from "./app/Selection.ts";
import { installShortcuts } from "./app/shortcuts.ts";
import type { TokenSource } from "./auth/authFetch.ts";
import { startSignIn } from "./auth/signIn.ts";
import { AnnotationMarks } from "./scene/AnnotationMarks.ts";
import { Avatars } from "./scene/Avatars.ts";
import { PlantScene } from "./scene/PlantScene.ts";
import { fetchDefaultPlant, PlantSession } from "./session/PlantSession.ts";
import { PresenceSender } from "./session/PresenceSender.ts";
import { byId, toast } from "./ui/dom.ts";
import { FitAbove } from "./ui/fitAbove.ts";
import { Inspector } from "./ui/Inspector.ts";
import { Labels } from "./ui/Labels.ts";
import { Participants } from "./ui/Participants.ts";
import { PlantStatus } from "./ui/PlantStatus.ts";
import { installProcedures } from "./app/procedures.ts";
import { installIncidents } from "./app/incidents.ts";
import { installWhatIf } from "./app/whatIf.ts";
import { installDrills, openDrillRoom } from "./app/drills.ts";
import { ScreenTags } from "./ui/ScreenTags.ts";
import { installVideo } from "./video/VideoCall.ts";
import { installVoice } from "./voice/index.ts";
import { installXr } from "./xr/index.ts";
import { fetchIncidentAsync, fetchTimelineAsync } from "./xr/pageReads.ts";
import { fetchPointHistoryAsync } from "./ui/pointHistory.ts";

async function boot(): Promise<void> {
  const canvas = byId<HTMLCanvasElement>("view");
  const hook = installDebugHook();

  // Sign-in (client/auth) first: oidc may send the page to the provider and back (this URL is restored).
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
  const loading = loadPlant(scene, plantIdReady, dataToken);

  // Which time the panels show is decided in one place for desktop and XR (the timeline's "Leave playback" sets selfLive).
  let selfLive = () => false;
  const roomView = new RoomView(() => selfLive());
  const tags = new ScreenTags(byId("labels"));
  const avatars = new Avatars(scene.scene, () => scene.pacer.wake());
  const callHearsSeats = seatsToCall(() => voice, roomView);
  // The join resolves before the room's first state can have arrived; the page is ready once it has.
  let firstStateSeen: () => void = () => {};
  const firstState = new Promise<void>((resolve) => (firstStateSeen = resolve));
  // The room's events go to the features below; none arrives before the join at the end of this list.
  const session = new PlantSession({
    onState: (s) => {
      roomView.setState(s);
      panels.markDirty();
      callHearsSeats();
      video?.onSeats(s.seats.values());
      procedures.update(s, me());
      incidents.update(s, me().role);
      whatIfs.update(s, me().role);
      drills.update(s, me());
      firstStateSeen();
    },
    onConnection: (s, detail) => {
      setConnection(s, detail);
      // A new connection starts with every area on the server: tell it again what we look at.
      if (s === "live") interest.reset();
    },
    onError: (m) => toast(m),
    onPing: (m) => cues.ping(m),
    onSummon: (m) => cues.summon(m),
    onShare: (m) => cues.share(m),
    onSignal: (m) => voice.onSignal(m),
    onVideo: (m) => video?.onMessage(m),
    onPending: (m) => handoff.pending(m),
    onDriving: (m) => handoff.driving(m),
    onRemoved: (message) => handoff.removed(message),
    onMoved: (m) => handoff.moved(m),
  });
  session.tokenFor = (n) => signIn.token(n);
  hook.state = () => roomView.room;
  hook.seat = () => session.seatId;
  const voice = installVoice({
    scene: scene.scene,
    mySeat: () => (session.moved ? null : session.seatId),
    send: (type, payload) => session.send(type, payload),
    headOf: (seat) => avatars.headOf(seat)?.pos ?? null,
    iceServers: () => session.iceServers,
    onTransport: (t) => video?.setTransport(t),
    onRemoteVideo: (seat, track) => video?.remoteVideo(seat, track),
  });
  // The call's camera (client/video): created once the plant, marks and XR exist, below.
  let video: ReturnType<typeof installVideo> | undefined = undefined;

  const who = await askWhoJoins(params, signIn.name);
  const name = who.name;
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
  const me = whoAmI(session, roomView, name);
  const selection = new Selection(inspector, labels, scene, session, roomView, me);
  const { timeline, alarms, notes } = createRoomPanels(
    model,
    plantId,
    session,
    scene,
    roomView,
    selection,
    dataToken,
    () => signIn.token(name),
  );
  // The inspector ends above the notes and the timeline (they exist now) and scrolls inside, never over them.
  new FitAbove(byId("inspector"));
  timeline.onSelfLive = () => panels.markDirty();
  selfLive = () => timeline.selfLive;
  const modes = new MarkingModes(canvas, scene, marks, session);
  const procedures = installProcedures(session, scene, selection, labels.firstValue);
  const incidents = installIncidents(model, session);
  const drills = installDrills(session, plantId, dataToken, name, () => timeline.refresh(), labels.firstValue);
  const whatIfs = installWhatIf(session, model, inspector, (t) => selection.select(t));

  const xr = installXr(
    scene,
    {
      select: (t) => selection.select(t),
      view: () => roomView.current(),
      model,
      selection: () => selection.current,
      me,
      ask: (type, payload) => session.askChecked(type, payload),
      // Only tell the room: the headset moves itself (the desktop follow would take over the active camera).
      follow: (seat) => session.send("follow", { seat }),
      localOffset: (twin, w) => marks.localOffset(twin, new Vector3(w.x, w.y, w.z)),
      timeline: () => fetchTimelineAsync(plantId, dataToken),
      incident: (alarm) => fetchIncidentAsync(plantId, alarm, dataToken),
      history: (twin, point, from, to) => fetchPointHistoryAsync(plantId, dataToken, { twin, point, from, to }),
      talk: (down) => voice.setPushToTalk(down),
      cameras: () => video?.incoming() ?? [],
      joinDrill: (plant) => openDrillRoom(plant, name),
      // XR's code loads on the first "Enter VR/AR", or on an XR device once the page shows live values.
    },
    labels.firstValue,
  );
  video = installVideo({
    // Under the voice panel, not inside it: the voice panel is a placeholder until the call's code loads.
    host: document.getElementById("participants") ?? undefined,
    scene,
    mySeat: () => (session.moved ? null : session.seatId),
    myColor: () => roomView.room?.seats.get(session.seatId ?? "")?.color ?? "#ffd166",
    send: (type, payload) => session.send(type, payload),
    annotate: (payload) => session.ask("annotate", payload),
    localOffset: (twin, w) => marks.localOffset(twin, w),
    registered: () => xr.registered === true,
  });
  // Avatars and marks live in the plant frame: in tabletop and AR they move and scale with the plant.
  if (xr.plantFrame) {
    avatars.frame = xr.plantFrame;
    marks.frame = xr.plantFrame;
  }
  const pose = new PoseReader(scene, xr, modes);
  const sender = new PresenceSender(pose.read, (m) => session.send("pose", m));
  hook.posesSent = () => sender.sent;
  const follow = new FollowPerson(scene, session, roomView, avatars);
  hook.following = () => follow.following;
  const interest = startInterestUpdates(model, scene, session, xr, selection, follow, roomView);
  const lookHere = installLookHere(canvas, scene, session, selection, pose);
  const handoff = new HandoffFlow(session, hook, scene, roomView, selection, sender, interest, voice, xr);
  const cues = new RoomCues(session, roomView, tags, scene, selection, follow);
  const floatingTags = new FloatingTags(tags, session, avatars, marks);
  // prettier-ignore
  const panels = new DesktopPanels({
    scene, session, roomView, me, labels, tags, floatingTags, avatars, marks,
    participants, inspector, alarms, timeline, notes, selection, follow, plantStatus,
  });

  // The loading bar's last part: the plant is drawn, its live values are on their way.
  showLoading(0.95, "Joining the plant…");
  try {
    await joinRoom(session, plantId, who);
  } catch (e) {
    hideLoading();
    throw e;
  }
  installLeave(name, session, sender, voice, xr);
  hook.joined = true;
  avatars.mySeat = session.seatId;
  sender.start();
  panels.start();
  await firstState;
  hideLoading();
  hook.ready = true;
  installShortcuts(canvas, scene, follow, modes, selection, lookHere);
}

boot().catch((e: unknown) => {
  console.error(e);
  toast(`Gemba could not start: ${(e as Error).message}`, 60_000);
});
