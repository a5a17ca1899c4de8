/**
 * Every journal entry comes from PlantJournal: the same fields filled the same way for a seat's action, a person's
 * action with their seat and role, the plant acting by itself, and an entry stamped at another instant (a bookmark).
 */
import { describe, expect, it } from "vitest";
import { PlantJournal, SYSTEM } from "../../server/journal/PlantJournal.ts";

const NOW = 1_700_000_000_000;
const journal = new PlantJournal("demo", () => NOW);
const ada = { name: "Ada", seat: "s1", device: "headset", role: "operator" };

describe("PlantJournal builds every entry the same way", () => {
  it("a seat's action names the seat as subject, with its person and device, stamped now", () => {
    expect(journal.bySeat("summon", { id: "s1", name: "Ada", device: "headset" }, { twin: "pump-1" })).toEqual({
      ts: NOW,
      plant: "demo",
      kind: "summon",
      actor: "Ada",
      device: "headset",
      subject: "s1",
      data: { twin: "pump-1" },
    });
  });

  it("a person's action on a subject also records the seat and the role they acted in", () => {
    const e = journal.acted("acknowledge", ada, "r1:pump-1", { state: "acked" });
    expect(e).toEqual({
      ts: NOW,
      plant: "demo",
      kind: "acknowledge",
      actor: "Ada",
      device: "headset",
      subject: "r1:pump-1",
      data: { state: "acked", seat: "s1", role: "operator" },
    });
  });

  it("the seat and role recorded are the actor's, whatever the details say", () => {
    expect(journal.acted("denied", ada, "x", { seat: "forged", role: "admin" }).data).toEqual({
      seat: "s1",
      role: "operator",
    });
  });

  it("the plant acting by itself is 'system' on no device; an entry can be stamped at its own instant", () => {
    expect(journal.entry("alarm.active", SYSTEM, "r1:pump-1", {}, 42)).toEqual({
      ts: 42,
      plant: "demo",
      kind: "alarm.active",
      actor: "system",
      device: "",
      subject: "r1:pump-1",
      data: {},
    });
  });
});
