/**
 * One answer for every handoff code or link that will not work: wrong, expired,
 * already used, or someone else's. Different answers (400 vs 403, "expired" vs
 * "not valid") would tell a guesser which of the million six-digit codes are live.
 * Only "too many wrong codes" differs: it is about the requester, not the code.
 */
export const HANDOFF_REFUSED =
  "That handoff code or link does not work: it may be mistyped, already used, expired " +
  "or for someone else. Ask for a new one on the other device.";
