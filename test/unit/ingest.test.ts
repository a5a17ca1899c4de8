import { beforeAll, describe, expect, it } from "vitest";
import { decodeJson } from "../../server/ingest/decodeJson.ts";
import { INGEST_OUTCOMES, PlantIngest } from "../../server/ingest/PlantIngest.ts";
import { TopicRouter } from "../../server/ingest/TopicRouter.ts";
import { topicMatches } from "../../server/ingest/MqttConnection.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import type { LoadedPlant } from "../../server/plant/loadPlant.ts";
import { Quality } from "../../shared/status.ts";
import { demoPlant } from "./fixtures.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const NOW = Date.UTC(2026, 10, 25, 12);

let plant: LoadedPlant;
beforeAll(async () => {
  plant = await demoPlant();
});

describe("decodeJson (per-binding field mapping)", () => {
  it("reads value, timestamp and quality from mapped paths, with scale and offset", () => {
    const d = decodeJson(
      enc('{"data":{"raw":[5,123]},"t":"2026-11-25T12:00:00Z","q":"uncertain"}'),
      {
        value: "data.raw[1]",
        timestamp: "t",
        quality: "q",
        scale: 0.1,
        offset: 1,
      },
      1024,
    );
    expect(d).toEqual({ ok: true, value: 13.3, ts: NOW, q: Quality.UNCERTAIN, code: "uncertain" });
  });

  it("accepts epoch seconds and converts them to milliseconds", () => {
    const d = decodeJson(enc(`{"v":1,"ts":${NOW / 1000}}`), { value: "v", timestamp: "ts" }, 1024);
    expect(d.ok && d.ts).toBe(NOW);
  });

  it.each([
    ["not JSON", "{v:1", "malformed"],
    ["a word instead of a number", '{"v":"twelve"}', "bad-value"],
    ["a decimal number as text (only Int64-style integers are read from text)", '{"v":"12.5"}', "bad-value"],
    ["NaN smuggled as a string", '{"v":"NaN"}', "bad-value"],
    ["a huge exponent (Infinity)", '{"v":1e999}', "bad-value"],
    ["null", '{"v":null}', "bad-value"],
    ["no value field", '{"x":1}', "bad-value"],
    ["a nonsense timestamp", '{"v":1,"ts":"yesterday"}', "bad-timestamp"],
    ["a timestamp in 1970", '{"v":1,"ts":5}', "bad-timestamp"],
    ["an unknown quality", '{"v":1,"q":"great"}', "bad-quality"],
    ["__proto__ paths", '{"__proto__":{"v":1}}', "bad-value"],
  ])("rejects %s with a typed reason", (_name, payload, reason) => {
    const d = decodeJson(enc(payload), { value: "v", timestamp: "ts", quality: "q" }, 1024);
    expect(d).toMatchObject({ ok: false, reason });
  });

  it("rejects an oversized payload before parsing it", () => {
    const d = decodeJson(new Uint8Array(2048), { value: "v" }, 1024);
    expect(d).toMatchObject({ ok: false, reason: "oversized" });
  });
});

describe("TopicRouter", () => {
  it("maps template and exact bindings, and asks the broker for the right filters", () => {
    const r = new TopicRouter(
      [
        { topic: "site/{twin}/tele/{point}", format: "json", value: "v" },
        { topic: "legacy/tank1", twin: "T101", point: "level", format: "json", value: "lvl" },
      ],
      "test/",
    );
    expect(r.filters).toEqual(["test/site/+/tele/+", "test/legacy/tank1"]);
    expect(r.match("test/site/P101/tele/flow")).toMatchObject([{ twin: "P101", point: "flow" }]);
    expect(r.match("test/legacy/tank1")).toMatchObject([{ binding: 1 }]);
    expect(r.match("test/site/P101/other/flow")).toEqual([]);
    expect(r.match("site/P101/tele/flow")).toEqual([]);
  });

  it("matches MQTT filters like a broker does", () => {
    expect(topicMatches("a/+/c", "a/b/c")).toBe(true);
    expect(topicMatches("a/+/c", "a/b/c/d")).toBe(false);
    expect(topicMatches("a/#", "a/b/c")).toBe(true);
    expect(topicMatches("a/b", "a/b/c")).toBe(false);
  });
});

