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
import { pack } from "msgpackr";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Callbacks, type Room } from "@colyseus/sdk";
import type { z } from "zod";
import {
  ClientMessage,
  MAX_ANNOTATION_TEXT,
  MAX_COORD,
  MAX_INK_POINTS,
  PLANT_ROOM,
  type ClientMessageType,
} from "../../shared/protocol.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { ALARM_STATES, MAX_SHELVE_MS } from "../../server/alarms/AlarmLifecycle.ts";
import { MAX_ANNOTATIONS } from "../../server/collab/AnnotationBook.ts";
import type { PlantRuntime } from "../../server/runtime/PlantHub.ts";
import type { MessageCounters } from "../../server/rooms/messagePolicy.ts";
import { matchMaker } from "@colyseus/core";
import { join, publisher, startServer, waitForState, type Harness } from "./harness.ts";
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
// What the hostile clients send

type Shot =
  | { who: number; how: "send" | "request"; type: string | number; payload: unknown }
  | { who: number; how: "raw"; bytes: Uint8Array };

interface Known {
  twins: string[];
  areas: string[];
  alarms: string[];
  annotations: string[];
  seats: string[];
  now: number;
}

const HOSTILE_VALUES = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 120, arbitrary: fc.anything({ maxDepth: 3, withBoxedValues: true, withNullPrototype: true }) },
    {
      weight: 80,
      arbitrary: fc.constantFrom(
        Number.NaN,
        Infinity,
        -Infinity,
        -0,
        Number.MAX_VALUE,
        -Number.MAX_VALUE,
        Number.MIN_VALUE,
        2 ** 53 + 1,
        -1,
        1e308,
        "",
        " ",
        "\u0000",
        "\u202e",
        "__proto__",
        "constructor",
        null,
        undefined,
        true,
        [],
        {},
      ),
    },
    { weight: 40, arbitrary: fc.double() },
    { weight: 40, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }) },
    { weight: 40, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
    { weight: 20, arbitrary: fc.uint8Array({ maxLength: 512 }) },
    { weight: 20, arbitrary: fc.array(fc.double(), { maxLength: 20_000 }) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 10, max: 2000 })
        .map((depth) => Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), 1)),
    },
    // Large strings: up to 1 MB in one field (under the 2 MiB frame limit)...
    { weight: 20, arbitrary: fc.constantFrom(1e3, 2e4, 3e5).map((n) => "x".repeat(n)) },
    // ...and rarely one above it, which the transport closes with 1009.
    { weight: 1, arbitrary: fc.constant("\u00e9".repeat(1_200_000)) },
    { weight: 20, arbitrary: fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":1}}')) },
  );

