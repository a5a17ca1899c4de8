/**
 * The desktop's panels and marks kept in step with the room, from the render loop: on a new patch (at most
 * 10 times a second) labels, status colours, participants, plant status, inspector, alarms, timeline, notes,
 * avatars, annotation marks and tags; otherwise once a second the inspector's and timeline's ages. Every panel reads
 * the same RoomView, so during shared playback they all show the room's view time.
 */
import type { AnnotationMarks } from "../scene/AnnotationMarks.ts";
import type { Avatars } from "../scene/Avatars.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import type { Alarms } from "../ui/Alarms.ts";
import { toast } from "../ui/dom.ts";
import type { Inspector } from "../ui/Inspector.ts";
import type { Labels } from "../ui/Labels.ts";
import type { NotesPanel } from "../ui/NotesPanel.ts";
import type { Participants } from "../ui/Participants.ts";
import type { PlantStatus } from "../ui/PlantStatus.ts";
import { applyRoleGates } from "../ui/roleGates.ts";
import type { ScreenTags } from "../ui/ScreenTags.ts";
import type { Timeline } from "../ui/Timeline.ts";
import type { FloatingTags } from "./FloatingTags.ts";
import type { FollowPerson } from "./FollowPerson.ts";
import type { Me } from "./me.ts";
import { setPlaybackBadge, showPlantOffline } from "./pageChrome.ts";
import type { RoomView } from "./RoomView.ts";
import type { Selection } from "./Selection.ts";

export interface DesktopParts {
  scene: PlantScene;
  session: PlantSession;
  roomView: RoomView;
  me: Me;
  labels: Labels;
  tags: ScreenTags;
  floatingTags: FloatingTags;
  avatars: Avatars;
  marks: AnnotationMarks;
  participants: Participants;
  inspector: Inspector;
  alarms: Alarms;
  timeline: Timeline;
  notes: NotesPanel;
  selection: Selection;
  follow: FollowPerson;
  plantStatus: PlantStatus;
}

export class DesktopPanels {
  /** A patch (or a change of the time shown) is waiting to be drawn. */
  private dirty = false;
  private lastUi = 0;
  private lastAges = 0;

  constructor(private readonly p: DesktopParts) {}

  markDirty(): void {
    this.dirty = true;
  }

  /** Start the frame loop with the panels in it. */
  start(): void {
    const { p } = this;
    p.scene.start((drawn) => {
      // Labels and tags follow the camera (a drawn frame) and their own text (an update): otherwise they stand still.
      if (this.frame() || drawn) {
        p.labels.layout(p.scene.scene);
        p.tags.layout(p.scene.scene);
      }
    });
  }

  /** Bring the panels up to the room's state when a patch is waiting (at most 10 times a second); whether it did. */
  private frame(): boolean {
    const { p } = this;
    const now = performance.now();
    const state = p.roomView.room;
    const view = p.roomView.current();
    if (state && view && this.dirty && now - this.lastUi > 100) {
      this.dirty = false;
      this.lastUi = now;
      p.avatars.mySeat = p.session.seatId;
      // Playback: the panels show the room's view time unless this participant stepped out to live.
      p.labels.update(view);
      for (const [id, tw] of view.twins) p.scene.setStatus(id, tw.status);
      p.participants.update(state, p.session.seatId);
      showPlantOffline(state.offline ?? "");
      p.plantStatus.update(state);
      p.inspector.setViewTime(view.past ? view.at : 0);
      setPlaybackBadge(view.past ? view.at : 0);
      p.inspector.update(view, view.at);
      const who = p.me();
      applyRoleGates(who.role);
      p.alarms.update(view, who.role);
      p.timeline.update(state, who.role);
      p.notes.update(state, who);
      p.avatars.update(state.seats.values());
      p.marks.update(state.annotations.values());
      p.floatingTags.sync(state);
      p.selection.refreshActions();
      if (p.follow.following && !state.seats.has(p.follow.following)) {
        toast("The person you followed left.");
        p.follow.stop();
      }
      return true;
    }
    if (state && view && now - this.lastAges > 1000) {
      this.lastAges = now;
      p.inspector.update(view, view.at);
      p.timeline.update(state, p.me().role);
    }
    return false;
  }
}
