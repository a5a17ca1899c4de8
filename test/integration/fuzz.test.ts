/**
 * Property-based fuzz of the room protocol: hostile clients (a viewer, an
 * operator and an expert) send 100,000 random and mutated messages of every
 * ClientMessage type, plus unknown types and raw frames the SDK would never
 * produce, while an honest observer watches live telemetry. After every slice
 * of the run the server must be up, the twin, annotations and alarms must keep
 * their invariants, and the observer must have received that slice's live update.
 *
 * Replay a failure with the seed it prints: FUZZ_SEED=<seed> npx vitest run test/integration/fuzz.test.ts
 * (the same choices in the same order; ids the server mints, such as seats and annotations, differ per run).
 * FUZZ_MESSAGES=<n> runs a shorter or longer attack.
 */
import fs from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Callbacks, type Room } from "@colyseus/sdk";
import { ClientMessage, MAX_ANNOTATION_TEXT, MAX_COORD, MAX_INK_POINTS, PLANT_ROOM } from "../../shared/protocol.ts";
import { ALARM_STATES, MAX_SHELVE_MS } from "../../server/alarms/AlarmLifecycle.ts";
import { MAX_ANNOTATIONS } from "../../server/collab/AnnotationBook.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import type { PlantRuntime } from "../../server/runtime/PlantHub.ts";
import type { MessageCounters } from "../../server/rooms/messagePolicy.ts";
import { matchMaker } from "@colyseus/core";
import { join, publisher, startServer, waitForState, type Harness } from "./harness.ts";
import { shots, type Known, type Shot } from "./fuzzShots.ts";
import type { MqttClient } from "mqtt";

