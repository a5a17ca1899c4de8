import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createServerLog, levelOf, scrub, withRequestId } from "../../server/log.ts";

/** A JWT as the development sign-in issues them (header.payload.signature, base64url). */
const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lIjoiQWRhIiwicm9sZSI6Im9wZXJhdG9yIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n")) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createServerLog({ format: "json", destination }) };
}

describe("server log: no credentials", () => {
  it("a sentence that quotes a token, a bearer header, an upgrade URL or a handoff code says [redacted] instead", () => {
    expect(scrub(`refused ${JWT} from 10.0.0.7`)).toBe("refused [token] from 10.0.0.7");
    expect(scrub("header Authorization: Bearer abc.def")).toBe("header Authorization: Bearer [token]");
    expect(scrub("upgrade /x/y?sessionId=s1&reconnectionToken=r2&_authToken=t3")).toBe(
      "upgrade /x/y?sessionId=s1&reconnectionToken=[redacted]&_authToken=[redacted]",
    );
    expect(scrub("wrong handoff code 482913 from 10.0.0.7")).toBe("wrong handoff code [redacted] from 10.0.0.7");
  });

  it("fields named token, authorization, code or ticket are written as [redacted]", () => {
    const { lines, log } = capture();
    log.line("auth: refused join", { token: JWT, headers: { authorization: `Bearer ${JWT}` }, code: "482913" });
    expect(lines[0]).toMatchObject({
      level: "warn",
      msg: "auth: refused join",
      token: "[redacted]",
      headers: { authorization: "[redacted]" },
      code: "[redacted]",
    });
  });
});

describe("server log: structure", () => {
  it("each line has a level word, and the request id of the request it was said in", () => {
    const { lines, log } = capture();
    let id = "";
    withRequestId((rid) => {
      id = rid;
      log.line('http: refused host "evil.example" from 10.0.0.7');
    });
    log.line("MQTT: connected to mqtt://127.0.0.1:1883");
    expect(lines[0]).toMatchObject({ level: "warn", req: id });
    expect(lines[1]).toMatchObject({ level: "info" });
    expect(lines[1]).not.toHaveProperty("req");
  });

  it("a room's line names its room and seat as fields", () => {
    const { lines, log } = capture();
    log.line("room r0om1: Ada joined from headset (seat s3at12345678)");
    expect(lines[0]).toMatchObject({ level: "info", room: "r0om1", seat: "s3at12345678" });
  });

  it("levels follow what a sentence says", () => {
    expect(levelOf("Gemba: Cannot start: unknown plant")).toBe("error");
    expect(levelOf("journal: could not record ping: disk full")).toBe("warn");
    expect(levelOf("room r: closed abc (seat -) for flooding")).toBe("warn");
    expect(levelOf('plant "demo": 51 assets, 300 points')).toBe("info");
  });
});
