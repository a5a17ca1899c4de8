/**
 * Binding plumbing: the field-path syntax, topic templates for UNS trees, several bindings
 * per topic, subscription filters, and the plant-file checks start-up and plant:check share.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compilePath, formatPath, PathSyntaxError, readPath } from "../../server/formats/fieldPath.ts";
import { disjointFilters, TopicRouter } from "../../server/ingest/TopicRouter.ts";
import { demoPlantWithBindings, plantIssues } from "./fixtures.ts";

describe("field paths", () => {
  const doc = {
    data: { level: 1, "Tank 1.Level": { v: 2 }, list: [10, 20] },
    "nsu=http://x;s=Tank 1.Level": 3,
    'say "hi"': 4,
    $: 5,
  };
  it.each([
    ["data.level", 1],
    ['data["Tank 1.Level"].v', 2],
    ["data['Tank 1.Level'].v", 2],
    ["data.list[1]", 20],
    ['["nsu=http://x;s=Tank 1.Level"]', 3],
    ['["say \\"hi\\""]', 4],
    ['["$"]', 5],
  ])("%s reads %j", (p, v) => {
    expect(readPath(doc, compilePath(p))).toBe(v);
  });

  it("the list form takes each step literally: keys with any characters, integers as indices", () => {
    expect(readPath(doc, compilePath(["data", "Tank 1.Level", "v"]))).toBe(2);
    expect(readPath(doc, compilePath(["data", "list", 0]))).toBe(10);
    expect(readPath(doc, compilePath(["nsu=http://x;s=Tank 1.Level"]))).toBe(3);
  });

  it("$ is the whole message; nothing is read through prototypes or into the wrong container", () => {
    expect(readPath(42, compilePath("$"))).toBe(42);
    expect(readPath({}, compilePath("constructor"))).toBeUndefined();
    expect(readPath({ a: [1] }, compilePath("a.length"))).toBeUndefined();
    expect(readPath({ a: { 0: 1 } }, compilePath("a[0]"))).toBeUndefined();
  });

  it.each([
    ["", /empty path/],
    ["a..b", /followed by a key/],
    ["a.", /followed by a key/],
    ['a["b', /unclosed/],
    ["a[x]", /neither an index/],
    ["a]b", /unexpected "]"/],
    ['["a"]b', /expected "." or "\["/],
  ])("refuses %j with a sentence", (p, why) => {
    expect(() => compilePath(p)).toThrow(PathSyntaxError);
    expect(() => compilePath(p)).toThrow(why);
  });

  it("formats paths back for messages", () => {
    expect(formatPath(compilePath('data["Tank 1.Level"][0].v'))).toBe('data["Tank 1.Level"][0].v');
  });
});

describe("topic templates and several bindings per topic", () => {
  it("UNS trees: {twin} and {point} capture, other {names} match one level and are ignored", () => {
    const r = new TopicRouter([
      { topic: "acme/{site}/{area}/{line}/{twin}/{point}", format: "json", value: "value" },
      { topic: "acme/{site}/{area}/{line}/{twin}", format: "json", points: [{ point: "level" }] },
    ]);
    expect(r.filters).toEqual(["acme/+/+/+/+/+", "acme/+/+/+/+"]);
    expect(r.match("acme/berlin/brewing/line-1/T101/level")).toMatchObject([
      { binding: 0, twin: "T101", point: "level" },
    ]);
    expect(r.match("acme/berlin/brewing/line-1/T101")).toMatchObject([{ binding: 1, twin: "T101" }]);
    expect(r.match("acme/berlin/brewing/T101")).toEqual([]);
  });

  it("every binding on one topic is returned, in plant.json order", () => {
    const r = new TopicRouter([
      { topic: "g/{twin}/{point}", format: "json", value: "v" },
      { topic: "g/T101/level", format: "json", twin: "T102", point: "level", value: "w" },
      { topic: "g/T101/level", format: "opcua-json", points: [{ twin: "T103", point: "level", field: "x" }] },
    ]);
    expect(r.match("g/T101/level").map((m) => m.binding)).toEqual([0, 1, 2]);
  });

  it("asks the broker for filters no topic matches twice (each message is handled once)", () => {
    expect(disjointFilters(["a/+/c", "a/b/c", "x/y"])).toEqual(["a/+/c", "x/y"]);
    expect(disjointFilters(["a/+/c", "a/b/+"])).toEqual(["a/b/+".replace("b/+", "+/+")]);
    expect(disjointFilters(["a/#", "a/b", "+/b"])).toEqual(["+/#"]);
    expect(disjointFilters(["a/b", "a/b/c"])).toEqual(["a/b", "a/b/c"]);
  });
});

const demoWith = (bindings: unknown[]) => demoPlantWithBindings(bindings).dir;

describe("binding checks (start-up and plant:check refuse the same, in the same words)", () => {
  it("accepts OPC UA, UNS and keyed-record bindings next to the demo's template", async () => {
    const dir = demoWith([
      {
        topic: "opc/line1",
        format: "opcua-json",
        writerId: 1,
        points: [{ twin: "T101", point: "level", field: "nsu=http://x;s=Tank 1.Level" }],
      },
      {
        topic: "opc/line1",
        format: "opcua-json",
        writerName: "Pumps",
        twin: "P101",
        points: [{ point: "flow", field: "Flow" }],
      },
      { topic: "uns/{site}/{twin}", format: "json", points: [{ point: "temperature", value: '["Temp °C"].value' }] },
      {
        topic: "kep",
        format: "json",
        items: "values",
        key: "id",
        points: [{ twin: "T102", point: "level", match: "T102.L", value: "v" }],
      },
    ]);
    expect(await plantIssues(dir)).toEqual([]);
  });

  it("flags two bindings that write one point, on one topic or by name", async () => {
    const dir = demoWith([
      { topic: "gemba/demo/T101/level", format: "json", twin: "T101", point: "level", value: "v" },
      { topic: "a", format: "json", twin: "P101", point: "flow", value: "v" },
      { topic: "b", format: "opcua-json", points: [{ twin: "P101", point: "flow", field: "F" }] },
    ]);
    const issues = await plantIssues(dir);
    expect(issues).toContainEqual({
      file: "plant.json",
      path: "bindings[1]",
      reason:
        "bindings[0] and bindings[1] both write T101/level; the last message would win silently. Bind each point once.",
    });
    expect(issues).toContainEqual({
      file: "plant.json",
      path: "bindings[3].points[0]",
      reason:
        "bindings[2] and bindings[3].points[0] both write P101/flow; the last message would win silently. Bind each point once.",
    });
  });

  it("flags selections that can match nothing and ambiguous ones", async () => {
    const dir = demoWith([
      { topic: "x/{twin}", format: "json", points: [{ point: "nosuch" }] },
      { topic: "y", format: "json", items: "values", key: "id", points: [{ twin: "T101", point: "level" }] },
      { topic: "opc", format: "opcua-json", writerId: 1, points: [{ twin: "T102", point: "level", field: "L" }] },
      { topic: "opc", format: "opcua-json", points: [{ twin: "T103", point: "level", field: "L" }] },
      { topic: "z", format: "json", twin: "T101", value: "v" },
      { topic: "w/{twin}", format: "json", twin: "T101", point: "pressure", value: "v" },
    ]);
    const byPath = Object.fromEntries((await plantIssues(dir)).map((i) => [i.path, i.reason]));
    expect(byPath["bindings[1].points[0].point"]).toBe(
      'no twin has telemetry "nosuch", so this binding can match nothing.',
    );
    expect(byPath["bindings[2].points[0].match"]).toMatch(/each point needs "match".*can match nothing/);
    expect(byPath["bindings[4]"]).toMatch(/bindings\[3\] names its writer on this topic.*Name the writer/);
    expect(byPath["bindings[5].point"]).toBe('which point? Give "point" or put {point} in the topic.');
    expect(byPath["bindings[6].twin"]).toBe("the twin is named here and by the topic's {twin}; use one.");
  });

  it("refuses a broken field path with where and why", async () => {
    const dir = demoWith([{ topic: "v", format: "json", twin: "T101", point: "temperature", value: "a..b" }]);
    expect(await plantIssues(dir)).toEqual([
      {
        file: "plant.json",
        path: "bindings[1].value",
        reason: 'is not a field path: a "." must be followed by a key (position 2)',
      },
    ]);
  });

  it("npm run plant:check prints a double write in the same words and exits 1", () => {
    const dir = demoWith([
      { topic: "gemba/demo/T101/level", format: "json", twin: "T101", point: "level", value: "v" },
    ]);
    let out = "";
    let code = 0;
    try {
      execFileSync("npx", ["tsx", "scripts/plant-check.ts", dir], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      code = err.status;
      out = err.stderr;
    }
    expect(code).toBe(1);
    expect(out).toContain(
      "plant.json at bindings[1]: bindings[0] and bindings[1] both write T101/level; the last message would win silently.",
    );
  });
});
