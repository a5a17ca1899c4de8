/** Other people's avatars (client/scene/Avatars.ts) on Babylon's NullEngine: what a half-filled seat does to them. */
import { FreeCamera } from "@babylonjs/core/Cameras/freeCamera.js";
import { NullEngine } from "@babylonjs/core/Engines/nullEngine.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { Scene } from "@babylonjs/core/scene.js";
import { describe, expect, it } from "vitest";
import { Avatars } from "../../client/scene/Avatars.ts";
import type { SeatState } from "../../shared/state.ts";

const pose = (x?: number, y?: number, z?: number) => ({ x, y, z, qx: 0, qy: 0, qz: 0, qw: 1 });

/** A seat as a page decodes it; `head` may miss numbers the room has not sent yet. */
function seat(head: ReturnType<typeof pose>): SeatState {
  return {
    id: "bo",
    name: "Bo",
    color: "#3366ff",
    device: "desktop",
    presence: "online",
    head,
    left: pose(0, 0, 0),
    right: pose(0, 0, 0),
    hands: 0,
    pointer: { active: false, ox: 0, oy: 0, oz: 0, tx: 0, ty: 0, tz: 0, twin: "" },
  } as unknown as SeatState;
}

describe("avatars", () => {
  it("a seat whose pose has not arrived yet does not leave its avatar at NaN: it goes where the first pose says", () => {
    const engine = new NullEngine();
    // 50 ms frames: the smoothing is frame-rate independent, so a fixed step makes it deterministic.
    engine.getDeltaTime = () => 50;
    const scene = new Scene(engine);
    new FreeCamera("eye", new Vector3(0, 1.6, 5), scene);
    const avatars = new Avatars(scene);
    avatars.update([seat(pose())]);
    scene.render();
    const head = () => avatars.headOf("bo")!.pos.asArray();
    expect(head().every(Number.isFinite)).toBe(true);
    avatars.update([seat(pose(4, 1.6, -2))]);
    for (let i = 0; i < 200; i++) scene.render();
    expect(head().map((v) => Math.round(v * 100) / 100)).toEqual([4, 1.6, -2]);
    scene.dispose();
    engine.dispose();
  });
});
