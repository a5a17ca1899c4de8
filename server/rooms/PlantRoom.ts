/**
 * A collaboration session on one plant. Holds the authoritative shared state:
 * seats (participants, keyed by seat id, not by connection) and the twin slice
 * its clients render, copied from the process-wide working memory each patch.
 * A thin adapter: messages are declared in shared/protocol/, handled per concern in
 * handlers/, who holds which seat is SeatRegistry's, journal entries are PlantJournal's.
 */
import { Room, ServerError, type Client, generateId } from "@colyseus/core";
import { Encoder, MapSchema } from "@colyseus/schema";
import { CloseCode, JoinError, PROTOCOL_VERSION, type ServerMessagePayload } from "../../shared/protocol.ts";
import { PlantRoomState, SeatState, type AlarmState } from "../../shared/state.ts";
import { restingPointer, restingPose } from "./presence.ts";
import type { AnnotationState } from "../../shared/state.ts";
import type { Actor } from "../journal/JournalEntry.ts";
import { PlantJournal } from "../journal/PlantJournal.ts";
import { AlarmStateSync } from "./AlarmStateSync.ts";
import { ForecastStateSync } from "./ForecastStateSync.ts";
import { AnnotationStateSync } from "./AnnotationStateSync.ts";
import { CalibrationStateSync } from "./CalibrationStateSync.ts";
import { calibrationBookFor } from "../collab/CalibrationBook.ts";
import { PlaybackSync } from "./PlaybackSync.ts";
import { ProcedureRoom } from "./ProcedureRoom.ts";
import { IncidentRoom } from "./IncidentRoom.ts";
import { WhatIfRoom } from "./WhatIfRoom.ts";
import { DrillStateSync } from "./DrillStateSync.ts";
import { MessageCounters } from "./messagePolicy.ts";
import { closeFlooders, MessageRateLimit } from "./floodGate.ts";
import { admitToRoom, authorizeJoin, type SeatAuth } from "./joinPolicy.ts";
import type { PlantRuntime } from "../runtime/PlantHub.ts";
import { pickColor } from "./seatColors.ts";
import { TwinStateSync } from "./TwinStateSync.ts";
import { EdgeNodeSync } from "./EdgeNodeSync.ts";
import { InterestSync, interestEnabled } from "./InterestSync.ts";
import { SeatRegistry } from "./SeatRegistry.ts";
import { SeatSignInGuard, type GuardedRoom } from "./seatSignInGuard.ts";
import { broadcastTo, sendTo } from "./send.ts";
import { registerHandlers } from "./handlers/handlerTable.ts";
import { plantHandlers, type PlantHandlers } from "./handlers/index.ts";
import type { NewSeat, RoomScope } from "./handlers/RoomScope.ts";
import type { PlantRoomContext } from "./PlantRoomContext.ts";

