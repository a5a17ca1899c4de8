/**
 * What the fuzz test's hostile clients send (fuzz.test.ts): for every ClientMessage type a generator of valid
 * payloads, mutations of them (replaced, deleted, extra and prototype keys, wrapped, stringified), hostile values
 * (deep nesting, huge strings, NaN, prototype pollution), unknown types and raw frames the SDK never produces.
 */
import fc from "fast-check";
import { pack } from "msgpackr";
import type { z } from "zod";
import { ClientMessage, type ClientMessageType } from "../../shared/protocol.ts";

export type Shot =
  | { who: number; how: "send" | "request"; type: string | number; payload: unknown }
  | { who: number; how: "raw"; bytes: Uint8Array };

export interface Known {
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
    procedures: fc.constant({}),
    procedureStart: fc.record({
      procedure: fc.oneof(
        fc.constantFrom("isolate-p401", "free-stuck-valve"),
        fc.string({ minLength: 1, maxLength: 64 }),
      ),
    }),
    procedureDone: fc.record(
      { run: fc.string({ minLength: 1, maxLength: 64 }), step: fc.integer({ min: 0, max: 1000 }), note: text },
      { requiredKeys: ["run", "step"] },
    ),
    procedureStop: fc.record({ run: fc.string({ minLength: 1, maxLength: 64 }), reason: word }),
    incidentClose: fc.record({
      alarm,
      activeAt: fc.oneof(fc.integer({ min: 1, max: 2 ** 45 }), fc.double({ min: 1, max: 1e13, noNaN: true })),
      summary: word,
    }),
    whatIf: fc.record({
      twin,
      point: fc.constantFrom("speed", "position", "flow", "level"),
      value: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      horizonS: fc.integer({ min: 60, max: 1800 }),
    }),
    whatIfRemove: fc.record({ id: fc.string({ minLength: 1, maxLength: 64 }) }),
    drills: fc.constant({}),
    // Random seat ids: never a seat of the room, so the fuzz never starts a sandbox (refused: "has left the room").
    drillStart: fc.record({
      scenario: fc.constantFrom("cip-pump-cavitation", "stuck-valve-xv311"),
      trainees: fc.array(fc.string({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 3 }),
    }),
    drillEnd: fc.record({ drill: fc.stringMatching(/^[a-z0-9]{4,16}$/) }),
    // Never a drill of the room (the fuzz plays in the plant's own room): refused, the room's time does not move.
    drillDebrief: fc.record({ drill: fc.stringMatching(/^[a-z0-9]{4,16}$/) }),
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
    camera: fc.record({ mode: fc.constantFrom("off" as const, "live" as const, "stills" as const) }),
    stillAsk: fc.record({ camera: seat }),
    // A tiny JPEG-looking base64 body: the shape is valid; the room refuses it unless the seat shares a camera.
    still: fc.record({
      jpeg: fc.constantFrom("/9j/4AAQSkZJRg==", "/9j/2wBD"),
      width: fc.integer({ min: 16, max: 4096 }),
      height: fc.integer({ min: 16, max: 4096 }),
    }),
    strokeFrame: fc.record({
      stroke: fc.string({ minLength: 1, maxLength: 20 }),
      jpeg: fc.constantFrom("/9j/4AAQSkZJRg==", "/9j/2wBD"),
      width: fc.integer({ min: 16, max: 4096 }),
      height: fc.integer({ min: 16, max: 4096 }),
    }),
    stroke: fc.record({
      camera: seat,
      still: fc.string({ maxLength: 20 }),
      points: fc
        .array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 2,
          maxLength: 40,
        })
        .map((ps) => ps.flat()),
      color: fc.constantFrom("#ff8800", "#00ffaa"),
    }),
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

export function shots(k: Known, hostile: number): fc.Arbitrary<Shot> {
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