describe("PlantIngest", () => {
  it("applies good samples and counts every rejected one under its reason; counters add up", () => {
    const twin = new PlantTwin(plant.model);
    const ingest = new PlantIngest(twin, plant.bindings, { maxPayloadBytes: 1024 });
    const level = twin.indexOf("T101", "level")!;
    const send = (topic: string, payload: string | Uint8Array) =>
      ingest.handle(topic, typeof payload === "string" ? enc(payload) : payload, NOW);
    expect(send("gemba/demo/T101/level", `{"v":42.5,"ts":${NOW - 1000}}`)).toBe("applied");
    expect(twin.points[level]!.value).toBe(42.5);
    expect(send("gemba/demo/T101/level", "{oops")).toBe("malformed");
    expect(send("gemba/demo/T101/level", '{"v":"NaN"}')).toBe("bad-value");
    expect(send("gemba/demo/T101/level", new Uint8Array(4096))).toBe("oversized");
    expect(send("gemba/demo/NOPE/level", '{"v":1}')).toBe("unknown-point");
    expect(send("gemba/demo/T101/nope", '{"v":1}')).toBe("unknown-point");
    expect(send("elsewhere/T101/level", '{"v":1}')).toBe("unknown-topic");
    expect(send("gemba/demo/T101/level", `{"v":1,"ts":${NOW + 3_600_000}}`)).toBe("future");
    expect(send("gemba/demo/T101/level", `{"v":7,"ts":${NOW - 5000}}`)).toBe("late");
    expect(twin.points[level]!.value).toBe(42.5);
    const c = ingest.counters;
    const sum = INGEST_OUTCOMES.reduce((n, o) => n + c[o], 0);
    expect(sum).toBe(c.received);
    expect(c.received).toBe(9);
    expect(c.applied).toBe(1);
  });
});

describe("samples from the future (MAX_FUTURE_SECONDS)", () => {
  // The clock is injected: `now` is what the server's clock reads when the message arrives.
  const setup = (opts: { maxFutureMs?: number } = {}) => {
    const twin = new PlantTwin(plant.model);
    const rejected: string[] = [];
    const ingest = new PlantIngest(twin, plant.bindings, {
      ...opts,
      onReject: (o, _t, d) => rejected.push(`${o}: ${d}`),
    });
    const level = twin.indexOf("T101", "level")!;
    const send = (v: number, ts: number, now: number) =>
      ingest.handle("gemba/demo/T101/level", enc(`{"v":${v},"ts":${ts}}`), now);
    return { twin, ingest, level, send, rejected };
  };

  it("a sample stamped 3 minutes ahead is refused as future and does not freeze the point; honest samples right after apply", () => {
    const { twin, ingest, level, send, rejected } = setup();
    expect(send(40, NOW - 1000, NOW)).toBe("applied");
    expect(send(99, NOW + 3 * 60_000, NOW)).toBe("future");
    expect(twin.points[level]!.value).toBe(40);
    expect(send(41, NOW + 1000, NOW + 1000)).toBe("applied");
    expect(send(42, NOW + 2000, NOW + 2000)).toBe("applied");
    expect(twin.points[level]!.value).toBe(42);
    expect(ingest.counters.future).toBe(1);
    expect(ingest.counters.late).toBe(0);
    expect(rejected).toEqual([`future: timestamp ${new Date(NOW + 3 * 60_000).toISOString()} is in the future`]);
  });

  it("the default tolerance is 5 s: 5 s ahead applies, 5.001 s ahead is refused", () => {
    const { send } = setup();
    expect(send(1, NOW + 5000, NOW)).toBe("applied");
    expect(send(2, NOW + 10_001, NOW + 5000)).toBe("future");
  });

  it("a configured tolerance is honoured", () => {
    const { send } = setup({ maxFutureMs: 60_000 });
    expect(send(1, NOW + 60_000, NOW)).toBe("applied");
    expect(send(2, NOW + 120_001, NOW + 60_000)).toBe("future");
  });

  it("a sample from the past stays history: counted late, the current value is not rolled back", () => {
    const { twin, level, send } = setup();
    expect(send(40, NOW, NOW)).toBe("applied");
    expect(send(30, NOW - 10_000, NOW + 100)).toBe("late");
    expect(twin.points[level]!.value).toBe(40);
    expect(twin.valueAt(level, NOW - 10_000)).toMatchObject({ ts: NOW - 10_000, v: 30 });
  });
});
