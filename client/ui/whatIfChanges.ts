/**
 * The kinds of change the inspector's What if… form offers for one asset: set a point, hold it stuck, let it drift,
 * or one of the simulator's faults where the plant's process model can say what it does (server/whatif/faultChange.ts
 * decides and refuses the rest; the form offers only what it would accept, so no button leads to a refusal). The
 * headset's What if tab (client/xr/whatIfTab.ts) offers the same list.
 */
import type { ProcessLink } from "../../shared/processModel.ts";
import type { WhatIfFault } from "../../shared/protocol/whatIf.ts";

export interface WhatIfChange {
  /** The option's value: "set", or the fault's name. */
  id: "set" | WhatIfFault;
  label: string;
  /** The few words a headset's wrist button has room for ("Stuck", "Cavitation"). */
  short: string;
  /** The person picks the point (set, stuck, drift); a catalogue fault names its own. */
  needsPoint: boolean;
  /** What the number field means, or null when the change takes no number. */
  number: "value" | "optional value" | "per minute" | null;
  /** A catalogue fault: the point it acts through and how, as the model sees it (server/whatif/faultChange.ts). */
  acts?: { point: string; how: string };
}

const SET: WhatIfChange = { id: "set", label: "Set", short: "Set", needsPoint: true, number: "value" };
const STUCK: WhatIfChange = {
  id: "stuck",
  label: "Stuck at",
  short: "Stuck",
  needsPoint: true,
  number: "optional value",
};
const DRIFT: WhatIfChange = {
  id: "drift",
  label: "Drifts per minute",
  short: "Drifts",
  needsPoint: true,
  number: "per minute",
};
const CAVITATION: WhatIfChange = {
  id: "cavitation",
  label: "Cavitation (flow falls ~40 %)",
  short: "Cavitation",
  needsPoint: false,
  number: null,
  acts: { point: "speed", how: "acts at 60 %" },
};
const STUCK_VALVE: WhatIfChange = {
  id: "stuck-valve",
  label: "Valve stuck where it is",
  short: "Valve stuck",
  needsPoint: false,
  number: null,
  acts: { point: "position", how: "holds" },
};

/** The changes `twin` offers: none when no link of the process model starts at it. */
export function changesFor(links: readonly ProcessLink[], twin: string): WhatIfChange[] {
  const from = (point: string) => links.some((l) => l.from === `${twin}/${point}`);
  if (!links.some((l) => l.from.startsWith(`${twin}/`))) return [];
  return [SET, STUCK, DRIFT, ...(from("speed") ? [CAVITATION] : []), ...(from("position") ? [STUCK_VALVE] : [])];
}

export interface WhatIfAsk {
  twin: string;
  point?: string;
  value?: number;
  fault?: WhatIfFault;
  perMinute?: number;
  horizonS: number;
}

/**
 * The request for `change` with the form's point and number text, or the sentence to show when the number is
 * missing or not a number.
 */
export function askFor(
  change: WhatIfChange,
  twin: string,
  point: string,
  numberText: string,
  horizonS: number,
): WhatIfAsk | string {
  const text = numberText.trim();
  const n = Number(text);
  const given = text !== "" && Number.isFinite(n);
  if (text !== "" && !given) return "Enter the number as a number.";
  switch (change.number) {
    case "value":
      if (!given) return "Enter the new value as a number.";
      return { twin, point, value: n, horizonS };
    case "optional value":
      return { twin, point, fault: "stuck", ...(given ? { value: n } : {}), horizonS };
    case "per minute":
      if (!given || n === 0) return "Enter how far the point drifts per minute (not 0).";
      return { twin, point, fault: "drift", perMinute: n, horizonS };
    case null:
      return { twin, fault: change.id as WhatIfFault, horizonS };
  }
}
