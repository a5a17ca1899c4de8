/** Incident requests (docs/TRAINING.md): close an incident, which hands it over as a work order when configured. */
import { z } from "zod";

export const incidentRequests = {
  /**
   * Close one activation of an alarm (operator and up), with what needs doing. Refused while the alarm is
   * unacknowledged, or when that incident is closed already. `workOrder` is the queued order's id, null when
   * work-order hand-off is off (WORK_ORDER_URL unset).
   */
  incidentClose: {
    payload: z
      .object({
        alarm: z.string().min(1).max(200),
        activeAt: z.number().finite().positive(),
        summary: z.string().trim().min(1, "Say what needs doing.").max(500),
      })
      .strict(),
    reply: z.object({ journalId: z.number().int(), workOrder: z.string().nullable() }),
  },
} as const;
