/**
 * Sends this participant's presence (head/camera, hands, pointer) at 20 Hz,
 * only when it changed noticeably or once a second as a keep-alive, so a still
 * viewer costs nothing and a moving one stays smooth for the others.
 */
import type { z } from "zod";
import type { ClientMessage } from "../../shared/protocol.ts";

export type PoseMessage = z.infer<(typeof ClientMessage)["pose"]>;

const HZ = 20;
const EPS = 0.002;

function flat(m: PoseMessage): number[] {
  const out = [...m.h, ...(m.l ?? [0]), ...(m.r ?? [0])];
  if (m.p) out.push(...m.p.o, ...m.p.t, m.p.twin ? m.p.twin.length : -1);
  else out.push(-2);
  return out;
}

export class PresenceSender {
  private timer: ReturnType<typeof setInterval> | null = null;
  private last: number[] = [];
  private lastSent = 0;
  sent = 0;

  constructor(
    private readonly read: () => PoseMessage | null,
    private readonly send: (m: PoseMessage) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), 1000 / HZ);
  }

  tick(now = performance.now()): void {
    const m = this.read();
    if (!m) return;
    const f = flat(m);
    const changed = f.length !== this.last.length || f.some((v, i) => Math.abs(v - this.last[i]!) > EPS);
    if (!changed && now - this.lastSent < 1000) return;
    this.last = f;
    this.lastSent = now;
    this.sent++;
    this.send(m);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
