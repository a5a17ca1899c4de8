/**
 * What a decoder reports while it walks one message. Decoders are pure: they find samples
 * and say why others were not taken; PlantIngest turns that into twin updates and counters.
 * A "slot" is the decoder's own numbering of the points it can write (see Decoder.slots).
 */
import type { Quality } from "../../shared/status.ts";
import type { Rejection } from "./jsonSample.ts";

/** Messages that carry no process value and are not errors. */
export type NonData = "keep-alive" | "metadata" | "event" | "unbound";

export interface SampleSink {
  /** A value for one slot. ts is NaN when the message gave no time (the receive time is used). */
  value(slot: number, v: number, ts: number, q: Quality, code: string): void;
  /** A status without a value (e.g. BadNoCommunication): the point keeps its last value with this quality. */
  status(slot: number, q: Quality, ts: number, code: string): void;
  /**
   * An array, object or text where a number was expected: a structured point (DTDL Map/Array) keeps an array
   * or object, an Enum point maps its enum text; any other point refuses it with `detail`. ts is NaN when the
   * message gave no time.
   */
  nonNumeric(slot: number, raw: unknown, ts: number, q: Quality, code: string, detail: string): void;
  reject(reason: Rejection, detail: string): void;
  note(kind: NonData, detail: string): void;
}

/** Where one slot's point comes from: fixed names, or (undefined) the topic's {twin}/{point}. */
export interface SlotTarget {
  twin: string | undefined;
  point: string | undefined;
}

export interface Decoder {
  readonly slots: readonly SlotTarget[];
  decode(doc: unknown, sink: SampleSink): void;
}
