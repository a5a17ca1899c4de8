import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { devToken } from "../../kit/devSignIn.ts";
import { joinPlant } from "../../kit/observer.ts";
import type { Role } from "../../shared/protocol.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { MOSQUITTO, publisher, waitForState } from "./harness.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-data-"));
const prefix = `test-${randomUUID().slice(0, 8)}/`;
const env = { MQTT_URL: MOSQUITTO, MQTT_TOPIC_PREFIX: prefix, DATA_DIR: dataDir, SIM: "off" };
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
});

const joinAs = (url: string, name: string, role: Role) => joinPlant(url, name, { role });

const ALARM = "limit.level:T102";
const UNACKED = "limit.level:T103";

describe("alarms and the journal across a crash", () => {
  it("an acknowledgement reported as stored survives kill -9, a viewer's attempt is refused and audited, and alarms whose values are normal after the restart return to normal", async () => {
    server = await startAppServer(env);
    const op = await joinAs(server.url, "Operator Olu", "operator");
    const pub = await publisher();
    await pub.publishAsync(`${prefix}gemba/demo/T102/level`, JSON.stringify({ v: 98.5 }));
    await pub.publishAsync(`${prefix}gemba/demo/T103/level`, JSON.stringify({ v: 97 }));
    await pub.endAsync();
    const s = await waitForState(
      op,
      (st) => st.alarms.get(ALARM)?.state === "unack-active" && st.alarms.get(UNACKED)?.state === "unack-active",
      "T102 and T103 level alarms",
    );
    expect(s.alarms.get(ALARM)!.message).toContain("above its alarm limit 96");

    const viewer = await joinAs(server.url, "Visitor Vi", "viewer");
    const refused = await viewer.request("ack", { alarm: ALARM }).then(
      () => null,
      (e: { reason?: unknown }) => e.reason,
    );
    expect(refused).toEqual({ code: "forbidden", message: "A viewer cannot acknowledge alarms." });

    const stored = await op.request<{ alarm: string }, { journalId: number }>("ack", { alarm: ALARM });
    expect(stored.journalId).toBeGreaterThan(0);

    await server.kill(); // no graceful shutdown: SIGKILL right after the reply
    server = await startAppServer(env);
    const again = await joinAs(server.url, "Operator Olu", "operator");
    const after = await waitForState(again, (st) => st.alarms.get(ALARM) !== undefined, "alarm restored after restart");
    expect(after.alarms.get(ALARM)!.state).toBe("ack-active");
    expect(after.alarms.get(ALARM)!.ackedBy).toBe("Operator Olu");

    // The journal is for administrators (docs/SECURITY.md).
    const res = await fetch(`${server.url}/api/plants/demo/journal?subject=${encodeURIComponent(ALARM)}`, {
      headers: { authorization: `Bearer ${await devToken(server.url, "Auditor Ari", "admin")}` },
    });
    const { entries } = (await res.json()) as {
      entries: { id: number; kind: string; actor: string; data: { role?: string } }[];
    };
    expect(entries.map((e) => e.kind)).toEqual(["alarm.active", "denied", "alarm.ack"]);
    expect(entries[1]).toMatchObject({ actor: "Visitor Vi", data: { role: "viewer" } });
    expect(entries.find((e) => e.kind === "alarm.ack")!.id).toBe(stored.journalId);

    // Values are normal again after the restart: the first fresh samples end both alarms the ISA-18.2 way.
    expect(after.alarms.get(UNACKED)!.state).toBe("unack-active");
    const pub2 = await publisher();
    await pub2.publishAsync(`${prefix}gemba/demo/T102/level`, JSON.stringify({ v: 50 }));
    await pub2.publishAsync(`${prefix}gemba/demo/T103/level`, JSON.stringify({ v: 48 }));
    await pub2.endAsync();
    const normal = await waitForState(
      again,
      (st) => !st.alarms.has(ALARM) && st.alarms.get(UNACKED)?.state === "rtn-unack",
      "acknowledged alarm back to normal, unacknowledged one returned-to-normal-unacknowledged",
    );
    expect(normal.alarms.get(UNACKED)!.message).toContain("above its alarm limit 96");
    const cleared = await fetch(`${server.url}/api/plants/demo/journal?subject=${encodeURIComponent(ALARM)}`, {
      headers: { authorization: `Bearer ${await devToken(server.url, "Auditor Ari", "admin")}` },
    });
    const after2 = (await cleared.json()) as { entries: { kind: string; data: { state?: string } }[] };
    expect(after2.entries.at(-1)).toMatchObject({ kind: "alarm.cleared", data: { state: "normal" } });
  });
});
