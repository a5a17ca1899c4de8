/**
 * The room's what-ifs as everyone in the room sees them (server/rooms/WhatIfRoom.ts writes them): who asked, the
 * change, when the twin was forked, and per point the change reaches its predicted values and its first predicted
 * limit crossing. The page draws them as dashed "ghost" values beside the live ones.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

export const WhatIfSeriesState = schema(
  {
    twin: t.string(),
    point: t.string(),
    /** Predicted values at from, from + stepS, … from + horizonS. */
    values: t.array("float32"),
    /** The first limit it reaches ("highAlarm", "lowWarning", …), "" when none within the horizon. */
    limit: t.string(),
    limitValue: t.float64(),
    /** Seconds after the fork when it reaches that limit; 0 when none. */
    limitAfterS: t.float64(),
  },
  "WhatIfSeriesState",
);
export type WhatIfSeriesState = SchemaType<typeof WhatIfSeriesState>;

export const WhatIfState = schema(
  {
    id: t.string(),
    /** Name of the person who asked. */
    by: t.string(),
    twin: t.string(),
    point: t.string(),
    /** The point's value at the fork, and the value the what-if sets (a drift: where it is at the horizon). */
    was: t.float64(),
    value: t.float64(),
    /** An injected fault in words ("cavitation", "stuck where it is", "drifting -20 rpm/min"); "" for a plain set. */
    fault: t.string(),
    /** Plant time of the fork (ms since epoch): now, or the instant the room played back. */
    from: t.float64(),
    /** True when forked at a playback instant rather than live. */
    past: t.boolean(),
    horizonS: t.uint16(),
    /** Seconds between two values of each series. */
    stepS: t.float32(),
    journalId: t.float64(),
    /** By "twin/point": the changed point first, then what it moves, upstream first. */
    series: t.map(WhatIfSeriesState),
  },
  "WhatIfState",
);
export type WhatIfState = SchemaType<typeof WhatIfState>;
