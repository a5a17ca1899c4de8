/**
 * A what-if's fault, said in the process model's terms (docs/WHAT-IF.md, "Faults"): which point it changes and how
 * that point moves from its value at the fork. The model is linear links between points, so a fault can be
 * predicted only where it shows as one of the links' inputs moving; elsewhere the refusal says why.
 *
 * - stuck: the point holds a value (where it is now unless one is given) and everything it feeds follows that.
 * - drift: the point moves by `perMinute` from where it is now, and stops at the ends of what its links accept.
 * - cavitation (the simulator's catalogue: flow falls ~40 % on a running pump): the pump's speed acts as if at 60 %
 *   of itself, since every link from a pump's speed is flow-like (flow ∝ speed in server/sim/hydraulics.ts).
 * - stuck-valve: the valve's position holds where it is now.
 * - bearing-wear, flatline, line-jam: the model has nothing to say, each for its own reason.
 */
import type { WhatIfFault } from "../../shared/protocol/whatIf.ts";
import type { ProcessLink } from "../../shared/processModel.ts";

/** Cavitation takes about 40 % off a pump's flow (server/sim/faultCatalogue.ts). */
export const CAVITATION_FLOW_FACTOR = 0.6;

/** How the changed point moves, once its value at the fork (`was`) is known. */
export type FaultMove =
  | { kind: "set"; value: number }
  | { kind: "hold" }
  | { kind: "scale"; factor: number }
  | { kind: "drift"; perS: number };

export interface FaultPlan {
  point: string;
  move: FaultMove;
}

export interface FaultAsk {
  twin: string;
  point?: string | undefined;
  value?: number | undefined;
  fault?: WhatIfFault | undefined;
  perMinute?: number | undefined;
}

export type FaultRefusal = { code: "invalid"; message: string };

/** The point and its move for `ask`, or why the process model cannot say. */
export function faultPlan(ask: FaultAsk, links: readonly ProcessLink[]): FaultPlan | FaultRefusal {
  const hasLink = (point: string) => links.some((l) => l.from === `${ask.twin}/${point}`);
  const refuse = (message: string): FaultRefusal => ({ code: "invalid", message });
  switch (ask.fault) {
    case undefined:
      return { point: ask.point!, move: { kind: "set", value: ask.value! } };
    case "stuck":
      return {
        point: ask.point!,
        move: ask.value === undefined ? { kind: "hold" } : { kind: "set", value: ask.value },
      };
    case "drift":
      return { point: ask.point!, move: { kind: "drift", perS: ask.perMinute! / 60 } };
    case "cavitation":
      if (!hasLink("speed"))
        return refuse(
          `Cavitation is a pump fault that takes flow away; the plant's process model has no link from ${ask.twin} speed, so it cannot say what follows.`,
        );
      return { point: "speed", move: { kind: "scale", factor: CAVITATION_FLOW_FACTOR } };
    case "stuck-valve":
      if (!hasLink("position"))
        return refuse(
          `A stuck valve holds its position; the plant's process model has no link from ${ask.twin} position, so it cannot say what follows.`,
        );
      return { point: "position", move: { kind: "hold" } };
    case "bearing-wear":
      return refuse(
        `Bearing wear shows in ${ask.twin}'s vibration and bearing temperature; the plant's process model has no link from either, so it cannot say what follows. The alarm forecast watches them.`,
      );
    case "flatline":
      return refuse(
        "A flatline is a frozen reading, not a change of the process: the process model predicts nothing from it. To see what happens if the real value stayed put, ask for the point stuck.",
      );
    case "line-jam":
      return refuse(
        `The plant's process model has no links for conveyors and fillers, so it cannot say what a line jam on ${ask.twin} does.`,
      );
  }
}

/** The value the changed point takes at `t` seconds after the fork, inside `range`. */
export function movedValue(move: FaultMove, was: number, t: number, range: readonly [number, number]): number {
  const v =
    move.kind === "set"
      ? move.value
      : move.kind === "hold"
        ? was
        : move.kind === "scale"
          ? was * move.factor
          : was + move.perS * t;
  return Math.min(range[1], Math.max(range[0], v));
}

/** "cavitation", "stuck at 40 %", "drifting +5 %/min": what the journal and the title say (empty: a plain set). */
export function faultWords(ask: FaultAsk, unit: string): string {
  const u = unit ? ` ${unit}` : "";
  if (ask.fault === "stuck") return ask.value === undefined ? "stuck where it is" : `stuck at ${ask.value}${u}`;
  if (ask.fault === "drift") return `drifting ${ask.perMinute! > 0 ? "+" : ""}${ask.perMinute}${u}/min`;
  return ask.fault ?? "";
}