const SEED = Number(process.env["FUZZ_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
/** Messages the server must have read and handled (not merely written to a socket it then closed). */
const TOTAL = Number(process.env["FUZZ_MESSAGES"] ?? 100_000);
const BATCHES = 100;
const SLICES = 10;
/** 2 % spare: what a hostile client had queued behind a frame that got it closed is never read. */
const BATCH = Math.ceil((TOTAL * 1.02) / BATCHES);

/**
 * Close codes a hostile connection may legitimately get (README, "close codes"): 4002 is Colyseus closing
 * a frame it cannot decode at all (not msgpack), 1009 a frame above the 2 MiB transport limit, 4000 the
 * client's own LEAVE_ROOM frame. 4429 (flooding) is listed for completeness: this server's limit is raised.
 * 1006: the transport's heartbeat terminated the socket (ws-transport pings every 3 s and terminates a connection that left
 * two pings unanswered). A hostile client's pong queues behind everything it sent before it (a batch holds megabyte strings
 * and 20,000-element arrays), so on a loaded machine it can arrive more than two intervals late. That is the server doing its
 * job, not a failure; before this was understood, the SDK's automatic reconnection turned such a drop into a 4003 ("failed to
 * reconnect": the seat is held only RECONNECT_SECONDS=2 here) or a minutes-long wait, and the test failed or timed out.
 */
const DOCUMENTED_CLOSES = new Set([4000, 4002, 1006, 1009, 4429]);

/**
 * What Colyseus and ws log when they refuse a frame: an error thrown inside msgpackr's decoder or ws's frame
 * reader, which they catch (the connection is then closed with a documented code, or the request answered with
 * an error), or the schema decoder's note on a message type that is not UTF-8. Judged by where the error was
 * thrown (the stack Colyseus prints), not by its wording, which varies with every kind of garbage.
 */
const COLYSEUS_DECODE_REFUSALS = /msgpackr[\\/]unpack\.js|ws[\\/]lib[\\/]receiver\.js|utf8Read\(\): Invalid byte/;

let h: Harness;
let pub: MqttClient;
beforeAll(async () => {
  // The journal fsyncs every action (synchronous=FULL); on tmpfs, where there is one, this run exercises the
  // server rather than waiting on the disk for thousands of accepted annotations, shares and bookmarks.
  const dataDir = fs.existsSync("/dev/shm") ? fs.mkdtempSync("/dev/shm/gemba-fuzz-") : undefined;
  h = await startServer({
    // The rate limit would close every hostile client after 60 messages a second and the fuzz would test
    // only the limit; rateLimit.test.ts tests the limit itself. Here every message must reach validation.
    MAX_MESSAGES_PER_SECOND: "1000000",
    // Each documented close is followed by a fresh join under the same name while the closed seat is still held for
    // reconnection: hundreds of joins a minute. The per-person join bound (oneRoomPerPlant.test.ts) would refuse them.
    MAX_JOINS_PER_USER: "1000",
    // Interest management on (the demo plant would leave it off): hostile `interest` messages reach a real StateView.
    INTEREST: "on",
    DEV_ROLE: "viewer",
    ...(dataDir ? { DATA_DIR: dataDir } : {}),
  });
  pub = await publisher();
});
afterAll(async () => {
  await pub?.endAsync();
  await h?.server.stop();
  if (h?.config.dataDir.startsWith("/dev/shm/")) fs.rmSync(h.config.dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------
// Hostile clients: reconnected when the server closes them for a documented reason.

interface Hostile {
  name: string;
  role: "viewer" | "operator" | "expert";
  room: Room<unknown, PlantRoomState>;
  left: Promise<number>;
  closed: number | null;
}

/**
 * `separate: false` after a drop joins while the old seat is still held for this user: the connection is
 * pending (it may take the seat over with handoffPull), so the handoff paths get hostile input too.
 */
async function connect(name: string, role: Hostile["role"], separate = true): Promise<Hostile> {
  const room = await join(h, name, { role, separate });
  // A dropped hostile connection is reported as it happened (onLeave with the transport's code) and the test connects a new
  // one itself; the SDK's own reconnection would hide the drop, lose the batch's PING barrier and wait up to a minute.
  room.reconnection.enabled = false;
  const hostile: Hostile = { name, role, room, left: Promise.resolve(0), closed: null };
  hostile.left = new Promise<number>((resolve) =>
    room.onLeave((code) => {
      hostile.closed = code;
      resolve(code);
    }),
  );
  room.onMessage("*", () => {}); // pings, summons, signals, handoff messages: not under test here
  return hostile;
}

const sentByType = new Map<string | number, number>();

/** Send one batch, then wait until the server has processed it (a PING round trip) or closed the connection. */
/** Shots that may get the connection closed (raw frames, a payload above the 2 MiB frame limit): sent last. */
function mayClose(s: Shot): boolean {
  if (s.how === "raw") return true;
  const huge = (v: unknown, depth: number): boolean =>
    typeof v === "string"
      ? v.length > 1_000_000
      : depth < 6 &&
        v !== null &&
        typeof v === "object" &&
        Object.values(v)
          .slice(0, 100)
          .some((x) => huge(x, depth + 1));
  return huge(s.payload, 0);
}

/**
 * Send one batch, then wait until the server has processed it (a PING round trip) or closed the connection.
 * Returns how many shots the server certainly read: the server reads a connection in order, and only the
 * shots sent last can close it, so everything before them was read.
 */
async function fire(c: Hostile, batch: Shot[], stats: Record<string, number>): Promise<number> {
  const replies: Promise<unknown>[] = [];
  const ordered = [...batch.filter((s) => !mayClose(s)), ...batch.filter(mayClose)];
  let safe = 0;
  let risky = 0;
  for (const s of ordered) {
    try {
      if (s.how === "raw") c.room.connection.send(s.bytes);
      else if (s.how === "send") c.room.send(s.type as string, s.payload);
      else replies.push(c.room.request(s.type as string, s.payload, { timeout: 60_000 }).catch(() => undefined));
      stats[s.how] = (stats[s.how] ?? 0) + 1;
      if (s.how !== "raw") sentByType.set(s.type, (sentByType.get(s.type) ?? 0) + 1);
      if (mayClose(s)) risky++;
      else safe++;
    } catch {
      // The SDK cannot encode some values (e.g. a 2 MB+ string into its buffer): nothing reached the server.
      stats["unsendable"] = (stats["unsendable"] ?? 0) + 1;
    }
  }
  const barrier = new Promise<void>((resolve) => c.room.ping(() => resolve()));
  await Promise.race([Promise.all([barrier, Promise.allSettled(replies)]), c.left]);
  return safe + (c.closed === null ? risky : 0);
}

// ---------------------------------------------------------------------------
// Invariants

async function checkInvariants(
  rt: PlantRuntime,
  observer: Room<unknown, PlantRoomState>,
  viewerNames: string[],
  lastTs: Map<string, number>,
): Promise<void> {
  const twinIds = new Set(rt.twin.twins.map((t) => t.id));
  for (const p of rt.twin.points) {
    expect(p.receivedAt === 0 || Number.isFinite(p.value), `${p.key} value ${p.value}`).toBe(true);
    expect([0, 1, 2]).toContain(p.q);
    const prev = lastTs.get(p.key) ?? 0;
    expect(p.ts, `${p.key} timestamp went back`).toBeGreaterThanOrEqual(prev);
    lastTs.set(p.key, p.ts);
  }
  expect(rt.annotations.items.size).toBeLessThanOrEqual(MAX_ANNOTATIONS);
  for (const a of rt.annotations.items.values()) {
    expect(twinIds.has(a.twin), `annotation on unknown twin "${a.twin}"`).toBe(true);
    expect(a.text.length).toBeLessThanOrEqual(MAX_ANNOTATION_TEXT);
    expect(a.points.length % 3).toBe(0);
    expect(a.points.length).toBeLessThanOrEqual(MAX_INK_POINTS * 3);
    expect([...a.offset, ...a.points].every(Number.isFinite)).toBe(true);
    expect(viewerNames, "a viewer created an annotation").not.toContain(a.author);
    expect(["open", "resolved"]).toContain(a.status);
  }
  for (const al of rt.alarms.alarms.values()) {
    expect(ALARM_STATES).toContain(al.state);
    // Implications, checked for every alarm: acknowledged ones say by whom; shelved ones by whom and until when.
    expect(al.state !== "ack-active" || al.ackedBy !== "", `${al.id} acknowledged by nobody`).toBe(true);
    expect(al.shelvedUntil === 0 || al.shelvedBy !== "", `${al.id} shelved by nobody`).toBe(true);
    expect(al.shelvedUntil, `${al.id} shelved too long`).toBeLessThanOrEqual(Date.now() + MAX_SHELVE_MS);
  }
  // What the honest observer sees agrees with the server (after the next patch).
  const s = await waitForState(
    observer,
    (st) => st.annotations.size === rt.annotations.items.size,
    "annotations in sync",
  );
  for (const [id, al] of s.alarms) expect(ALARM_STATES, id).toContain(al.state);
  // The room's message counters stay counts, whatever type names hostile clients made up.
  const [listing] = await matchMaker.query({ name: PLANT_ROOM });
  const counters = (matchMaker.getLocalRoomById(listing!.roomId) as unknown as { counters: MessageCounters }).counters;
  for (const table of [counters.accepted, counters.rejected, counters.dropped]) {
    for (const [type, n] of Object.entries(table))
      expect(Number.isInteger(n), `counter "${type}" is ${String(n)}`).toBe(true);
  }
  const c = s.calibration;
  expect([c.ax, c.ay, c.az, c.bx, c.by, c.bz].every((x) => Number.isFinite(x) && Math.abs(x) <= MAX_COORD)).toBe(true);
}

async function healthOk(): Promise<boolean> {
  const r = await fetch(`http://127.0.0.1:${h.server.port}/healthz`);
  const body = (await r.json()) as { ok: boolean };
  return r.status === 200 && body.ok;
}

describe("hostile room clients (property-based fuzz)", () => {
  it(`${TOTAL.toLocaleString("en")} random and mutated messages of every type: server up, invariants kept, others' updates flowing`, async () => {
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    // Colyseus logs each frame it cannot decode (and then closes or answers it): collect, classify, assert below.
    const logged: string[] = [];
    const capture = (...args: unknown[]) =>
      void logged.push(
        args
          .map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a)))
          .join(" ")
          .slice(0, 1500),
      );
    const consoleError = vi.spyOn(console, "error").mockImplementation(capture);
    const consoleWarn = vi.spyOn(console, "warn").mockImplementation(capture);
    process.on("uncaughtException", onError);
    process.on("unhandledRejection", onError);
    const rt = h.server.hub.loaded()[0]!;
    const stats: Record<string, number> = {};
    const closes: Record<string, number> = {};
    let batchNo = 0;
    try {
      const observer = await join(h, "Observer", { role: "viewer" });
      observer.onMessage("*", () => {});
      // The observer counts live point updates it decodes (after each patch), and checks each point's time only moves forward.
      let liveUpdates = 0;
      const seenTs = new Map<string, number>();
      let backwards = 0;
      const cb = Callbacks.get(observer);
      cb.onAdd("twins", (twin, twinId) => {
        cb.onAdd(twin, "points", (point, name) => {
          cb.listen(point, "ts", (ts: number) => {
            const key = `${String(twinId)}/${String(name)}`;
            if (ts < (seenTs.get(key) ?? 0)) backwards++;
            seenTs.set(key, ts);
            liveUpdates++;
          });
        });
      });
      const hostiles = [
        await connect("Hostile viewer", "viewer"),
        await connect("Hostile operator", "operator"),
        await connect("Hostile expert", "expert"),
      ];
      const viewerNames = ["Hostile viewer"];
      const lastTs = new Map<string, number>();
      const perSlice = BATCHES / SLICES;
      let processed = 0;
      const topic = (p: string) => `${h.config.topicPrefix}gemba/demo/${p}`;

      for (let slice = 0; slice < SLICES; slice++) {
        const updatesBefore = liveUpdates;
        for (let b = 0; b < perSlice; b++, batchNo++) {
          // Live telemetry during the attack: a marker the observer must see, and a level swinging through its alarm limits.
          pub.publish(topic("T101/volume"), JSON.stringify({ v: batchNo }));
          pub.publish(topic("T101/level"), JSON.stringify({ v: [50, 98, 50, 2][batchNo % 4] }));
          const known: Known = {
            twins: rt.twin.twins.map((t) => t.id),
            areas: rt.twin.model.areas.map((a) => a.id),
            alarms: [...rt.alarms.alarms.keys()],
            annotations: [...rt.annotations.items.keys()].slice(-50),
            seats: [...observer.state.seats.keys()],
            now: Date.now(),
          };
          const batch = fc.sample(shots(known, hostiles.length), { seed: SEED + batchNo, numRuns: BATCH });
          const read = await Promise.all(
            hostiles.map((c, i) =>
              fire(
                c,
                batch.filter((s) => s.who === i),
                stats,
              ),
            ),
          );
          processed += read.reduce((a, b) => a + b, 0);
          for (const [i, c] of hostiles.entries()) {
            if (c.closed === null) continue;
            expect(DOCUMENTED_CLOSES, `hostile ${c.name} closed with undocumented code ${c.closed}`).toContain(
              c.closed,
            );
            closes[c.closed] = (closes[c.closed] ?? 0) + 1;
            hostiles[i] = await connect(c.name, c.role, closes[c.closed]! % 2 === 0);
          }
        }
        // Each slice: the observer received this slice's live marker, the server is up, invariants hold.
        const marker = batchNo - 1;
        await waitForState(
          observer,
          (s) => s.twins.get("T101")?.points.get("volume")?.v === marker,
          `marker ${marker}`,
          30_000,
        );
        expect(liveUpdates, `no live updates reached the observer in slice ${slice}`).toBeGreaterThan(updatesBefore);
        expect(await healthOk()).toBe(true);
        await checkInvariants(rt, observer, viewerNames, lastTs);
      }
      expect(backwards, "point timestamps moving backwards on the observer").toBe(0);
      expect(errors).toEqual([]);
      // Everything logged is Colyseus or ws reporting a frame it refused to decode (it then closed the
      // connection or answered the request with an error): nothing from a handler, nothing unexpected.
      const unexpected = logged.filter((l) => !COLYSEUS_DECODE_REFUSALS.test(l));
      expect(unexpected.slice(0, 20)).toEqual([]);
      expect(h.logs.filter((l) => /uncaught|unhandled/i.test(l))).toEqual([]);
      const sent = (stats["send"] ?? 0) + (stats["request"] ?? 0) + (stats["raw"] ?? 0);
      console.log(
        `fuzz seed ${SEED}: ${processed} messages read by the server, ${sent} sent (${JSON.stringify(stats)}), closes ${JSON.stringify(closes)}, ` +
          `${rt.annotations.items.size} annotations, ${logged.length} refused frames logged, observer saw ${liveUpdates} live point updates`,
      );
      expect(processed).toBeGreaterThanOrEqual(TOTAL);
      // Every message type got its share (about 4% each), valid, mutated and random.
      for (const type of Object.keys(ClientMessage))
        expect(sentByType.get(type) ?? 0, type).toBeGreaterThan(TOTAL / 100);
      for (const c of hostiles) await c.room.leave();
      await observer.leave();
    } catch (e) {
      console.error(`fuzz failed at batch ${batchNo}; replay with FUZZ_SEED=${SEED}`);
      throw e;
    } finally {
      consoleError.mockRestore();
      consoleWarn.mockRestore();
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
    }
    // A guard against a hang, not a performance bound: 100,000 messages take ~15 s on an idle 2-core machine and several
    // times that while browser tests share the cores.
  }, 600_000);
});
