/**
 * A drill running when its server dies (kill -9: no shutdown handler runs) is not left running forever nor lost: the
 * restarted server records it as ended, "Stopped by a server restart", scores its trainee from the drill's journal
 * as things stood (found the asset, no correct action), keeps the score, and shows the drill ended in the plant's
 * room; its sandbox is gone, so its room cannot be joined. Scores are a person's own: the instructor's role sees
 * everyone's, a trainee their own, another operator none.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { devToken } from "../../kit/devSignIn.ts";
import { joinPlant } from "../../kit/observer.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import type { DrillScoresReply } from "../../shared/drillState.ts";
import type { Role } from "../../shared/protocol.ts";
import { waitForState } from "./harness.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-drills-"));
const env = { DATA_DIR: dataDir, SIM: "off" };
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
}, 60_000);

async function scoresAs(url: string, name: string, role: Role): Promise<DrillScoresReply["scores"]> {
  const res = await fetch(`${url}/api/plants/demo/drill-scores`, {
    headers: { authorization: `Bearer ${await devToken(url, name, role)}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as DrillScoresReply).scores;
}

describe("drills across a server restart", () => {
  it("a drill running at a crash is ended by the restarted server, stopped by the restart, its trainee scored", async () => {
    server = await startAppServer(env);
    const ines = await joinPlant(server.url, "Ines", { role: "expert" });
    const tina = await joinPlant(server.url, "Tina", { role: "operator" });
    const seen = await waitForState(ines, (s) => [...s.seats.values()].some((x) => x.name === "Tina"), "Tina");
    const seat = [...seen.seats.values()].find((x) => x.name === "Tina")!.id;
    const { drill, plant } = await ines.request<object, { drill: string; plant: string }>("drillStart", {
      scenario: "cip-pump-cavitation",
      trainees: [seat],
      request: "restart-press-001",
    });

    // Tina finds P401 in the sandbox after the fault's onset (its alarm is up), then the server dies.
    const inDrill = await joinPlant(server.url, "Tina", { role: "operator", plant, separate: true });
    await waitForState(inDrill, (s) => s.alarms.has("pump-cavitation:P401"), "the cavitation alarm", 60_000);
    inDrill.send("select", { twin: "P401" });
    await waitForState(inDrill, (s) => [...s.seats.values()].some((x) => x.selection === "P401"), "P401 selected");
    // The people leave (no SDK reconnecting to a dead server); the drill runs on without them until the crash.
    for (const r of [ines, tina, inDrill]) await r.leave();
    await server.kill();

    server = await startAppServer(env);
    const after = await joinPlant(server.url, "Ines", { role: "expert" });
    const shown = await waitForState(after, (s) => s.drills.get(drill)?.status === "ended", "the drill, ended");
    const d = shown.drills.get(drill)!;
    expect(d.stopped).toBe("Stopped by a server restart");
    expect(d.replay).toBe(false);
    const t = d.trainees[0]!;
    expect(t.status).toBe("scored");
    expect(t.detectMs).toBeGreaterThan(0);
    expect(t.correctMs).toBe(-1);

    // Kept over time: the instructor's role sees it; Tina sees her own; another operator sees none of hers.
    const all = await scoresAs(server.url, "Ines", "expert");
    expect(all).toMatchObject([{ drill, name: "Tina", correctMs: null }]);
    expect(all[0]!.detectMs).toBe(t.detectMs);
    expect(await scoresAs(server.url, "Tina", "operator")).toMatchObject([{ drill, name: "Tina" }]);
    expect(await scoresAs(server.url, "Bo", "operator")).toEqual([]);

    // Its sandbox went with the old process: the drill's room is refused with a reason, not opened empty.
    const refused = await joinPlant(server.url, "Tina", { role: "operator", plant }).then(
      () => "joined",
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/unknown plant "demo~drill-/);
    await after.leave();
    // Two server starts (a process each) and the fault's onset in the sandbox: a hang guard, not a performance bound.
  }, 300_000);
});
