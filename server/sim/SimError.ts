/** A refused simulator request (an unknown fault, twin or point, or a fault on the wrong type of twin), with its code. */

export type SimErrorCode = "unknown-fault" | "unknown-twin" | "unknown-point" | "wrong-type" | "bad-option";

export class SimError extends Error {
  readonly code: SimErrorCode;
  constructor(code: SimErrorCode, message: string) {
    super(message);
    this.name = "SimError";
    this.code = code;
  }
}
