/**
 * Incidents as the room sees them: the plant's recent alarm activations, open or closed, and for a closed one who
 * closed it and where its work order stands (docs/TRAINING.md, "Work-order hand-off"). Keyed `<alarm>@<activeAt>`:
 * an alarm id comes back each time its condition does, an incident is one activation.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

export const IncidentState = schema(
  {
    alarm: t.string(),
    twin: t.string(),
    message: t.string(),
    /** When the alarm became active (plant time, ms since epoch). */
    activeAt: t.float64(),
    /** "" while open. */
    closedBy: t.string(),
    closedAt: t.float64(),
    summary: t.string(),
    /** "" (no work order: WORK_ORDER_URL unset, or still open), "pending", "delivered" or "failing". */
    workOrder: t.string(),
    workOrderId: t.string(),
    attempts: t.uint16(),
    /** Why the last attempt failed, in words; "" if none did. */
    lastError: t.string(),
    deliveredAt: t.float64(),
    /** When the next attempt is due (server time); 0 when none is. */
    nextAttemptAt: t.float64(),
  },
  "IncidentState",
);
export type IncidentState = SchemaType<typeof IncidentState>;

export const incidentKey = (alarm: string, activeAt: number): string => `${alarm}@${activeAt}`;
