/**
 * A collaboration session on one plant. Holds the authoritative shared state:
 * seats (participants, keyed by seat id, not by connection) and the twin slice
 * its clients render, copied from the process-wide working memory each patch.
 * A thin adapter: validation lives in shared/protocol.ts, twin logic in server/twin.
 */
import { Room, ServerError, type Client, generateId } from "@colyseus/core";
import { MapSchema } from "@colyseus/schema";
import {
  ClientMessage,
  JoinError,
  JoinOptions,
  PROTOCOL_VERSION,
  protocolMismatchMessage,
  type ErrorMessage,
  type Refusal,
  type Role,
  type WelcomeMessage,
} from "../../shared/protocol.ts";
import { PlantRoomState, SeatState, type AlarmState } from "../../shared/state.ts";
import { can, type Action } from "../../shared/permissions.ts";
import type { Actor } from "../alarms/AlarmBook.ts";
import { AlarmStateSync } from "./AlarmStateSync.ts";
import type { PlantHub, PlantRuntime } from "../runtime/PlantHub.ts";
import { pickColor } from "./seatColors.ts";
import { TwinStateSync } from "./TwinStateSync.ts";

export interface PlantRoomContext {
  hub: PlantHub;
  reconnectSeconds: number;
  patchRateMs: number;
  maxClients: number;
  defaultRole: Role;
  now: () => number;
  log: (msg: string) => void;
}

export interface SeatAuth {
  name: string;
  role: Role;
  device: string;
  plant: string;
  seat: string | undefined;
}

/** Validate join options before a seat is reserved. Throws a ServerError whose message the UI shows. */
export async function authorizeJoin(ctx: PlantRoomContext, options: unknown): Promise<SeatAuth> {
  const raw = (options ?? {}) as Record<string, unknown>;
  const protocol = raw["protocol"];
  if (protocol !== PROTOCOL_VERSION) {
    throw new ServerError(
      JoinError.PROTOCOL_MISMATCH,
      typeof protocol === "number"
        ? protocolMismatchMessage(protocol)
        : "The client did not say which protocol it speaks. Reload the page.",
    );
  }
  const parsed = JoinOptions.safeParse(options);
  if (!parsed.success) {
    throw new ServerError(JoinError.BAD_JOIN, parsed.error.issues.map((i) => i.message).join(" "));
  }
  try {
    await ctx.hub.get(parsed.data.plant);
  } catch (e) {
    throw new ServerError(JoinError.UNKNOWN_PLANT, (e as Error).message);
  }
  return {
    name: parsed.data.name,
    role: parsed.data.role ?? ctx.defaultRole,
    device: parsed.data.device,
    plant: parsed.data.plant,
    seat: parsed.data.seat,
  };
}

function refusal(code: Refusal["code"], message: string): Refusal {
  return { code, message };
}

