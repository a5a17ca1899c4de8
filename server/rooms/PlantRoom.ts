/**
 * A collaboration session on one plant. Holds the authoritative shared state:
 * seats (participants, keyed by seat id, not by connection) and the twin slice
 * its clients render, copied from the process-wide working memory each patch.
 * A thin adapter: validation lives in shared/protocol.ts, twin logic in server/twin.
 */
import { Room, ServerError, type Client, type MessageContext, generateId } from "@colyseus/core";
import { MapSchema } from "@colyseus/schema";
import type { z } from "zod";
import {
  ClientMessage,
  CloseCode,
  JoinError,
  PROTOCOL_VERSION,
  type ErrorMessage,
  type Refusal,
  type Role,
  type PingMessage,
  type DrivingMessage,
  type HandoffTicketInfo,
  type MovedMessage,
  type PendingMessage,
  type RemovedMessage,
  type ShareMessage,
  type SignalMessage,
  type SummonMessage,
  type WelcomeMessage,
} from "../../shared/protocol.ts";
import {
  PlantRoomState,
  PointerState,
  PoseState,
  SeatState,
  type AlarmState,
  type AnnotationState,
} from "../../shared/state.ts";
import { aRole, can, type Action } from "../../shared/permissions.ts";
import type { Actor } from "../alarms/AlarmBook.ts";
import { AlarmStateSync } from "./AlarmStateSync.ts";
import { AnnotationStateSync } from "./AnnotationStateSync.ts";
import { CalibrationStateSync } from "./CalibrationStateSync.ts";
import { calibrationBookFor, type CalibrationBook } from "../collab/CalibrationBook.ts";
import { PlaybackSync } from "./PlaybackSync.ts";
import { MessageCounters, parseRequest, validated } from "./messagePolicy.ts";
import { closeFlooders, MessageRateLimit } from "./floodGate.ts";
import { applyPose, PoseGate } from "./presence.ts";
import type { TicketBook, Ticket } from "../handoff/HandoffTickets.ts";
import type { SignInGate } from "../auth/SignInGate.ts";
import { admitToRoom, authorizeJoin, type JoinLedger, type SeatAuth } from "./joinPolicy.ts";
import type { PlantPresence } from "./plantPresence.ts";
import type { Clock } from "../twin/Clock.ts";
import type { PlantHub, PlantRuntime } from "../runtime/PlantHub.ts";
import { pickColor } from "./seatColors.ts";
import { TwinStateSync } from "./TwinStateSync.ts";
import { InterestSync, interestEnabled, type InterestSetting } from "./InterestSync.ts";

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
}

function refusal(code: Refusal["code"], message: string): Refusal {
  return { code, message };
}

