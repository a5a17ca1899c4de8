/**
 * The work-order hand-off of one server process, when WORK_ORDER_URL is set: the outbox over its SQLite file in
 * DATA_DIR, delivering with postWorkOrder. Null (and nothing ever sent) when it is not set.
 */
import path from "node:path";
import type { Config } from "../config.ts";
import { WorkOrderStore } from "../store/WorkOrderStore.ts";
import type { Clock } from "../twin/Clock.ts";
import { postWorkOrder } from "./postWorkOrder.ts";
import { WorkOrderOutbox } from "./WorkOrderOutbox.ts";

export function startWorkOrders(config: Config, clock: Clock, log: (m: string) => void): WorkOrderOutbox | null {
  const settings = config.workOrders;
  if (!settings) return null;
  const store = new WorkOrderStore(path.join(config.dataDir, "work-orders.db"));
  // The address only: never the token (docs/SECURITY.md).
  const target = new URL(settings.url).origin + new URL(settings.url).pathname;
  const outbox = new WorkOrderOutbox({
    store,
    send: (o) => postWorkOrder(settings, o),
    clock,
    retryBaseMs: settings.retryBaseMs,
    retryMaxMs: settings.retryMaxMs,
    log,
    target,
  });
  log(`work orders: closed incidents are sent to ${target}${settings.token ? " (with a bearer token)" : ""}`);
  return outbox;
}
