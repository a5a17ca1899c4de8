/**
 * A procedure run through the real path: Mosquitto → twin → the room's gate (server side) ← @colyseus/sdk clients.
 * A gated step is refused until a published value meets the gate, then accepted; a second person in the room sees
 * the progress; the journal rows carry the asset's values and a hash chain that verifies.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { devToken } from "../../kit/devSignIn.ts";
import { verifyChain } from "../../server/procedures/runChain.ts";
import { ask, join, refusalOf, useServerAndPublisher, waitForState } from "./harness.ts";

const ctx = useServerAndPublisher();

describe("procedures in a room: gates on live values, shared progress, a verifiable record", () => {
  it("a gated step is refused until a published value meets the gate, then accepted; the rows chain", async () => {
    const { h, pub } = ctx;
    const topic = (twin: string, point: string) => `${h.config.topicPrefix}gemba/demo/${twin}/${point}`;
    const send = (twin: string, point: string, v: number, ts: number) =>
      pub.publishAsync(topic(twin, point), JSON.stringify({ v, ts }));
    const ada = await join(h, "Ada", { role: "operator" });
    const bo = await join(h, "Bo", { role: "viewer" });

    const list = await ask(ada, "procedures", {});
    expect(list.procedures.map((p) => p.id)).toContain("isolate-p401");
    // A viewer may watch but not run.
    expect(await refusalOf(ask(bo, "procedureStart", { procedure: "isolate-p401" }))).toEqual({
      code: "forbidden",
      message: "A viewer cannot run procedures; ask an operator.",
    });
    const { run } = await ask(ada, "procedureStart", { procedure: "isolate-p401" });
    await waitForState(bo, (s) => s.procedure.run === run && s.procedure.status === "running", "Bo sees the run");
    expect(await refusalOf(ask(ada, "procedureStart", { procedure: "free-stuck-valve" }))).toMatchObject({
      code: "invalid",
      message: expect.stringMatching(/is under way \(step 1 of 5\)/) as string,
    });

    // Step 1's gate: "running == 1 and suctionPressure < 0.25 for 5s". The pump runs with healthy suction.
    const t0 = Date.now() - 20_000;
    await send("P401", "running", 1, t0);
    await send("P401", "suctionPressure", 0.6, t0);
    await waitForState(ada, (s) => s.procedure.gateNow.includes("0.60 bar"), "the gate's values in the run");
    const refused = await refusalOf(ask(ada, "procedureDone", { run, step: 0 }));
    expect(refused).toEqual({
      code: "invalid",
      message:
        'Step 1 cannot be done yet: P401 must meet "running == 1 and suctionPressure < 0.25 for 5s" (now: running running, suctionPressure 0.60 bar).',
    });

    // Suction falls; the gate holds once it has stayed low for 5 s of plant time.
    await send("P401", "suctionPressure", 0.08, t0 + 1000);
    await waitForState(ada, (s) => s.procedure.gateNow.includes("0.08 bar"), "low suction seen by the gate");
    expect(ada.state.procedure.gateHolds).toBe(false);
    await send("P401", "suctionPressure", 0.07, t0 + 7000);
    await waitForState(bo, (s) => s.procedure.gateHolds, "Bo sees the gate hold");
    const done1 = await ask(ada, "procedureDone", { run, step: 0 });
    expect(done1.completed).toBe(false);
    await waitForState(
      bo,
      (s) => s.procedure.step === 1 && s.procedure.steps[0]!.doneBy === "Ada",
      "Bo sees step 1 done",
    );

    // Step 2: T101 level > 15; step 3 asks for a note.
    await send("T101", "level", 62.5, t0 + 7500);
    await waitForState(ada, (s) => s.procedure.gateHolds && s.procedure.gateNow === "level 62.5 %", "T101 level gate");
    await ask(ada, "procedureDone", { run, step: 1 });
    await waitForState(ada, (s) => s.procedure.step === 2, "at step 3");
    expect(await refusalOf(ask(ada, "procedureDone", { run, step: 2 }))).toMatchObject({
      message: "Step 3 asks for a note: write what you did or found before marking it done.",
    });
    await ask(ada, "procedureDone", { run, step: 2, note: "Lock 17 on the isolator" });
    await ask(ada, "procedureDone", { run, step: 3, note: "Tag 4 on the return valve" });
    const last = await ask(ada, "procedureDone", { run, step: 4 });
    expect(last.completed).toBe(true);
    const seen = await waitForState(bo, (s) => s.procedure.status === "completed", "Bo sees the run completed");
    expect(seen.procedure.hash).toBe(last.hash);

    const rt = await h.server.hub.get("demo");
    const rows = rt.store.query({ plant: "demo", subject: run });
    expect(rows.map((r) => r.kind)).toEqual(["procedure.start", ...Array.from({ length: 5 }, () => "procedure.step")]);
    expect(rows[1]!.actor).toBe("Ada");
    expect(rows[1]!.data).toMatchObject({
      step: 1,
      asset: "P401",
      values: { running: 1, suctionPressure: 0.07 },
      role: "operator",
    });
    expect(rows[2]!.data).toMatchObject({ step: 2, asset: "T101", values: { level: 62.5 } });
    expect(rows[3]!.data["note"]).toBe("Lock 17 on the isolator");
    expect(verifyChain(rows)).toEqual({ ok: true, rows: 6, last: last.hash });

    // The way docs/TRAINING.md verifies a run: the audit export (admins) checked by scripts/procedure-verify.ts.
    const admin = await devToken(h.endpoint.replace("ws:", "http:"), "Auditor", "admin");
    const res = await fetch(`${h.endpoint.replace("ws:", "http:")}/api/plants/demo/journal?subject=${run}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
    const exported = (await res.json()) as { entries: { data: Record<string, unknown> }[] };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-run-")), "run.json");
    fs.writeFileSync(file, JSON.stringify(exported));
    const verify = (f: string) => {
      try {
        return {
          code: 0,
          out: execFileSync("npx", ["tsx", "scripts/procedure-verify.ts", f], { encoding: "utf8", stdio: "pipe" }),
        };
      } catch (e) {
        const err = e as { status: number; stderr: string };
        return { code: err.status, out: err.stderr };
      }
    };
    expect(verify(file)).toEqual({ code: 0, out: `OK: 6 rows chain; last hash ${last.hash}\n` });
    // Someone edits the recorded note afterwards: the export no longer verifies.
    exported.entries[3]!.data["note"] = "Lock 18 on the isolator";
    fs.writeFileSync(file, JSON.stringify(exported));
    expect(verify(file)).toEqual({
      code: 1,
      out: "NOT VERIFIED: row 4 (procedure.step) was changed after it was written: its hash does not match.\n",
    });
    await ada.leave();
    await bo.leave();
  });
});
