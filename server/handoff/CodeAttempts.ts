/**
 * Wrong handoff codes per requester in the last minute: above the limit a
 * requester is refused outright, so guessing a 6-digit code is hopeless.
 * Kept per process (a guesser spread over processes gets the limit per process).
 */
import { CODE_ATTEMPTS_PER_MINUTE } from "./HandoffTickets.ts";

export class CodeAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  limited(requester: string): boolean {
    const now = this.now();
    const recent = (this.failures.get(requester) ?? []).filter((t) => now - t < 60_000);
    this.failures.set(requester, recent);
    return recent.length >= CODE_ATTEMPTS_PER_MINUTE;
  }

  fail(requester: string): void {
    if (this.failures.size > 10_000) this.failures.clear();
    const list = this.failures.get(requester) ?? [];
    list.push(this.now());
    this.failures.set(requester, list);
  }
}
