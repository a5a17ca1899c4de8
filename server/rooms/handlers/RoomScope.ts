/**
 * What a handler may use of its room: the plant's runtime, the room's state and seats, the syncs, and the few room
 * operations that change who holds a seat. PlantRoom builds one in onCreate; handlers never see Colyseus' Room.
 */
import type { Client } from "@colyseus/core";
import type { ServerMessagePayload, ServerMessageType, Role } from "../../../shared/protocol.ts";
import type { PlantRoomState, SeatState } from "../../../shared/state.ts";
import type { Actor } from "../../journal/JournalEntry.ts";
import type { PlantJournal } from "../../journal/PlantJournal.ts";
import type { CalibrationBook } from "../../collab/CalibrationBook.ts";
import type { PlantRuntime } from "../../runtime/PlantHub.ts";
import type { InterestSync } from "../InterestSync.ts";
import type { PlaybackSync } from "../PlaybackSync.ts";
import type { PlantRoomContext } from "../PlantRoomContext.ts";
import type { SeatRegistry } from "../SeatRegistry.ts";
import type { MessageCounters } from "../messagePolicy.ts";
import type { SeatSignInGuard } from "../seatSignInGuard.ts";
import type { ProcedureRoom } from "../ProcedureRoom.ts";
import type { IncidentRoom } from "../IncidentRoom.ts";
import type { WhatIfRoom } from "../WhatIfRoom.ts";

export interface NewSeat {
  name: string;
  user: string;
  role: Role;
  device: string;
}

export interface RoomScope {
  readonly ctx: PlantRoomContext;
  readonly roomId: string;
  readonly state: PlantRoomState;
  readonly runtime: PlantRuntime;
  readonly seats: SeatRegistry;
  readonly interest: InterestSync;
  readonly playback: PlaybackSync;
  readonly calibration: CalibrationBook;
  /** The room's procedure run (ProcedureRoom.ts). */
  readonly procedures: ProcedureRoom;
  /** The plant's recent incidents and closing them (IncidentRoom.ts). */
  readonly incidents: IncidentRoom;
  /** The room's what-ifs (WhatIfRoom.ts). */
  readonly whatIfs: WhatIfRoom;
  readonly counters: MessageCounters;
  /** Builds this plant's journal entries (write them with `record` or the store). */
  readonly journal: PlantJournal;
  /** Journal what a seat did; a failed write is logged, never thrown into the handler. */
  record(kind: string, seat: SeatState, data?: Record<string, unknown>): void;
  /** The seat this connection drives (pending and moved connections drive nothing). */
  seatFor(client: Client): SeatState | undefined;
  /** A live connection by its session id. */
  connection(sessionId: string): Client | undefined;
  broadcast<K extends ServerMessageType>(type: K, message: ServerMessagePayload<K>, except?: Client): void;
  actorOf(seat: SeatState): Actor;
  /** Whether `twin` is an asset of this plant (null: nothing); if not, the sender is told. */
  knownTwin(client: Client, twin: string | null): boolean;
  /** A new seat driven by `client`; welcomed and journaled. */
  createSeat(client: Client, who: NewSeat): SeatState;
  /** Make `client` (pending or moved) the driver of its seat; both devices are told. */
  switchDriver(client: Client, device: string, via: string, draft?: string): SeatState | undefined;
  /** The seat leaves the room: avatar, presence, voice and follows go; journaled as `leave`. */
  releaseSeat(id: string): void;
  /** The role this connection's current sign-in token gives (viewer when it holds none). */
  tokenRole(sessionId: string): Role;
  /** Sign-ins held by this room's connections: expiry, access list, fresh tokens (seatSignInGuard.ts). */
  readonly signIns: SeatSignInGuard;
  /** Close a live connection with one of shared/protocol CloseCode. */
  close(sessionId: string, code: number, reason: string): void;
}