export type { PlantRoomContext } from "./PlantRoomContext.ts";

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
    private forecastSync!: ForecastStateSync;
    private annotationSync!: AnnotationStateSync;
    private calibrationSync!: CalibrationStateSync;
    private playback!: PlaybackSync;
    private procedures!: ProcedureRoom;
    private incidents!: IncidentRoom;
    private whatIfs!: WhatIfRoom;
    private drills: DrillStateSync | undefined;
    private interest!: InterestSync;
    private journal!: PlantJournal;
    private handlers!: PlantHandlers;
    /** Role from the current token, always (issue #18): expiry, access-list changes, fresh tokens, reconnections. */
    private signIns!: SeatSignInGuard;
    /** Who holds which seat: driving, pending a handoff, moved away, dropped and held, kicked. */
    private readonly seats = new SeatRegistry();
    readonly counters = new MessageCounters();
    private leavePresence: (() => void) | undefined;
    /** Sparkplug edge nodes that are not online, for the plant status panel. */
    private edgeNodes: EdgeNodeSync | undefined;

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
          const seat = this.seats.connection(client.sessionId)?.seat || "-";
          ctx.log(`room ${this.roomId}: closed ${client.sessionId} (seat ${seat}) for flooding`);
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
      state.edgeNodes = new MapSchema();
      state.forecasts = new MapSchema();
      state.drills = new MapSchema();
      // The room's encoder takes its buffer size when setState creates it. A large plant's full state outgrows the
      // size set in app.ts (the 100x growth bench's 30,600 points needed ~1.5 MB; playback fills a second map),
      // and Colyseus then regrows it with a console warning; ~128 B per point covers both maps.
      const pointBytes = Math.ceil((this.runtime.twin.points.length * 128) / 1024) * 1024;
      Encoder.BUFFER_SIZE = Math.max(Encoder.BUFFER_SIZE, pointBytes);
      this.setState(state);
      this.leavePresence = ctx.presence.enter(options.plant, this.roomId, () => this.state.seats.size);
      this.journal = new PlantJournal(options.plant, ctx.now);
      this.sync = new TwinStateSync(this.runtime.twin, state);
      this.edgeNodes = new EdgeNodeSync(this.runtime.ingest.sparkplug, state);
      this.edgeNodes.flush();
      const model = this.runtime.plant.model;
      this.interest = new InterestSync(model, state, interestEnabled(ctx.interest ?? "auto", model));
      this.alarmSync = new AlarmStateSync(this.runtime.alarms, state);
      const twins = this.runtime.twin.twins;
      this.forecastSync = new ForecastStateSync(this.runtime.forecast, state, (i) => twins[i]!.id);
      this.annotationSync = new AnnotationStateSync(this.runtime.annotations, state);
      const calibration = calibrationBookFor(this.runtime.store, options.plant, ctx.now);
      this.calibrationSync = new CalibrationStateSync(calibration, state);
      this.playback = new PlaybackSync(this.runtime.twin, this.runtime.store, options.plant, state, ctx.clock, () =>
        this.interest.playbackStarted(),
      );
      this.procedures = new ProcedureRoom(this.runtime, state, this.journal, ctx.clock, () => generateId(12));
      this.incidents = new IncidentRoom(
        this.runtime,
        state,
        this.journal,
        ctx.workOrders ?? null,
        ctx.now,
        () => generateId(12),
        (m) => ctx.log(`room ${this.roomId}: ${m}`),
      );
      this.whatIfs = new WhatIfRoom(this.runtime, state, this.journal, () => generateId(12));
      if (ctx.drills) {
        const journal = this.journal;
        this.drills = new DrillStateSync(ctx.drills, state, (seat, twin) => {
          try {
            this.runtime.store.append(journal.acted("select", this.actorOf(seat), twin, { twin }));
          } catch (e) {
            ctx.log(`journal: could not record select: ${(e as Error).message}`);
          }
        });
      }
      this.setPatchRate(ctx.patchRateMs);
      void this.setMetadata({ plant: options.plant });
      this.signIns = new SeatSignInGuard(options.plant, ctx.auth, ctx.clock, this.guarded());
      this.handlers = plantHandlers(this.scope(calibration));
      registerHandlers(this, this.handlers.table, {
        counters: this.counters,
        now: ctx.now,
        seatFor: (client) => this.seatFor(client),
        flushed: () => this.runtime.store.flushed(),
      });
    }

    /** The room as its handlers see it (handlers/RoomScope.ts). */
    private scope(calibration: RoomScope["calibration"]): RoomScope {
      return {
        ctx,
        roomId: this.roomId,
        state: this.state,
        runtime: this.runtime,
        seats: this.seats,
        interest: this.interest,
        playback: this.playback,
        calibration,
        procedures: this.procedures,
        incidents: this.incidents,
        whatIfs: this.whatIfs,
        counters: this.counters,
        journal: this.journal,
        record: (kind, seat, data) => this.record(kind, seat, data),
        seatFor: (client) => this.seatFor(client),
        connection: (sessionId) => this.clients.find((c) => c.sessionId === sessionId),
        broadcast: (type, message, except) => broadcastTo(this, type, message, except ? { except } : {}),
        actorOf: (seat) => this.actorOf(seat),
        knownTwin: (client, twin) => this.knownTwin(client, twin),
        createSeat: (client, who) => this.createSeat(client, who),
        switchDriver: (client, device, via, draft) => this.switchDriver(client, device, via, draft),
        releaseSeat: (id) => this.releaseSeat(id),
        close: (sessionId, code, reason) => this.kickClient(sessionId, code, reason),
        tokenRole: (sessionId) => this.signIns.roleOf(sessionId) ?? "viewer",
        signIns: this.signIns,
      };
    }

    /** The room as the sign-in guard sees it. */
    private guarded(): GuardedRoom {
      return {
        drivenSeat: (sessionId) => {
          const id = this.seats.drivenBy(sessionId);
          return id === undefined ? undefined : this.state.seats.get(id);
        },
        warn: (sessionId, message) => {
          const c = this.clients.getById(sessionId);
          if (c) sendTo(c, "signin-expiring", message);
        },
        // A connection inside its reconnection hold has nothing to close: its reconnection is checked (and refused).
        close: (sessionId, code, reason) => {
          if (this.clients.getById(sessionId)) this.kickClient(sessionId, code, reason);
        },
        journal: (kind, seat, data) => this.record(kind, seat, data),
        log: (m) => ctx.log(`room ${this.roomId}: ${m}`),
      };
    }

    private knownTwin(client: Client, twin: string | null): boolean {
      if (twin === null || this.runtime.twin.twinIndex(twin) !== undefined) return true;
      sendTo(client, "error", { code: "unknown-twin", message: `There is no asset "${twin}" in this plant.` });
      return false;
    }

    private actorOf(seat: SeatState): Actor {
      return { name: seat.name, seat: seat.id, device: seat.device, role: seat.role };
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
      this.edgeNodes?.flush();
      this.drills?.flush();
    }

    /** The seat this connection drives (pending and moved connections drive nothing). */
    private seatFor(client: Client): SeatState | undefined {
      const id = this.seats.drivenBy(client.sessionId);
      return id === undefined ? undefined : this.state.seats.get(id);
    }

    /**
     * The atomic switch: `to` becomes its seat's driver and the previous driver becomes "moved".
     * One synchronous step between two patches, so observers see the seat's device change, never a gap.
     */
    private switchDriver(to: Client, device: string, via: string, draft = ""): SeatState | undefined {
      const r = this.seats.handOff(to.sessionId);
      const seat = r.ok ? this.state.seats.get(r.value.seat) : undefined;
      if (!r.ok || !seat) return undefined;
      const fromDevice = seat.device;
      this.interest.moveSeat(seat.id, to);
      seat.device = device;
      // The device that takes the seat acts with its own sign-in's role (issue #18).
      seat.role = this.signIns.roleOf(to.sessionId) ?? "viewer";
      seat.presence = "online";
      const from = this.clients.find((c) => c.sessionId === r.value.previous);
      if (from) sendTo(from, "moved", { seat: seat.id, toDevice: device });
      sendTo(to, "driving", { seat: seat.id, fromDevice, draft });
      this.record("handoff", seat, { from: fromDevice, to: device, via });
      ctx.log(`room ${this.roomId}: seat ${seat.id} moved from ${fromDevice} to ${device} (${via})`);
      return seat;
    }

    override onJoin(client: Client, _options: unknown, auth: SeatAuth): void {
      admitToRoom(ctx.joins, client.sessionId, auth, this.state.plant);
      auth = { ...auth, role: this.signIns.joined(client.sessionId, auth.identity) };
      this.seats.connect(client.sessionId, auth.device);
      this.interest.attach(client);
      // Make-before-break: a device continuing a session joins pending on the existing seat; nobody sees it yet.
      const existingId = auth.handoff
        ? auth.handoff.seat
        : auth.separate
          ? undefined
          : this.seats.seatOfUser(auth.user);
      const existing = existingId === undefined ? undefined : this.state.seats.get(existingId);
      if (auth.handoff && !existing) {
        sendTo(client, "error", { code: "handoff-gone", message: "The session you wanted to continue has ended." });
      }
      if (existing && this.seats.pend(client.sessionId, existing.id, auth.handoff).ok) {
        sendTo(client, "welcome", { seat: "", protocol: PROTOCOL_VERSION, iceServers: ctx.iceServers ?? [] });
        const pending: ServerMessagePayload<"pending"> = {
          seat: existing.id,
          name: existing.name,
          fromDevice: existing.device,
          reason: auth.handoff ? "ticket" : "same-user",
        };
        sendTo(client, "pending", pending);
        return;
      }
      const seat = this.createSeat(client, auth);
      ctx.log(`room ${this.roomId}: ${auth.name} joined from ${auth.device} (seat ${seat.id})`);
    }

    private createSeat(client: Client, who: NewSeat): SeatState {
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
      seat.head = restingPose();
      seat.left = restingPose();
      seat.right = restingPose();
      seat.hands = 0;
      seat.pointer = restingPointer();
      seat.following = "";
      seat.speaking = false;
      seat.inCall = false;
      seat.muted = false;
      seat.voiceEpoch = 0;
      seat.camera = "";
      const bound = this.seats.seat(client.sessionId, seat.id, who.user);
      if (!bound.ok) throw new Error(`seat registry refused a new seat: ${bound.reason}`);
      this.state.seats.set(seat.id, seat);
      sendTo(client, "welcome", { seat: seat.id, protocol: PROTOCOL_VERSION, iceServers: ctx.iceServers ?? [] });
      this.record("join", seat, { role: seat.role, room: this.roomId });
      return seat;
    }

    override async onDrop(client: Client, code?: number): Promise<void> {
      // A flooder's seat is not held: it leaves now (its page may join again, as a new connection). Nor a kicked one.
      if (code === CloseCode.FLOODING || code === CloseCode.KICKED || code === CloseCode.SIGNED_OUT) return;
      // The seat is held for its driver; the avatar stays, marked "reconnecting".
      const r = this.seats.drop(client.sessionId);
      const held = r.ok && r.value.seatHeld !== null ? this.state.seats.get(r.value.seatHeld) : undefined;
      if (held) held.presence = "reconnecting";
      if (ctx.reconnectSeconds > 0) await this.allowReconnection(client, ctx.reconnectSeconds);
    }

    override async onReconnect(client: Client): Promise<void> {
      // Checked like a join, with the token it came back with; a refusal ends the connection and frees the seat.
      await this.signIns.reconnected(client.sessionId, ctx.reconnectTokens?.take(client.sessionId));
      const r = this.seats.reconnect(client.sessionId);
      if (!r.ok) {
        // Removed by an admin while away: the SDK's automatic reconnection must not bring it back.
        this.kickClient(client.sessionId, CloseCode.KICKED, "Removed by an administrator.");
        return;
      }
      const back = r.value.seatBack === null ? undefined : this.state.seats.get(r.value.seatBack);
      if (back) back.presence = "online";
    }

    override onLeave(client: Client): void {
      this.signIns.left(client.sessionId);
      this.interest.detach(client);
      ctx.joins.left(client.sessionId);
      // Only the driver's departure frees the seat; a pending or moved device leaving changes nothing for others.
      const r = this.seats.leave(client.sessionId);
      if (r.ok && r.value.released !== null) this.releaseSeat(r.value.released);
    }

    /** The seat leaves the room: its avatar, presence, voice and follows go; journaled as `leave`. */
    private releaseSeat(id: string): void {
      const seat = this.state.seats.get(id);
      this.state.seats.delete(id);
      this.handlers.forgetSeat(id);
      this.interest.forgetSeat(id);
      if (this.state.presenter === id) this.state.presenter = "";
      for (const other of this.state.seats.values()) if (other.following === id) other.following = "";
      if (seat) {
        this.record("leave", seat, { room: this.roomId });
        ctx.log(`room ${this.roomId}: ${seat.name} left`);
      }
    }

    /** Everything a user does goes to the plant's journal with actor, device and time. */
    private record(kind: string, seat: SeatState, data: Record<string, unknown> = {}): void {
      try {
        this.runtime.store.append(this.journal.bySeat(kind, seat, data));
      } catch (e) {
        ctx.log(`journal: could not record ${kind}: ${(e as Error).message}`);
      }
    }

    override async onDispose(): Promise<void> {
      this.sync?.dispose();
      this.alarmSync?.dispose();
      this.forecastSync?.dispose();
      this.annotationSync?.dispose();
      this.calibrationSync?.dispose();
      this.playback?.dispose();
      this.procedures?.dispose();
      this.incidents?.dispose();
      this.signIns?.dispose();
      this.leavePresence?.();
      if (this.runtime) await ctx.hub.release(this.state.plant);
    }

    /** Interest management of this room (tests, benches). */
    get interestSync(): InterestSync {
      return this.interest;
    }

    /** Counters for /healthz and benches. */
    get syncCounters() {
      return this.sync.counters;
    }
  };
}