export function definePlantRoom(ctx: PlantRoomContext) {
  return class PlantRoom extends Room<{ state: PlantRoomState }> {
    static override async onAuth(_token: string, options: unknown): Promise<SeatAuth> {
      return authorizeJoin(ctx, options);
    }

    private runtime!: PlantRuntime;
    private sync!: TwinStateSync;
    private alarmSync!: AlarmStateSync;
    /** Connection (sessionId) -> seat id. */
    private readonly seatOf = new Map<string, string>();

    override async onCreate(options: { plant: string }): Promise<void> {
      this.runtime = await ctx.hub.get(options.plant);
      this.maxClients = ctx.maxClients;
      // 40 messages/s per client leaves room for 20 Hz poses plus interaction later.
      this.maxMessagesPerSecond = 40;
      const state = new PlantRoomState();
      state.protocol = PROTOCOL_VERSION;
      state.plant = options.plant;
      state.viewTime = 0;
      state.seats = new MapSchema<SeatState>();
      state.twins = new MapSchema();
      state.alarms = new MapSchema<AlarmState>();
      this.setState(state);
      this.sync = new TwinStateSync(this.runtime.twin, state);
      this.alarmSync = new AlarmStateSync(this.runtime.alarms, state);
      this.setPatchRate(ctx.patchRateMs);
      void this.setMetadata({ plant: options.plant });

      this.onMessage("select", ClientMessage.select, (client, msg) => {
        const seat = this.seatFor(client);
        if (!seat) return;
        if (msg.twin !== null && this.runtime.twin.twinIndex(msg.twin) === undefined) {
          const err: ErrorMessage = { code: "unknown-twin", message: `There is no asset "${msg.twin}" in this plant.` };
          client.send("error", err);
          return;
        }
        seat.selection = msg.twin ?? "";
      });

      // Alarm actions are requests: the client's promise resolves once the change is on disk.
      const book = this.runtime.alarms;
      this.onMessage("ack", ClientMessage.ack, (client, msg, mctx) => {
        const actor = this.permitted(client, "acknowledge", msg.alarm);
        if (typeof actor === "string") return mctx.reject(refusal("forbidden", actor));
        const r = book.ack(msg.alarm, actor);
        return r.ok ? { journalId: r.journalId } : mctx.reject(refusal("invalid", r.message));
      });
      this.onMessage("shelve", ClientMessage.shelve, (client, msg, mctx) => {
        const actor = this.permitted(client, "shelve", msg.alarm);
        if (typeof actor === "string") return mctx.reject(refusal("forbidden", actor));
        const r = book.shelve(msg.alarm, actor, msg.minutes * 60_000, msg.reason);
        return r.ok ? { journalId: r.journalId } : mctx.reject(refusal("invalid", r.message));
      });
      this.onMessage("unshelve", ClientMessage.unshelve, (client, msg, mctx) => {
        const actor = this.permitted(client, "shelve", msg.alarm);
        if (typeof actor === "string") return mctx.reject(refusal("forbidden", actor));
        const r = book.unshelve(msg.alarm, actor);
        return r.ok ? { journalId: r.journalId } : mctx.reject(refusal("invalid", r.message));
      });
    }

    /** The acting seat when its role allows the action; otherwise the refusal sentence (and the refusal is journaled). */
    private permitted(client: Client, action: Action, subject: string): Actor | string {
      const seat = this.seatFor(client);
      if (!seat) return "You have no seat in this room.";
      const actor: Actor = { name: seat.name, seat: seat.id, device: seat.device, role: seat.role };
      if (can(seat.role, action)) return actor;
      const reason = `A ${seat.role} cannot ${action === "acknowledge" ? "acknowledge alarms" : action + " alarms"}.`;
      this.runtime.alarms.recordDenied(subject, actor, action, reason);
      return reason;
    }

    override onBeforePatch(): void {
      this.sync.flush();
    }

    private seatFor(client: Client): SeatState | undefined {
      const id = this.seatOf.get(client.sessionId);
      return id ? this.state.seats.get(id) : undefined;
    }

    override onJoin(client: Client, _options: unknown, auth: SeatAuth): void {
      const seat = new SeatState();
      seat.id = generateId(12);
      seat.name = auth.name;
      seat.role = auth.role;
      seat.device = auth.device;
      seat.color = pickColor([...this.state.seats.values()].map((s) => s.color));
      seat.presence = "online";
      seat.selection = "";
      seat.joinedAt = ctx.now();
      this.state.seats.set(seat.id, seat);
      this.seatOf.set(client.sessionId, seat.id);
      const welcome: WelcomeMessage = { seat: seat.id, protocol: PROTOCOL_VERSION };
      client.send("welcome", welcome);
      this.journal("join", seat, { role: seat.role, room: this.roomId });
      ctx.log(`room ${this.roomId}: ${auth.name} joined from ${auth.device} (seat ${seat.id})`);
    }

    override async onDrop(client: Client): Promise<void> {
      const seat = this.seatFor(client);
      if (seat) seat.presence = "reconnecting";
      if (ctx.reconnectSeconds > 0) await this.allowReconnection(client, ctx.reconnectSeconds);
    }

    override onReconnect(client: Client): void {
      const seat = this.seatFor(client);
      if (seat) seat.presence = "online";
    }

    override onLeave(client: Client): void {
      const id = this.seatOf.get(client.sessionId);
      this.seatOf.delete(client.sessionId);
      if (!id) return;
      const seat = this.state.seats.get(id);
      this.state.seats.delete(id);
      if (seat) {
        this.journal("leave", seat, { room: this.roomId });
        ctx.log(`room ${this.roomId}: ${seat.name} left`);
      }
    }

    /** Everything a user does goes to the plant's journal with actor, device and time. */
    private journal(kind: string, seat: SeatState, data: Record<string, unknown>): void {
      try {
        this.runtime.store.append({
          ts: ctx.now(),
          plant: this.state.plant,
          kind,
          actor: seat.name,
          device: seat.device,
          subject: seat.id,
          data,
        });
      } catch (e) {
        ctx.log(`journal: could not record ${kind}: ${(e as Error).message}`);
      }
    }

    override onDispose(): void {
      this.sync?.dispose();
      this.alarmSync?.dispose();
    }

    /** Counters for /healthz and benches. */
    get syncCounters() {
      return this.sync.counters;
    }
  };
}
