/**
 * ACCESS_FILE as it is now, not as it was at start: an administrator who takes someone off a plant's list, or lowers
 * its `maxRole`, expects that to hold for people already in the room (issue #18: a demotion takes effect within a
 * minute). The file's modification time is looked at no more than once per `checkMs`; a changed file is parsed again,
 * and a file that no longer parses keeps the last good list (logged: a typo must not open or close every plant).
 */
import fs from "node:fs";
import { AccessList, type AccessDecision } from "./AccessList.ts";
import type { Identity } from "./identity.ts";

export interface AccessRules {
  decide(plant: string, who: Identity): AccessDecision;
}

export class AccessListFile implements AccessRules {
  private list: AccessList;
  private mtimeMs: number;
  private checkedAt: number;

  constructor(
    private readonly file: string,
    private readonly now: () => number,
    private readonly log: (m: string) => void,
    private readonly checkMs = 10_000,
  ) {
    // A bad file at start stops start-up (AccessList.load throws with the reason).
    this.list = AccessList.load(file);
    this.mtimeMs = this.statMtime() ?? 0;
    this.checkedAt = now();
  }

  decide(plant: string, who: Identity): AccessDecision {
    this.reloadIfChanged();
    return this.list.decide(plant, who);
  }

  /** Read the file again now if it changed (tests call it; `decide` calls it at most once per checkMs). */
  reloadIfChanged(force = false): void {
    const now = this.now();
    if (!force && now - this.checkedAt < this.checkMs) return;
    this.checkedAt = now;
    const m = this.statMtime();
    if (m === null || m === this.mtimeMs) return;
    this.mtimeMs = m;
    try {
      this.list = AccessList.load(this.file);
      this.log(`sign-in: access lists read again from ${this.file}`);
    } catch (e) {
      this.log(`sign-in: kept the previous access lists: ${(e as Error).message}`);
    }
  }

  private statMtime(): number | null {
    try {
      return fs.statSync(this.file).mtimeMs;
    } catch {
      return null;
    }
  }
}
