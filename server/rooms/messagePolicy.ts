/**
 * One policy for bad input on room messages: validate with the shared schema,
 * and on failure drop the message, count it, and tell the sender why (at most
 * once a second per sender), never closing the connection for a malformed
 * message. Colyseus' own validator closes the socket on the first bad message,
 * which would turn one glitchy pose into a dropped call; we validate here instead.
 */
import type { Client } from "@colyseus/core";
import type { z } from "zod";
import type { Refusal } from "../../shared/protocol.ts";
import { sendTo } from "./send.ts";

export class MessageCounters {
  // Keyed by message type, which a client chooses: without a prototype, "constructor" or "toString" are
  // counters like any other, not Object.prototype members turned into strings (found by the fuzz test).
  readonly accepted: Record<string, number> = Object.create(null) as Record<string, number>;
  readonly rejected: Record<string, number> = Object.create(null) as Record<string, number>;
  readonly dropped: Record<string, number> = Object.create(null) as Record<string, number>;
  /** Connections closed with CloseCode.FLOODING (over MAX_MESSAGES_PER_SECOND). */
  floodCloses = 0;
  private readonly lastTold = new WeakMap<Client, Map<string, number>>();

  /** Count one message of `type` as accepted or rejected (requests: the refusal is their answer). */
  count(table: "accepted" | "rejected", type: string): void {
    this[table][type] = (this[table][type] ?? 0) + 1;
  }

  /** Count a refusal and tell the sender; the same sentence is repeated at most once a second per sender. */
  reject(client: Client, type: string, message: string, now: number): void {
    this.rejected[type] = (this.rejected[type] ?? 0) + 1;
    let told = this.lastTold.get(client);
    if (!told) this.lastTold.set(client, (told = new Map<string, number>()));
    const key = `${type}|${message}`;
    if (now - (told.get(key) ?? 0) < 1000) return;
    if (told.size > 64) told.clear();
    told.set(key, now);
    sendTo(client, "error", { code: "invalid", message: `Message "${type}" refused: ${message}` });
  }
}

export function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  if (!i) return "invalid.";
  const where = i.path.length ? `${i.path.join(".")}: ` : "";
  return `${where}${i.message}`;
}

type Handler<T> = (client: Client, msg: T) => void;

/** Wrap a fire-and-forget handler with validation under the shared policy. */
export function validated<S extends z.ZodType>(
  type: string,
  schema: S,
  counters: MessageCounters,
  now: () => number,
  handler: Handler<z.infer<S>>,
): (client: Client, raw: unknown) => void {
  return (client, raw) => {
    const r = schema.safeParse(raw);
    if (!r.success) {
      counters.reject(client, type, firstIssue(r.error), now());
      return;
    }
    counters.accepted[type] = (counters.accepted[type] ?? 0) + 1;
    handler(client, r.data);
  };
}

/** Validate a request payload; a failure becomes a Refusal the client sees as `error.reason`. */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  raw: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; refusal: Refusal } {
  const r = schema.safeParse(raw);
  return r.success
    ? { ok: true, data: r.data }
    : { ok: false, refusal: { code: "invalid", message: firstIssue(r.error) } };
}
