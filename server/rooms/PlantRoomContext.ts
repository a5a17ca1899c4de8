/** What a plant room is given by the process that defines it (server/app.ts): the shared plant runtime and policies. */
import type { TicketBook } from "../handoff/HandoffTickets.ts";
import type { SignInGate } from "../auth/SignInGate.ts";
import type { ReconnectTokens } from "../auth/ReconnectTokens.ts";
import type { JoinLedger } from "./joinPolicy.ts";
import type { PlantPresence } from "./plantPresence.ts";
import type { Clock } from "../twin/Clock.ts";
import type { PlantHub } from "../runtime/PlantHub.ts";
import type { InterestSetting } from "./InterestSync.ts";
import type { IceServer } from "../../shared/iceServers.ts";
import type { WorkOrderOutbox } from "../workorders/WorkOrderOutbox.ts";
import type { DrillBook } from "../drills/DrillBook.ts";

export interface PlantRoomContext {
  hub: PlantHub;
  clock: Clock;
  tickets: TicketBook;
  reconnectSeconds: number;
  patchRateMs: number;
  /** Interest management (INTEREST); default auto. */
  interest?: InterestSetting;
  maxClients: number;
  /** Messages per second one connection may send before it is closed with CloseCode.FLOODING. */
  maxMessagesPerSecond: number;
  /** Verifies sign-in tokens and applies the plant's access list (server/auth). */
  auth: SignInGate;
  /** Per-person bound on connections and unused seat reservations (joinPolicy.ts). */
  joins: JoinLedger;
  /** People on the plant across its rooms in this process (plantPresence.ts). */
  presence: PlantPresence;
  /** Why the plant's values are not arriving ("" while they are). */
  offline: () => string;
  now: () => number;
  log: (msg: string) => void;
  /** Tokens that reconnecting connections came back with (noted at the WebSocket upgrade). */
  reconnectTokens?: ReconnectTokens;
  /** STUN/TURN for the voice call (ICE_SERVERS), sent in each welcome; absent or [] = LAN only. */
  iceServers?: IceServer[];
  /** Where closed incidents go as work orders (WORK_ORDER_URL); absent or null = hand-off off. */
  workOrders?: WorkOrderOutbox | null;
  /** The process's drills (server/drills/); absent: drills are not offered. */
  drills?: DrillBook;
}
