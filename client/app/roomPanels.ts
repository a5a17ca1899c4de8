/**
 * The desktop panels that act on the room: the timeline (shared playback, bookmarks), the alarm list (ack,
 * shelve, replay the moment before, the incident report) and the notes list.
 */
import type { PlantModel } from "../../shared/plant.ts";
import { downloadWithToken } from "../auth/download.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { Alarms } from "../ui/Alarms.ts";
import { NotesPanel } from "../ui/NotesPanel.ts";
import { Timeline } from "../ui/Timeline.ts";
import type { TokenSource } from "../auth/authFetch.ts";
import type { RoomView } from "./RoomView.ts";
import type { Selection } from "./Selection.ts";

/** Before an alarm became active, the replay starts this long (ms). */
const REPLAY_LEAD = 30_000;

export function createRoomPanels(
  model: PlantModel,
  plantId: string,
  session: PlantSession,
  scene: PlantScene,
  roomView: RoomView,
  selection: Selection,
  dataToken: TokenSource,
  reportToken: () => Promise<string>,
): { timeline: Timeline; alarms: Alarms; notes: NotesPanel } {
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
    (id) => {
      const t = model.twins.find((x) => x.id === id);
      return t ? `${id} ${t.name}` : id;
    },
  );
  const alarms = new Alarms(model, {
    replay: (activeAt) => timeline.seekBefore(activeAt, REPLAY_LEAD),
    ack: (id) => session.ack(id),
    shelve: (id, minutes, reason) => session.shelve(id, minutes, reason),
    unshelve: (id) => session.unshelve(id),
    report: async (url) => downloadWithToken(url, await reportToken()),
    focus: (twin) => {
      selection.select(twin);
      scene.focus(twin);
    },
  });
  const notes = new NotesPanel({
    show: (id) => {
      const n = roomView.room?.annotations.get(id);
      if (!n) return;
      selection.select(n.twin);
      scene.focus(n.twin);
    },
    setStatus: async (id, status) => {
      await session.ask("annotationUpdate", { id, status });
    },
    remove: async (id) => {
      await session.ask("annotationDelete", { id });
    },
  });
  return { timeline, alarms, notes };
}
