/**
 * What others ask everyone to look at: a ping ("look here", a mark at the edge of the view for 5 s and a chime),
 * a summon (everyone is brought to an asset), a share (an asset is selected for everyone).
 */
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession, SessionEvents } from "../session/PlantSession.ts";
import { el, toast } from "../ui/dom.ts";
import type { ScreenTags } from "../ui/ScreenTags.ts";
import { chime } from "../ui/sound.ts";
import type { FollowPerson } from "./FollowPerson.ts";
import type { RoomView } from "./RoomView.ts";
import type { Selection } from "./Selection.ts";

type Arg<K extends keyof SessionEvents> = Parameters<NonNullable<SessionEvents[K]>>[0];

const PING_MS = 5000;

export class RoomCues {
  private pingSeq = 0;

  constructor(
    private readonly session: PlantSession,
    private readonly roomView: RoomView,
    private readonly tags: ScreenTags,
    private readonly scene: PlantScene,
    private readonly selection: Selection,
    private readonly follow: FollowPerson,
  ) {}

  ping(m: Arg<"onPing">): void {
    const seat = this.roomView.room?.seats.get(m.seat);
    const at = new Vector3(...m.at);
    const id = `ping.${this.pingSeq++}`;
    const mark = el("div", "ping");
    mark.style.borderColor = seat?.color ?? "#fff";
    mark.title = `${seat?.name ?? "Someone"}: look here`;
    this.tags.set(id, mark, () => at, { edge: true });
    setTimeout(() => this.tags.delete(id), PING_MS);
    if (m.seat !== this.session.seatId) {
      chime();
      toast(`${seat?.name ?? "Someone"}: look here${m.twin ? ` (${m.twin})` : ""}`, 4000);
    }
  }

  summon(m: Arg<"onSummon">): void {
    const who = this.roomView.room?.seats.get(m.seat)?.name ?? "The presenter";
    this.follow.stop();
    this.selection.select(m.twin);
    this.scene.focus(m.twin);
    if (m.seat !== this.session.seatId) toast(`${who} brought everyone to ${m.twin}.`, 4000);
  }

  share(m: Arg<"onShare">): void {
    const who = this.roomView.room?.seats.get(m.seat)?.name ?? "Someone";
    this.selection.select(m.twin, false);
    toast(`${who} shared ${m.twin} with everyone.`, 4000);
  }
}
