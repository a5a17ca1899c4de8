/**
 * The source's quality code reaches the inspector: an OPC UA StatusCode with its sub-code, sent by the plant,
 * travels ingest -> twin -> room state (TwinStateSync) and is shown on hover as "BadNoCommunication (0x80310000)".
 * Also the inspector's small table for a structured (DTDL Map/Array) value.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PlantIngest } from "../../server/ingest/PlantIngest.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import { TwinStateSync } from "../../server/rooms/TwinStateSync.ts";
import type { LoadedPlant } from "../../server/plant/loadPlant.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { Quality } from "../../shared/status.ts";
import { formatQualityCode, structuredRows } from "../../client/ui/format.ts";
import { demoPlant } from "./fixtures.ts";

const NOW = Date.UTC(2026, 10, 25, 12);
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

let plant: LoadedPlant;
beforeAll(async () => {
  plant = await demoPlant();
});

describe("the source's quality code, shown on hover in the inspector", () => {
  it("formats an OPC UA StatusCode by name with its number; other codes as sent; none as nothing", () => {
    expect(formatQualityCode("0x80310000 BadNoCommunication")).toBe("BadNoCommunication (0x80310000)");
    expect(formatQualityCode("0x40920000 UncertainSubNormal")).toBe("UncertainSubNormal (0x40920000)");
    expect(formatQualityCode("0x80AB0000")).toBe("0x80AB0000");
    expect(formatQualityCode("OPC DA 24 (comm failure)")).toBe("OPC DA 24 (comm failure)");
    expect(formatQualityCode("")).toBe("");
    expect(formatQualityCode(undefined)).toBe("");
  });

  it("a Bad StatusCode without a value reaches the room state with its sub-code; a later good value clears it", () => {
    const twin = new PlantTwin(plant.model);
    const ingest = new PlantIngest(twin, plant.bindings, { maxPayloadBytes: 65536 });
    const state = new PlantRoomState();
    const sync = new TwinStateSync(twin, state);
    const level = () => state.twins.get("T101")!.points.get("level")!;

    ingest.handle("gemba/demo/T101/level", enc({ v: 61.5, ts: NOW - 2000, q: 0 }), NOW);
    sync.flush();
    expect(level().code ?? "").toBe("");

    // OPC UA JSON (Part 6) non-reversible StatusCode, as OPC Publisher sends it: Bad, no Value.
    ingest.handle(
      "gemba/demo/T101/level",
      enc({ ts: NOW - 1000, q: { Code: 2150694912, Symbol: "BadNoCommunication" } }),
      NOW,
    );
    sync.flush();
    expect(level()).toMatchObject({ q: Quality.BAD, v: 61.5, code: "0x80310000 BadNoCommunication" });
    expect(formatQualityCode(level().code)).toBe("BadNoCommunication (0x80310000)");

    ingest.handle("gemba/demo/T101/level", enc({ v: 62, ts: NOW, q: 0 }), NOW);
    sync.flush();
    expect(level()).toMatchObject({ q: Quality.GOOD, v: 62, code: "" });
    sync.dispose();
  });

  it("a structured value's table: keys or indices with values, nested values compact, long ones cut with a count", () => {
    expect(structuredRows('{"a":1,"b":{"c":true},"d":"text"}')).toEqual([
      ["a", "1"],
      ["b", '{"c":true}'],
      ["d", "text"],
    ]);
    const rows = structuredRows(JSON.stringify(Array.from({ length: 20 }, (_, i) => i * 2)), 3);
    expect(rows).toEqual([
      ["0", "0"],
      ["1", "2"],
      ["2", "4"],
      ["…", "17 more"],
    ]);
    expect(structuredRows("")).toEqual([]);
  });
});