export function definePlantRoom(ctx: PlantRoomContext) {
  return class PlantRoom extends Room<{ state: PlantRoomState }> {
    static override async onAuth(
      token: string | undefined,
      options: unknown,
      context?: { ip?: string; headers?: unknown },
    ): Promise<SeatAuth> {
      return authorizeJoin(ctx, token || undefined, options, context?.ip ?? "?");
    }

    private runtime!: PlantRuntime;
    private sync!: TwinStateSync;
    private alarmSync!: AlarmStateSync;
    private annotationSync!: AnnotationStateSync;
    private calibration!: CalibrationBook;
    private calibrationSync!: CalibrationStateSync;
    private playback!: PlaybackSync;
    private interest!: InterestSync;
    /** Connection (sessionId) -> the seat it drives, waits to take over (pending) or moved away from. */
    private readonly seatOf = new Map<string, string>();
    private readonly roleOf = new Map<string, "driver" | "pending" | "moved">();
    /** Seat id -> the one connection driving it. Handoff swaps this in one step: never two, never none. */
    private readonly driverOf = new Map<string, string>();
    /** Pending connections' ticket and device. */
    private readonly pendingInfo = new Map<string, { ticket: Ticket | null; device: string }>();
    readonly counters = new MessageCounters();
    private readonly poses = new PoseGate();
    private readonly lastPing = new Map<string, number>();
    /** Seat id -> the connection whose microphone is the seat's voice (it can lag the driver during a handoff). */
    private readonly voiceDevice = new Map<string, string>();

    override async onCreate(options: { plant: string }): Promise<void> {
      try {
        this.runtime = await ctx.hub.acquire(options.plant);
      } catch (e) {
        throw new ServerError(JoinError.UNKNOWN_PLANT, (e as Error).message);
      }
      this.maxClients = ctx.maxClients;
      // Poses at 30 Hz plus interaction fit well under the default 60/s; a client above it is flooding and is closed.
      // Wall-clock time, not ctx.now: a network rate is real time even when the twin runs on an injected clock.
      closeFlooders(
        this,
        new MessageRateLimit(ctx.maxMessagesPerSecond),
        () => performance.now(),
        (client) => {
          this.counters.floodCloses++;
          ctx.log(
            `room ${this.roomId}: closed ${client.sessionId} (seat ${this.seatOf.get(client.sessionId) ?? "-"}) for flooding`,
          );
        },
      );
      const state = new PlantRoomState();
      state.protocol = PROTOCOL_VERSION;
      state.plant = options.plant;
      state.viewTime = 0;
      state.presenter = "";
      state.seats = new MapSchema<SeatState>();
      state.twins = new MapSchema();
      state.alarms = new MapSchema<AlarmState>();
      state.annotations = new MapSchema<AnnotationState>();
      state.playback = new MapSchema();
      state.pastAlarms = new MapSchema();
      state.playbackSpeed = 0;
      state.playbackBy = "";
      this.setState(state);
      this.leavePresence = ctx.presence.enter(options.plant, this.roomId, () => this.state.seats.size);
      this.sync = new TwinStateSync(this.runtime.twin, state);
      const model = this.runtime.plant.model;
      this.interest = new InterestSync(model, state, interestEnabled(ctx.interest ?? "auto", model));
      this.alarmSync = new AlarmStateSync(this.runtime.alarms, state);
      this.annotationSync = new AnnotationStateSync(this.runtime.annotations, state);
      this.calibration = calibrationBookFor(this.runtime.store, options.plant, ctx.now);
      this.calibrationSync = new CalibrationStateSync(this.calibration, state);
      this.playback = new PlaybackSync(this.runtime.twin, this.runtime.store, options.plant, state, ctx.clock, () =>
        this.interest.playbackStarted(),
      );
      this.setPatchRate(ctx.patchRateMs);
      void this.setMetadata({ plant: options.plant });
      this.registerMessages();
      this.registerHandoff();
      this.registerKick();
    }

    private on<K extends keyof typeof ClientMessage>(
      type: K,
      handler: (client: Client, msg: z.infer<(typeof ClientMessage)[K]>, seat: SeatState) => void,
    ): void {
      this.onMessage(
        type,
        validated(
          type,
          ClientMessage[type] as unknown as z.ZodType<z.infer<(typeof ClientMessage)[K]>>,
          this.counters,
          ctx.now,
          (client, msg) => {
            const seat = this.seatFor(client);
            if (seat) handler(client, msg, seat);
          },
        ),
      );
    }

    private knownTwin(client: Client, twin: string | null): boolean {
      if (twin === null || this.runtime.twin.twinIndex(twin) !== undefined) return true;
      const err: ErrorMessage = { code: "unknown-twin", message: `There is no asset "${twin}" in this plant.` };
      client.send("error", err);
      return false;
    }

    /**
     * A request handler under the shared policy: the payload is validated first and a failure is refused with the
     * schema's sentence; the handler's return value (or `mctx.reject(refusal)`) answers the client's promise.
     */
    private onRequest<K extends keyof typeof ClientMessage>(
      type: K,
      handler: (client: Client, msg: z.infer<(typeof ClientMessage)[K]>, mctx: MessageContext) => unknown,
    ): void {
      const schema = ClientMessage[type] as unknown as z.ZodType<z.infer<(typeof ClientMessage)[K]>>;
      this.onMessage(type, (client, raw, mctx) => {
        const p = parseRequest(schema, raw);
        // Counted like fire-and-forget messages; the refusal itself is the answer the sender gets.
        if (!p.ok) {
          this.counters.count("rejected", type);
          return mctx.reject(p.refusal);
        }
        this.counters.count("accepted", type);
        const out = handler(client, p.data, mctx);
        // Answer once what the request wrote is durable (a shared journal commits in PostgreSQL after returning).
        const durable = this.runtime.store.flushed();
        return durable ? durable.then(() => out) : out;
      });
    }

    private registerMessages(): void {
      this.on("select", (client, msg, seat) => {
        if (this.knownTwin(client, msg.twin)) seat.selection = msg.twin ?? "";
      });
      this.on("pose", (_client, msg, seat) => {
        if (this.poses.admit(seat.id, ctx.now())) applyPose(seat, msg);
        else this.counters.dropped["pose"] = (this.counters.dropped["pose"] ?? 0) + 1;
      });
      this.on("ping", (client, msg, seat) => {
        const now = ctx.now();
        if (now - (this.lastPing.get(seat.id) ?? 0) < 1000 || !this.knownTwin(client, msg.twin)) return;
        this.lastPing.set(seat.id, now);
        const ping: PingMessage = { seat: seat.id, at: msg.at, twin: msg.twin };
        this.broadcast("ping", ping);
        this.journal("ping", seat, { at: msg.at, twin: msg.twin });
      });
      this.on("follow", (client, msg, seat) => {
        if (msg.seat !== null && (msg.seat === seat.id || !this.state.seats.has(msg.seat))) {
          const err: ErrorMessage = { code: "unknown-seat", message: "That participant is not in the room." };
          client.send("error", err);
          return;
        }
        seat.following = msg.seat ?? "";
      });
      this.on("summon", (client, msg, seat) => {
        if (!this.knownTwin(client, msg.twin)) return;
        if (!can(seat.role, "summon")) {
          const err: ErrorMessage = { code: "forbidden", message: `${aRole(seat.role)} cannot summon everyone.` };
          client.send("error", err);
          this.journal("denied", seat, { action: "summon", twin: msg.twin });
          return;
        }
        this.state.presenter = seat.id;
        const m: SummonMessage = { seat: seat.id, twin: msg.twin };
        this.broadcast("summon", m);
        this.journal("summon", seat, { twin: msg.twin });
      });
      this.on("share", (client, msg, seat) => {
        if (!this.knownTwin(client, msg.twin)) return;
        seat.selection = msg.twin;
        const m: ShareMessage = { seat: seat.id, twin: msg.twin };
        this.broadcast("share", m, { except: client });
        this.journal("share", seat, { twin: msg.twin });
      });

      this.on("signal", (client, msg, seat) => {
        const target = this.clientForSeat(msg.to);
        if (!target || msg.to === seat.id) {
          const err: ErrorMessage = {
            code: "unknown-seat",
            message: "That participant is not in the room (any more).",
          };
          client.send("error", err);
          return;
        }
        const out: SignalMessage = { from: seat.id, kind: msg.kind, data: msg.data };
        target.send("signal", out);
      });
      this.on("interest", (client, msg, seat) => {
        const r = this.interest.set(client, msg, seat.id);
        if (!r.ok) {
          const err: ErrorMessage = { code: r.code, message: r.message };
          client.send("error", err);
        }
      });
      this.on("voice", (client, msg, seat) => {
        if (seat.inCall !== msg.inCall) this.journal(msg.inCall ? "voice.join" : "voice.leave", seat, {});
        // A device joining the call for this seat (first time, or the seat's new device after a handoff).
        if (msg.inCall && (!seat.inCall || this.voiceDevice.get(seat.id) !== client.sessionId)) {
          seat.voiceEpoch = ((seat.voiceEpoch ?? 0) + 1) >>> 0;
          this.voiceDevice.set(seat.id, client.sessionId);
        }
        seat.inCall = msg.inCall;
        seat.muted = msg.muted;
        seat.speaking = msg.inCall && !msg.muted && msg.speaking;
      });

      // Requests: the client's promise resolves once the change is on disk.
      const alarms = this.runtime.alarms;
      this.onRequest("ack", (client, msg, mctx) => {
        const actor = this.permitted(client, "acknowledge", msg.alarm);
        if (typeof actor === "string") return mctx.reject(refusal("forbidden", actor));
        const r = alarms.ack(msg.alarm, actor);
        return r.ok ? { journalId: r.journalId } : mctx.reject(refusal("invalid", r.message));
      });
      this.onRequest("shelve", (client, msg, mctx) => {
        const actor = this.permitted(client, "shelve", msg.alarm);
        if (typeof actor === "string") return mctx.reject(refusal("forbidden", actor));
        const r = alarms.shelve(msg.alarm, actor, msg.minutes * 60_000, msg.reason);
        return r.ok ? { journalId: r.journalId } : mctx.reject(refusal("invalid", r.message));
      });
      this.onRequest("unshelve", (client, msg, mctx) => {
        const actor = this.permitted(client, "shelve", msg.alarm);
        if (typeof actor === "string") return mctx.reject(refusal("forbidden", actor));
        const r = alarms.unshelve(msg.alarm, actor);
        return r.ok ? { journalId: r.journalId } : mctx.reject(refusal("invalid", r.message));
      });

      this.onRequest("playback", (client, msg, mctx) => {
        const seat = this.seatFor(client);
        if (!seat) return mctx.reject(refusal("forbidden", "You have no seat in this room."));
        if (!can(seat.role, "playback")) {
          this.journal("denied", seat, { action: "playback" });
          return mctx.reject(
            refusal(
              "forbidden",
              `${aRole(seat.role)} cannot move the room's time; ask an expert, or leave playback for yourself.`,
            ),
          );
        }
        const r =
          msg.action === "seek"
            ? this.playback.seek(msg.t)
            : msg.action === "play"
              ? this.playback.play(msg.speed, seat.id)
              : msg.action === "pause"
                ? this.playback.pause()
                : this.playback.live();
        if (!r.ok) return mctx.reject(refusal("invalid", r.message));
        if (msg.action !== "seek" && msg.action !== "pause") this.journal(`playback.${msg.action}`, seat, { t: r.t });
        else if (msg.action === "seek") this.journal("playback.seek", seat, { t: r.t });
        if (r.t > 0) this.state.playbackBy = seat.id;
        return { t: r.t };
      });

      this.onRequest("bookmark", (client, msg, mctx) => {
        const seat = this.seatFor(client);
        if (!seat) return mctx.reject(refusal("forbidden", "You have no seat in this room."));
        if (!can(seat.role, "annotate"))
          return mctx.reject(refusal("forbidden", `${aRole(seat.role)} cannot add bookmarks.`));
        if (msg.t > ctx.now() + 1000) return mctx.reject(refusal("invalid", "A bookmark cannot be in the future."));
        // Stamped at the bookmarked instant, so the timeline and "next event" find it there.
        this.runtime.store.append({
          ts: msg.t,
          plant: this.state.plant,
          kind: "bookmark",
          actor: seat.name,
          device: seat.device,
          subject: msg.name,
          data: { t: msg.t, at: ctx.now() },
        });
        return { t: msg.t };
      });

      const notes = this.runtime.annotations;
      this.onRequest("annotate", (client, msg, mctx) => {
        const seat = this.seatFor(client);
        if (!seat) return mctx.reject(refusal("forbidden", "You have no seat in this room."));
        if (this.runtime.twin.twinIndex(msg.twin) === undefined)
          return mctx.reject(refusal("not-found", `There is no asset "${msg.twin}".`));
        const r = notes.create(
          { ...this.actorOf(seat), color: seat.color },
          {
            kind: msg.kind,
            twin: msg.twin,
            offset: msg.offset,
            points: msg.points ?? [],
            text: msg.text,
            alarm: msg.alarm ?? "",
          },
        );
        if (!r.ok) {
          if (r.code === "forbidden") this.journal("denied", seat, { action: "annotate", twin: msg.twin });
          return mctx.reject(refusal(r.code, r.message));
        }
        return { id: r.id, journalId: r.journalId };
      });
      this.onRequest("annotationUpdate", (client, msg, mctx) => {
        const seat = this.seatFor(client);
        if (!seat) return mctx.reject(refusal("forbidden", "You have no seat in this room."));
        const r = notes.update(this.actorOf(seat), msg.id, { text: msg.text, status: msg.status });
        return r.ok ? { id: r.id, journalId: r.journalId } : mctx.reject(refusal(r.code, r.message));
      });
      this.onRequest("annotationDelete", (client, msg, mctx) => {
        const seat = this.seatFor(client);
        if (!seat) return mctx.reject(refusal("forbidden", "You have no seat in this room."));
        const r = notes.delete(this.actorOf(seat), msg.id);
        return r.ok ? { id: r.id, journalId: r.journalId } : mctx.reject(refusal(r.code, r.message));
      });

      // Co-location points: the book validates and counts the payload itself (bad points and refused roles alike).
      this.onMessage("calibrate", (client, raw, mctx) => {
        const seat = this.seatFor(client);
        if (!seat) return mctx.reject(refusal("forbidden", "You have no seat in this room."));
        const r = this.calibration.set(this.actorOf(seat), raw);
        if (!r.ok) return mctx.reject(refusal(r.code, r.message));
        const durable = this.runtime.store.flushed();
        return durable ? durable.then(() => ({ journalId: r.journalId })) : { journalId: r.journalId };
      });

      this.onMessage("*", (client, type) => {
        this.counters.reject(client, String(type).slice(0, 40), "unknown message type.", ctx.now());
      });
    }

    private actorOf(seat: SeatState): Actor {
      return { name: seat.name, seat: seat.id, device: seat.device, role: seat.role };
    }

    /** The acting seat when its role allows the action; otherwise the refusal sentence (and the refusal is journaled). */
    private permitted(client: Client, action: Action, subject: string): Actor | string {
      const seat = this.seatFor(client);
      if (!seat) return "You have no seat in this room.";
      const actor = this.actorOf(seat);
      if (can(seat.role, action)) return actor;
      const reason = `${aRole(seat.role)} cannot ${action === "acknowledge" ? "acknowledge alarms" : action + " alarms"}.`;
      this.runtime.alarms.recordDenied(subject, actor, action, reason);
      return reason;
    }

    override onBeforePatch(): void {
      // The patch timer runs from construction; onCreate may still be awaiting the plant's first load (cluster).
      this.sync?.flush();
      if (!this.leavePresence) return; // set with the state in onCreate
      const elsewhere = ctx.presence.elsewhere(this.state.plant, this.roomId);
      if (this.state.elsewhere !== elsewhere) this.state.elsewhere = elsewhere;
      // The plant broker for every plant of this process, and this plant's own OPC UA servers.
      const offline = [ctx.offline(), this.runtime.opcua.offline()].filter(Boolean).join(" ");
      if (this.state.offline !== offline) this.state.offline = offline;
    }
    private leavePresence: (() => void) | undefined;

    /** The connection currently driving a seat. */
    private clientForSeat(seatId: string): Client | undefined {
      const session = this.driverOf.get(seatId);
      return session ? this.clients.find((c) => c.sessionId === session) : undefined;
    }

    /** The seat this connection drives (pending and moved connections drive nothing). */
    private seatFor(client: Client): SeatState | undefined {
      if (this.roleOf.get(client.sessionId) !== "driver") return undefined;
      const id = this.seatOf.get(client.sessionId);
      return id ? this.state.seats.get(id) : undefined;
    }

    /**
     * The atomic switch: `to` becomes the seat's driver and the previous driver becomes "moved".
     * One synchronous step between two patches, so observers see the seat's device change, never a gap.
     */
    private switchDriver(seat: SeatState, to: Client, device: string, via: string, draft = ""): void {
      const fromSession = this.driverOf.get(seat.id);
      const fromDevice = seat.device;
      this.driverOf.set(seat.id, to.sessionId);
      this.interest.moveSeat(seat.id, to);
      this.roleOf.set(to.sessionId, "driver");
      this.seatOf.set(to.sessionId, seat.id);
      this.pendingInfo.delete(to.sessionId);
      seat.device = device;
      seat.presence = "online";
      const from = fromSession ? this.clients.find((c) => c.sessionId === fromSession) : undefined;
      if (fromSession) this.roleOf.set(fromSession, "moved");
      if (from) {
        const moved: MovedMessage = { seat: seat.id, toDevice: device };
        from.send("moved", moved);
      }
      const driving: DrivingMessage = { seat: seat.id, fromDevice, draft };
      to.send("driving", driving);
      this.journal("handoff", seat, { from: fromDevice, to: device, via });
    }

    private pendingSeat(client: Client): SeatState | undefined {
      if (this.roleOf.get(client.sessionId) !== "pending") return undefined;
      const id = this.seatOf.get(client.sessionId);
      return id ? this.state.seats.get(id) : undefined;
    }

    private registerHandoff(): void {
      this.onRequest("handoffCreate", async (client, msg, mctx) => {
        const seat = this.seatFor(client);
        if (!seat) return mctx.reject(refusal("forbidden", "Only the device that holds the seat can move it."));
        const t = await ctx.tickets.create({
          seat: seat.id,
          user: seat.user,
          name: seat.name,
          room: this.roomId,
          plant: this.state.plant,
          fromDevice: seat.device,
          draft: msg.draft ?? "",
        });
        this.journal("handoff.ticket", seat, { expiresAt: t.expiresAt });
        const info: HandoffTicketInfo = { token: t.token, code: t.code, expiresAt: t.expiresAt };
        return info;
      });
      this.onRequest("handoffAccept", async (client, msg, mctx) => {
        const seat = this.pendingSeat(client);
        const info = this.pendingInfo.get(client.sessionId);
        if (!seat || !info?.ticket)
          return mctx.reject(refusal("invalid", "There is no handoff waiting on this device."));
        const r = await ctx.tickets.claim(info.ticket.token, seat.user, client.sessionId);
        if (!r.ok) return mctx.reject(refusal(r.code === "wrong-user" ? "forbidden" : "invalid", r.message));
        this.switchDriver(seat, client, info.device, "ticket", r.ticket.draft);
        return { seat: seat.id };
      });
      this.onRequest("handoffPull", (client, msg, mctx) => {
        const seat = this.pendingSeat(client);
        const info = this.pendingInfo.get(client.sessionId);
        if (!seat || !info) return mctx.reject(refusal("invalid", "There is no session of yours to move here."));
        this.switchDriver(seat, client, info.device, "pull");
        return { seat: seat.id };
      });
      this.onRequest("handoffSeparate", (client, msg, mctx) => {
        const seat = this.pendingSeat(client);
        const info = this.pendingInfo.get(client.sessionId);
        if (!seat || !info) return mctx.reject(refusal("invalid", "This device already has a seat."));
        this.pendingInfo.delete(client.sessionId);
        const own = this.createSeat(client, {
          name: seat.name,
          user: seat.user,
          role: seat.role as Role,
          device: info.device,
        });
        return { seat: own.id };
      });
      this.onRequest("handoffTakeBack", (client, msg, mctx) => {
        if (this.roleOf.get(client.sessionId) !== "moved")
          return mctx.reject(refusal("invalid", "This device has nothing to take back."));
        const seat = this.state.seats.get(this.seatOf.get(client.sessionId) ?? "");
        if (!seat) return mctx.reject(refusal("not-found", "That session has ended."));
        const device = this.deviceOf.get(client.sessionId) ?? "desktop";
        this.switchDriver(seat, client, device, "take-back");
        return { seat: seat.id };
      });
    }

    /** Connections closed by a kick: if one comes back through the SDK's reconnection, it is closed again. */
    private readonly kicked = new Set<string>();

    /** `kick` (admin): close every connection of a seat with CloseCode.KICKED and free the seat now. */
    private registerKick(): void {
      this.onRequest("kick", (client, msg, mctx) => {
        const admin = this.seatFor(client);
        if (!admin) return mctx.reject(refusal("forbidden", "You have no seat in this room."));
        if (!can(admin.role, "kick")) {
          this.journal("denied", admin, { action: "kick", target: msg.seat });
          return mctx.reject(refusal("forbidden", `${aRole(admin.role)} cannot remove people; ask an administrator.`));
        }
        if (msg.seat === admin.id)
          return mctx.reject(refusal("invalid", "You cannot remove yourself; leave the room instead."));
        const target = this.state.seats.get(msg.seat);
        if (!target) return mctx.reject(refusal("not-found", `Nobody in this room has seat "${msg.seat}".`));
        const reason = msg.reason ?? "";
        const removed: RemovedMessage = { by: admin.name, reason };
        // Journal first: the record of who removed whom must exist even if closing fails half-way.
        this.journal("kick", admin, { target: target.id, name: target.name, user: target.user, reason });
        ctx.log(`room ${this.roomId}: ${admin.name} removed ${target.name} (seat ${target.id})`);
        // Collected first: a kick takes the connection out of this.clients while we would still be walking it.
        const conns = this.clients.filter((c) => this.seatOf.get(c.sessionId) === target.id);
        for (const c of conns) {
          this.kicked.add(c.sessionId);
          c.send("removed", removed);
          // KICKED is not a reconnect code: onDrop returns at once (no hold) and onLeave frees the seat.
          this.kickClient(c.sessionId, CloseCode.KICKED, "Removed by an administrator.");
        }
        // A driver that had dropped and is inside its reconnection hold has no live connection to close.
        const driver = this.driverOf.get(target.id);
        if (driver !== undefined) {
          this.kicked.add(driver);
          this.releaseSeat(target.id);
        }
        return { seat: target.id };
      });
    }

    /** The device kind each connection joined with (a seat's device follows its driver). */
    private readonly deviceOf = new Map<string, string>();

    override onJoin(client: Client, _options: unknown, auth: SeatAuth): void {
      admitToRoom(ctx.joins, client.sessionId, auth, this.state.plant);
      this.deviceOf.set(client.sessionId, auth.device);
      this.interest.attach(client);
      const welcome: WelcomeMessage = { seat: "", protocol: PROTOCOL_VERSION };
      // Make-before-break: a device continuing a session joins pending on the existing seat; nobody sees it yet.
      const existing = auth.handoff
        ? this.state.seats.get(auth.handoff.seat)
        : auth.separate
          ? undefined
          : [...this.state.seats.values()].find((s) => s.user === auth.user && this.driverOf.has(s.id));
      if (auth.handoff && !existing) {
        const err: ErrorMessage = { code: "handoff-gone", message: "The session you wanted to continue has ended." };
        client.send("error", err);
      }
      if (existing) {
        this.seatOf.set(client.sessionId, existing.id);
        this.roleOf.set(client.sessionId, "pending");
        this.pendingInfo.set(client.sessionId, { ticket: auth.handoff, device: auth.device });
        client.send("welcome", welcome);
        const pending: PendingMessage = {
          seat: existing.id,
          name: existing.name,
          fromDevice: existing.device,
          reason: auth.handoff ? "ticket" : "same-user",
        };
        client.send("pending", pending);
        return;
      }
      const seat = this.createSeat(client, auth);
      ctx.log(`room ${this.roomId}: ${auth.name} joined from ${auth.device} (seat ${seat.id})`);
    }

    private createSeat(client: Client, who: { name: string; user: string; role: Role; device: string }): SeatState {
      const seat = new SeatState();
      seat.id = generateId(12);
      seat.name = who.name;
      seat.user = who.user;
      seat.role = who.role;
      seat.device = who.device;
      seat.color = pickColor([...this.state.seats.values()].map((s) => s.color));
      seat.presence = "online";
      seat.selection = "";
      seat.joinedAt = ctx.now();
      seat.head = new PoseState();
      seat.head.qw = 1;
      seat.left = new PoseState();
      seat.left.qw = 1;
      seat.right = new PoseState();
      seat.right.qw = 1;
      seat.hands = 0;
      seat.pointer = new PointerState();
      seat.following = "";
      seat.speaking = false;
      seat.inCall = false;
      seat.muted = false;
      seat.voiceEpoch = 0;
      this.state.seats.set(seat.id, seat);
      this.seatOf.set(client.sessionId, seat.id);
      this.roleOf.set(client.sessionId, "driver");
      this.driverOf.set(seat.id, client.sessionId);
      const welcome: WelcomeMessage = { seat: seat.id, protocol: PROTOCOL_VERSION };
      client.send("welcome", welcome);
      this.journal("join", seat, { role: seat.role, room: this.roomId });
      return seat;
    }

    override async onDrop(client: Client, code?: number): Promise<void> {
      // A flooder's seat is not held: it leaves now (its page may join again, as a new connection). Nor a kicked one.
      if (code === CloseCode.FLOODING || code === CloseCode.KICKED) return;
      // The seat is held for its driver; the avatar stays, marked "reconnecting".
      const seat = this.seatFor(client);
      if (seat) seat.presence = "reconnecting";
      if (ctx.reconnectSeconds > 0) await this.allowReconnection(client, ctx.reconnectSeconds);
    }

    override onReconnect(client: Client): void {
      if (this.kicked.has(client.sessionId)) {
        this.kickClient(client.sessionId, CloseCode.KICKED, "Removed by an administrator.");
        return;
      }
      const seat = this.seatFor(client);
      if (seat) seat.presence = "online";
    }

    override onLeave(client: Client): void {
      const id = this.seatOf.get(client.sessionId);
      const role = this.roleOf.get(client.sessionId);
      this.seatOf.delete(client.sessionId);
      this.roleOf.delete(client.sessionId);
      this.pendingInfo.delete(client.sessionId);
      this.deviceOf.delete(client.sessionId);
      this.interest.detach(client);
      ctx.joins.left(client.sessionId);
      // Only the driver's departure frees the seat; a pending or moved device leaving changes nothing for others.
      this.kicked.delete(client.sessionId);
      if (!id || role !== "driver" || this.driverOf.get(id) !== client.sessionId) return;
      this.releaseSeat(id);
    }

    /** The seat leaves the room: its avatar, presence, voice and follows go; journaled as `leave`. */
    private releaseSeat(id: string): void {
      this.driverOf.delete(id);
      const seat = this.state.seats.get(id);
      this.state.seats.delete(id);
      this.voiceDevice.delete(id);
      this.poses.forget(id);
      this.interest.forgetSeat(id);
      this.lastPing.delete(id);
      if (this.state.presenter === id) this.state.presenter = "";
      for (const other of this.state.seats.values()) if (other.following === id) other.following = "";
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

    override async onDispose(): Promise<void> {
      this.sync?.dispose();
      this.alarmSync?.dispose();
      this.annotationSync?.dispose();
      this.calibrationSync?.dispose();
      this.playback?.dispose();
      this.leavePresence?.();
      if (this.runtime) await ctx.hub.release(this.state.plant);
    }

    /** Counters for /healthz and benches. */
    /** Interest management of this room (tests, benches). */
    get interestSync(): InterestSync {
      return this.interest;
    }

    get syncCounters() {
      return this.sync.counters;
    }
  };
}
