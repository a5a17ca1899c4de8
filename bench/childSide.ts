/**
 * The light half of the bench helpers, safe to import from child processes
 * (publisher, clients): clocks, IPC with the parent, percentiles, load meters.
 * It imports nothing from the server so children start fast and small.
 */
import { performance } from "node:perf_hooks";

/** Wall-clock ms with sub-ms resolution; comparable across processes up to the offset `alignClock` measures. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Size of an MQTT 3.1.1 QoS 0 PUBLISH packet: fixed header + 2-byte topic length + topic + payload. */
export function mqttPublishBytes(topicBytes: number, payloadBytes: number): number {
  const remaining = 2 + topicBytes + payloadBytes;
  const lenBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
  return 1 + lenBytes + remaining;
}

/** Event-loop utilisation and CPU time of this process over a window. */
export function loadMeter() {
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    return {
      eventLoopUtilization: round(elu.utilization, 3),
      cpuCoreFraction: round((cpu.user + cpu.system) / 1000 / wall, 3),
    };
  };
}
export type Load = ReturnType<ReturnType<typeof loadMeter>>;

/** Child side: receive parent messages; answers clock pings itself. */
export function onParentMessage(
  handler: (m: { type: string } & Record<string, unknown>) => void | Promise<void>,
): void {
  process.on("message", (raw) => {
    const m = raw as { type: string } & Record<string, unknown>;
    if (m.type === "clock") return void process.send?.({ type: "clock", t: nowMs() });
    if (m.type === "exit") {
      // Give the IPC channel a moment to flush, then leave.
      setTimeout(() => process.exit(0), 50);
      return;
    }
    Promise.resolve(handler(m)).catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
  });
  process.on("disconnect", () => process.exit(0));
}

export function toParent(msg: object): void {
  process.send?.(msg);
}