/** A generator of valid payloads for every message type: a new type in ClientMessage fails to compile here until it has one. */
function validSamples(k: Known): { [K in ClientMessageType]: fc.Arbitrary<z.input<(typeof ClientMessage)[K]>> } {
  const coord = fc.double({ min: -500, max: 500, noNaN: true });
  const vec3 = fc.tuple(coord, coord, coord);
  const pose = vec3.map(
    ([x, y, z]) => [x, y, z, 0, 0, 0, 1] as [number, number, number, number, number, number, number],
  );
  const twin = fc.oneof(fc.constantFrom(...k.twins), fc.string({ maxLength: 20 }));
  const maybeTwin = fc.option(twin, { nil: null });
  const alarm = fc.oneof(
    fc.constantFrom(...(k.alarms.length ? k.alarms : ["limit.level:T101"])),
    fc.string({ minLength: 1, maxLength: 30 }),
  );
  const annotation = fc.oneof(
    fc.constantFrom(...(k.annotations.length ? k.annotations : ["none"])),
    fc.string({ maxLength: 64 }),
  );
  const seat = fc.oneof(
    fc.constantFrom(...(k.seats.length ? k.seats : ["none"])),
    fc.string({ minLength: 1, maxLength: 64 }),
  );
  const text = fc.string({ maxLength: 80 });
  const word = fc.constantFrom("maintenance", "sensor fault", "shift change", "Übergabe");
  return {
    select: fc.record({ twin: maybeTwin }),
    // Well-formed but never a valid sign-in: refused (and counted) by the token check.
    signin: fc.record({ token: fc.string({ minLength: 1, maxLength: 200 }) }),
    ack: fc.record({ alarm }),
    shelve: fc.record({ alarm, minutes: fc.integer({ min: 1, max: 480 }), reason: word }),
    unshelve: fc.record({ alarm }),
    pose: fc.record(
      {
        h: pose,
        l: fc.option(pose, { nil: null }),
        r: fc.option(pose, { nil: null }),
        p: fc.option(fc.record({ o: vec3, t: vec3, twin: maybeTwin }), { nil: null }),
      },
      { requiredKeys: ["h"] },
    ),
    ping: fc.record({ at: vec3, twin: maybeTwin }),
    follow: fc.record({ seat: fc.option(seat, { nil: null }) }),
    summon: fc.record({ twin }),
    share: fc.record({ twin }),
    annotate: fc.record(
      {
        kind: fc.constantFrom("pin" as const, "ink" as const),
        twin,
        offset: vec3,
        text,
        points: fc.array(vec3, { maxLength: 30 }).map((ps) => ps.flat()),
        alarm,
      },
      { requiredKeys: ["kind", "twin", "offset", "text"] },
    ),
    annotationUpdate: fc.record(
      { id: annotation, text, status: fc.constantFrom("open" as const, "resolved" as const) },
      { requiredKeys: ["id"] },
    ),
    annotationDelete: fc.record({ id: annotation }),
    signal: fc.record({
      to: seat,
      kind: fc.constantFrom("offer" as const, "answer" as const, "ice" as const, "bye" as const),
      data: fc.string({ maxLength: 200 }),
    }),
    playback: fc.oneof(
      fc.record({ action: fc.constant("seek" as const), t: fc.integer({ min: k.now - 600_000, max: k.now + 10_000 }) }),
      fc.record({ action: fc.constant("play" as const), speed: fc.constantFrom(1 as const, 4 as const, 16 as const) }),
      fc.record({ action: fc.constant("pause" as const) }),
      fc.record({ action: fc.constant("live" as const) }),
    ),
    bookmark: fc.record({ name: word, t: fc.integer({ min: k.now - 600_000, max: k.now + 5000 }) }),
    handoffCreate: fc.record({ draft: text }, { requiredKeys: [] }),
    handoffAccept: fc.constant({}),
    handoffPull: fc.constant({}),
    handoffSeparate: fc.constant({}),
    handoffTakeBack: fc.constant({}),
    voice: fc.record({ inCall: fc.boolean(), muted: fc.boolean(), speaking: fc.boolean() }),
    calibrate: fc.record({ a: vec3, b: vec3 }),
    // The fuzzing peers are viewer, operator and expert: every kick is refused (and journaled), nobody is removed.
    kick: fc.record({ seat, reason: text }, { requiredKeys: ["seat"] }),
    interest: fc.record(
      {
        areas: fc.array(fc.oneof(fc.constantFrom(...k.areas), fc.string({ minLength: 1, maxLength: 20 })), {
          maxLength: 70,
        }),
        twins: fc.array(fc.oneof(fc.constantFrom(...k.twins), fc.string({ minLength: 1, maxLength: 20 })), {
          maxLength: 20,
        }),
      },
      { requiredKeys: ["areas"] },
    ),
  };
}

/** Every path into a JSON-like value ([] is the value itself). */
function pathsOf(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.slice(0, 50).forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v && typeof v === "object") for (const [key, x] of Object.entries(v)) pathsOf(x, [...at, key], out);
  return out;
}

type Mutation = {
  pick: number;
  op: "replace" | "delete" | "extraKey" | "wrap" | "stringify";
  value: unknown;
  key: string;
};

/** A valid message with one field replaced, removed, wrapped or stringified, or an unknown key added. */
function mutate(valid: unknown, m: Mutation): unknown {
  const root = structuredClone(valid) as Record<string | number, unknown>;
  const paths = pathsOf(root);
  const path = paths[m.pick % paths.length]!;
  if (path.length === 0) return m.op === "wrap" ? [root] : m.op === "stringify" ? JSON.stringify(root) : m.value;
  let parent = root;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const leaf = path[path.length - 1]!;
  if (m.op === "replace") parent[leaf] = m.value;
  else if (m.op === "delete") delete parent[leaf];
  // defineProperty: an own "__proto__" key goes on the wire as a key, not as this object's prototype.
  else if (m.op === "extraKey" && Array.isArray(parent)) parent.push(m.value);
  else if (m.op === "extraKey")
    Object.defineProperty(parent, m.key, { value: m.value, enumerable: true, writable: true });
  else if (m.op === "wrap") parent[leaf] = [parent[leaf]];
  else parent[leaf] = JSON.stringify(parent[leaf]) ?? "undefined";
  return root;
}

