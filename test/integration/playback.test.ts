import { describe, expect, it } from "vitest";
import { join, waitForState, refusalOf, useServerAndPublisher } from "./harness.ts";
import { devToken } from "../../kit/devSignIn.ts";

const ctx = useServerAndPublisher();

describe("shared playback", () => {
  it("an expert scrubs the room to t: every client's playback view shows working memory at t, live keeps flowing, back to live clears it", async () => {
    const expert = await join(ctx.h, "Eve", { role: "expert" });
    const viewer = await join(ctx.h, "Vic", { role: "viewer" });
    const now = Date.now();
    const topic = `${ctx.h.config.topicPrefix}gemba/demo/T101/level`;
    for (const [dt, v] of [
      [-60_000, 40],
      [-30_000, 50],
      [-10_000, 60],
    ] as const) {
      await ctx.pub.publishAsync(topic, JSON.stringify({ v, ts: now + dt }));
    }
    await waitForState(viewer, (s) => s.twins.get("T101")?.points.get("level")?.v === 60, "live value");

    const t = now - 20_000;
    await expert.request("playback", { action: "seek", t });
    const s = await waitForState(
      viewer,
      (st) => st.viewTime === t && st.playback.get("T101")?.points.get("level")?.v === 50,
      "playback at t",
    );
    const res = await fetch(`http://127.0.0.1:${ctx.h.server.port}/api/plants/demo/snapshot?t=${t}`, {
      headers: { authorization: `Bearer ${await devToken(ctx.h.endpoint, "Vic", "viewer")}` },
    });
    const snap = (await res.json()) as { points: Record<string, { v: number }> };
    expect(s.playback.get("T101")!.points.get("level")!.v).toBe(snap.points["T101/level"]!.v);
    expect(s.twins.get("T101")!.points.get("level")!.v).toBe(60); // live is untouched

    // A sample for an instant just before t arrives late (store-and-forward): the paused room shows it,
    // because working memory now says the level at t was 55; live keeps its newer value.
    await ctx.pub.publishAsync(topic, JSON.stringify({ v: 55, ts: t - 1000 }));
    const late = await waitForState(
      viewer,
      (st) => st.playback.get("T101")?.points.get("level")?.v === 55,
      "the late sample in the paused playback view",
    );
    expect(late.viewTime).toBe(t);
    expect(late.twins.get("T101")!.points.get("level")!.v).toBe(60);

    expect(await refusalOf(viewer.request("playback", { action: "seek", t: now - 5000 }))).toMatchObject({
      code: "forbidden",
    });
    const tooOld = await refusalOf(expert.request("playback", { action: "seek", t: now - 48 * 3600_000 }));
    expect(tooOld?.code).toBe("invalid");
    expect(tooOld?.message).toMatch(/Working memory reaches back to .*no data before that/);

    await expert.request("playback", { action: "live" });
    await waitForState(viewer, (st) => st.viewTime === 0 && st.playback.size === 0, "back to live");
    await expert.leave();
    await viewer.leave();
  });
});

describe("bookmarks", () => {
  it("are shared, persisted in the journal, and listed on the timeline at their instant", async () => {
    const e = await join(ctx.h, "Bookmarker", { role: "expert" });
    const t = Date.now() - 5000;
    await e.request("bookmark", { name: "Valve swap starts", t });
    const auth = { headers: { authorization: `Bearer ${await devToken(ctx.h.endpoint, "Bookmarker", "expert")}` } };
    const tl = (await (await fetch(`http://127.0.0.1:${ctx.h.server.port}/api/plants/demo/timeline`, auth)).json()) as {
      events: { kind: string; subject: string; ts: number }[];
    };
    expect(tl.events).toContainEqual(
      expect.objectContaining({ kind: "bookmark", subject: "Valve swap starts", ts: t }),
    );
    const v = await join(ctx.h, "Viewer2", { role: "viewer" });
    expect(await refusalOf(v.request("bookmark", { name: "x", t }))).toMatchObject({ code: "forbidden" });
    await e.leave();
    await v.leave();
  });
});
