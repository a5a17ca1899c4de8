/**
 * The plant room's handler table: one handler per message declared in shared/protocol/, gathered from the files
 * per concern. The type requires every event and request; the unit test checks nothing extra slips in.
 */
import { alarmHandlers } from "./alarms.ts";
import { annotationHandlers } from "./annotations.ts";
import { collabHandlers } from "./collab.ts";
import { handoffHandlers } from "./handoff.ts";
import type { HandlerTable } from "./handlerTable.ts";
import { kickHandlers } from "./kick.ts";
import { playbackHandlers } from "./playback.ts";
import { procedureHandlers } from "./procedures.ts";
import { incidentHandlers } from "./incidents.ts";
import type { RoomScope } from "./RoomScope.ts";
import { signInHandlers } from "./signin.ts";
import { videoHandlers } from "./video.ts";
import { voiceHandlers } from "./voice.ts";
import { whatIfHandlers } from "./whatIf.ts";
import { drillHandlers } from "./drills.ts";

export interface PlantHandlers {
  table: HandlerTable;
  /** Per-seat memory of the handlers (rate gates, voice device) to drop when a seat leaves. */
  forgetSeat(id: string): void;
}

export function plantHandlers(room: RoomScope): PlantHandlers {
  const collab = collabHandlers(room);
  const voice = voiceHandlers(room);
  const video = videoHandlers(room);
  const alarms = alarmHandlers(room);
  const annotations = annotationHandlers(room);
  const playback = playbackHandlers(room);
  const handoff = handoffHandlers(room);
  const kick = kickHandlers(room);
  const signIn = signInHandlers(room);
  const procedures = procedureHandlers(room);
  const incidents = incidentHandlers(room);
  const whatIfs = whatIfHandlers(room);
  const drills = drillHandlers(room);
  return {
    table: {
      events: { ...collab.events, ...voice.events, ...video.events },
      requests: {
        ...alarms.requests,
        ...annotations.requests,
        ...playback.requests,
        ...handoff.requests,
        ...kick.requests,
        ...collab.requests,
        ...signIn.requests,
        ...procedures.requests,
        ...incidents.requests,
        ...whatIfs.requests,
        ...drills.requests,
      },
    },
    forgetSeat(id) {
      collab.forgetSeat(id);
      voice.forgetSeat(id);
      video.forgetSeat(id);
    },
  };
}