/** A Colyseus ROOM_DATA / ROOM_REQUEST frame with any type and any (msgpack) payload bytes. */
function frame(code: number, type: string, body: Uint8Array, requestId = 1): Uint8Array {
  const t = Buffer.from(type.slice(0, 31), "utf8").subarray(0, 31);
  const head = code === 21 ? [code, requestId & 0x7f, 0xa0 | t.length] : [code, 0xa0 | t.length];
  return Uint8Array.from([...head, ...t, ...body]);
}

function rawFrames(types: string[]): fc.Arbitrary<Uint8Array> {
  const type = fc.oneof(fc.constantFrom(...types), fc.string({ maxLength: 10 }));
  return fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 300 }),
    fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 100 }))
      .map(([c, b]) => Uint8Array.from([c, ...b])),
    // Valid framing, garbage payload: most of it is not msgpack (Colyseus closes with 4002).
    fc.tuple(fc.constantFrom(13, 21), type, fc.uint8Array({ maxLength: 200 })).map(([c, t, b]) => frame(c, t, b)),
    // Valid framing, msgpack the SDK would never produce: extension types, huge maps, 1e6-deep nesting.
    fc
      .tuple(
        fc.constantFrom(13, 21),
        type,
        fc.constantFrom(
          Uint8Array.from([0xd4, 0x7f, 0x00]), // fixext1, unknown type
          Uint8Array.from([0xc7, 0x01, 0x72, 0x00]), // ext 'r' (msgpackr records) with junk
          Uint8Array.from([0xdf, 0xff, 0xff, 0xff, 0xff]), // map32 claiming 4 billion entries
          Uint8Array.from([0xdd, 0x7f, 0xff, 0xff, 0xff]), // array32 claiming 2 billion items
          new Uint8Array(200_000).fill(0x91), // 200,000 nested one-element arrays
          Uint8Array.from(pack({ twin: 1n << 62n })),
          Uint8Array.from(
            pack(
              new Map<unknown, unknown>([
                [{ a: 1 }, 2],
                [3, 4],
              ]),
            ),
          ),
          Uint8Array.from(pack(new Date(8.64e15))),
        ),
      )
      .map(([c, t, b]) => frame(c, t, b)),
    fc.constantFrom(
      Uint8Array.from([10]),
      Uint8Array.from([18]),
      Uint8Array.from([19, 0xff]),
      Uint8Array.from([20, 5, 1, 2]),
    ),
  );
}

function shots(k: Known, hostile: number): fc.Arbitrary<Shot> {
  const valid = validSamples(k);
  const types = Object.keys(ClientMessage);
  const who = fc.nat({ max: hostile - 1 });
  const how = fc.constantFrom("send" as const, "send" as const, "request" as const);
  const anyValue = HOSTILE_VALUES();
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    pick: fc.nat(),
    op: fc.constantFrom(
      "replace" as const,
      "replace" as const,
      "delete" as const,
      "extraKey" as const,
      "wrap" as const,
      "stringify" as const,
    ),
    value: anyValue,
    key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("__proto__", "constructor", "from", "role", "seat")),
  });
  const perType = types.map((type) => {
    const v = (valid as Record<string, fc.Arbitrary<unknown>>)[type]!;
    const payload = fc.oneof(
      { weight: 3, arbitrary: v },
      { weight: 5, arbitrary: fc.tuple(v, mutation).map(([x, m]) => mutate(x, m)) },
      { weight: 2, arbitrary: anyValue },
    );
    return fc.record({ who, how, type: fc.constant(type), payload });
  });
  const unknownType = fc.record({
    who,
    how,
    type: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.integer(),
      fc.constantFrom("__proto__", "constructor", "toString", "*", "", "welcome", "error", "_$bselect"),
    ),
    payload: anyValue,
  });
  const raw = fc.record({ who, how: fc.constant("raw" as const), bytes: rawFrames(types) });
  return fc.oneof(
    { weight: 90, arbitrary: fc.oneof(...perType) },
    { weight: 8, arbitrary: unknownType },
    { weight: 1, arbitrary: raw },
  );
}

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
