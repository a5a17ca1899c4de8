/** Who this participant is: their seat, display name and role (viewer until the room says otherwise). */
import type { PlantSession } from "../session/PlantSession.ts";
import type { RoomView } from "./RoomView.ts";

export type Me = () => { seat: string | null; name: string; role: string };

export function whoAmI(session: PlantSession, roomView: RoomView, name: string): Me {
  return () => {
    const seat = session.seatId ? roomView.room?.seats.get(session.seatId) : undefined;
    return { seat: session.seatId, name, role: seat?.role ?? "viewer" };
  };
}
