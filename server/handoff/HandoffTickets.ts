/**
 * Handoff tickets: the capability to move a seat to another device. Single use,
 * short-lived (2 minutes by default), bound to the seat, the user and the room. A ticket has a
 * long random token (for links and QR codes) and a 6-digit code (for typing);
 * code lookups are rate-limited per requester so guessing is hopeless.
 * Pure: clock and randomness are injected.
 */
export interface Ticket {
  token: string;
  code: string;
  seat: string;
  user: string;
  name: string;
  room: string;
  plant: string;
  fromDevice: string;
  createdAt: number;
  expiresAt: number;
  used: boolean;
  /** An unfinished annotation travelling with the session (text only). */
  draft: string;
}

export type TicketResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; code: "not-found" | "expired" | "used" | "wrong-user" | "rate-limited"; message: string };

/**
 * What rooms and routes call: the in-memory book below (one process), or the shared one in PostgreSQL
 * (SharedTickets.ts, a cluster: a ticket issued on one process is redeemed on any other).
 */
export interface TicketBook {
  readonly counters: { created: number; claimed: number; refused: number; rateLimited: number };
  create(t: NewTicket): Ticket | Promise<Ticket>;
  peek(key: string, requester: string): TicketResult | Promise<TicketResult>;
  claim(key: string, user: string, requester: string): TicketResult | Promise<TicketResult>;
}

export type NewTicket = Omit<Ticket, "token" | "code" | "createdAt" | "expiresAt" | "used">;

/** The refusals, worded once for both books. */
export const REFUSED = {
  "rate-limited": "Too many wrong codes from this device; wait a minute and try again.",
  "not-found": "That handoff code is not valid. Check it, or ask for a new one.",
  used: "That handoff was already used. Ask for a new one on the other device.",
  expired: "That handoff expired. Ask for a new one on the other device.",
  "wrong-user": "That handoff belongs to someone else; you cannot take their seat.",
} as const;

/**
 * 2 minutes by default (HANDOFF_CODE_SECONDS, issue #20): a person taking off a headset, finding the laptop and typing
 * six digits on a slow page needed more than the 60 s this once was (a browser test under load saw the code expire
 * while the page was still booting); longer only widens the window for a code read over a shoulder. Sites that need
 * more set HANDOFF_CODE_SECONDS (server/config.ts, up to an hour).
 */
export const TICKET_TTL_MS = 2 * 60_000;
/** Wrong codes a requester may try per minute before being refused outright. */
export const CODE_ATTEMPTS_PER_MINUTE = 10;

export class HandoffTickets implements TicketBook {
  private readonly byToken = new Map<string, Ticket>();
  private readonly byCode = new Map<string, Ticket>();
  private readonly failures = new Map<string, number[]>();
  readonly counters = { created: 0, claimed: 0, refused: 0, rateLimited: 0 };

  constructor(
    private readonly now: () => number,
    private readonly random: (bytes: number) => Buffer,
    /** How long a code and link work (HANDOFF_CODE_SECONDS). */
    private readonly ttlMs = TICKET_TTL_MS,
  ) {}

  create(t: NewTicket): Ticket {
    this.sweep();
    const token = this.random(16).toString("base64url");
    let code: string;
    do {
      code = String(this.random(4).readUInt32BE(0) % 1_000_000).padStart(6, "0");
    } while (this.byCode.has(code));
    const at = this.now();
    const ticket: Ticket = { ...t, token, code, createdAt: at, expiresAt: at + this.ttlMs, used: false };
    this.byToken.set(token, ticket);
    this.byCode.set(code, ticket);
    this.counters.created++;
    return ticket;
  }

  /** Look a ticket up by token or code without using it (for the "Continue …?" preview). */
  peek(key: string, requester: string): TicketResult {
    const isCode = /^\d{6}$/.test(key);
    if (isCode && this.limited(requester)) {
      this.counters.rateLimited++;
      return {
        ok: false,
        code: "rate-limited",
        message: "Too many wrong codes from this device; wait a minute and try again.",
      };
    }
    const t = isCode ? this.byCode.get(key) : this.byToken.get(key);
    if (!t) {
      if (isCode) this.fail(requester);
      this.counters.refused++;
      return {
        ok: false,
        code: "not-found",
        message: "That handoff code is not valid. Check it, or ask for a new one.",
      };
    }
    if (t.used) {
      this.counters.refused++;
      return {
        ok: false,
        code: "used",
        message: "That handoff was already used. Ask for a new one on the other device.",
      };
    }
    if (this.now() >= t.expiresAt) {
      this.counters.refused++;
      return {
        ok: false,
        code: "expired",
        message: `That handoff expired (they last ${lifetimeWords(this.ttlMs)}). Ask for a new one.`,
      };
    }
    return { ok: true, ticket: t };
  }

  /** Use a ticket: only once, only before it expires, only by the user it was made for. */
  claim(key: string, user: string, requester: string): TicketResult {
    const r = this.peek(key, requester);
    if (!r.ok) return r;
    if (r.ticket.user !== user) {
      this.counters.refused++;
      return {
        ok: false,
        code: "wrong-user",
        message: "That handoff belongs to someone else; you cannot take their seat.",
      };
    }
    r.ticket.used = true;
    this.counters.claimed++;
    return r;
  }

  private limited(requester: string): boolean {
    const now = this.now();
    const recent = (this.failures.get(requester) ?? []).filter((t) => now - t < 60_000);
    this.failures.set(requester, recent);
    return recent.length >= CODE_ATTEMPTS_PER_MINUTE;
  }

  private fail(requester: string): void {
    const list = this.failures.get(requester) ?? [];
    list.push(this.now());
    this.failures.set(requester, list);
  }

  /** Forget expired tickets (they stay refusable as "not found"). */
  sweep(): void {
    const now = this.now();
    for (const [k, t] of this.byToken) {
      if (now - t.expiresAt > this.ttlMs) {
        this.byToken.delete(k);
        if (this.byCode.get(t.code) === t) this.byCode.delete(t.code);
      }
    }
    if (this.failures.size > 10_000) this.failures.clear();
  }
}

/** A code's lifetime as a person says it: "2 minutes", "90 seconds", "1 hour". */
export function lifetimeWords(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 3600 === 0) return s === 3600 ? "1 hour" : `${s / 3600} hours`;
  if (s % 60 === 0) return s === 60 ? "1 minute" : `${s / 60} minutes`;
  return `${s} seconds`;
}
