/**
 * Annotations of one plant: pins and ink anchored to assets (twin id + local
 * offset). Persisted with their journal entries; shared by every room on the
 * plant. Who may change what: operators and above create; the author, or an
 * expert and above, edit, resolve and delete.
 */
import { aRole, can } from "../../shared/permissions.ts";
import type { Actor, NewJournalEntry } from "../journal/JournalEntry.ts";
import { PlantJournal } from "../journal/PlantJournal.ts";

export interface AnnotationRecord {
  id: string;
  kind: "pin" | "ink";
  twin: string;
  offset: [number, number, number];
  points: number[];
  text: string;
  author: string;
  authorSeat: string;
  color: string;
  createdAt: number;
  updatedAt: number;
  status: "open" | "resolved";
  alarm: string;
}

/** Most annotations a plant keeps (open or resolved): every room holds them all and sends them on join. */
export const MAX_ANNOTATIONS = 1000;
/** Most one author may have at once, so one participant cannot use up everyone's share. */
export const MAX_ANNOTATIONS_PER_AUTHOR = 200;

export type AnnotationResult =
  | { ok: true; id: string; journalId: number }
  | { ok: false; code: "forbidden" | "not-found" | "invalid"; message: string };
export type AnnotationListener = (id: string, record: AnnotationRecord | null) => void;

/** What the book needs to keep its notes durable: each change and its journal entry in one transaction. */
export interface AnnotationStore {
  loadAnnotations<T>(plant: string): T[];
  recordAnnotation(plant: string, id: string, record: object | null, entry: NewJournalEntry): number;
}

export class AnnotationBook {
  readonly items = new Map<string, AnnotationRecord>();
  private readonly listeners = new Set<AnnotationListener>();
  private seq = 0;

  constructor(
    readonly plant: string,
    private readonly store: AnnotationStore,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {
    for (const a of store.loadAnnotations<AnnotationRecord>(plant)) this.items.set(a.id, a);
    this.journal = new PlantJournal(plant, now);
  }
  private readonly journal: PlantJournal;

  subscribe(l: AnnotationListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(id: string, rec: AnnotationRecord | null): void {
    for (const l of this.listeners) l(id, rec);
  }

  private entry(
    kind: string,
    actor: Actor,
    rec: AnnotationRecord,
    data: Record<string, unknown> = {},
  ): NewJournalEntry {
    return this.journal.acted(kind, actor, rec.id, { twin: rec.twin, kind: rec.kind, ...data });
  }

  create(
    actor: Actor & { color: string },
    input: Omit<AnnotationRecord, "id" | "author" | "authorSeat" | "color" | "createdAt" | "updatedAt" | "status">,
  ): AnnotationResult {
    if (!can(actor.role, "annotate"))
      return { ok: false, code: "forbidden", message: `${aRole(actor.role)} cannot annotate.` };
    if (this.items.size >= MAX_ANNOTATIONS)
      return {
        ok: false,
        code: "invalid",
        message: `This plant already has ${MAX_ANNOTATIONS} annotations; delete some before adding more.`,
      };
    let mine = 0;
    for (const a of this.items.values()) if (a.author === actor.name) mine++;
    if (mine >= MAX_ANNOTATIONS_PER_AUTHOR)
      return {
        ok: false,
        code: "invalid",
        message: `You already have ${MAX_ANNOTATIONS_PER_AUTHOR} annotations here; delete some of yours first.`,
      };
    const at = this.now();
    const rec: AnnotationRecord = {
      ...input,
      id: `${this.newId()}${(this.seq++).toString(36)}`,
      author: actor.name,
      authorSeat: actor.seat,
      color: actor.color,
      createdAt: at,
      updatedAt: at,
      status: "open",
    };
    const journalId = this.store.recordAnnotation(
      this.plant,
      rec.id,
      rec,
      this.entry("annotation.create", actor, rec, { text: rec.text }),
    );
    this.items.set(rec.id, rec);
    this.emit(rec.id, rec);
    return { ok: true, id: rec.id, journalId };
  }

  /** A change another process of the cluster stored (server/store/SharedJournal.ts). */
  adopt(id: string, record: AnnotationRecord | null): void {
    if (record) this.items.set(id, record);
    else if (!this.items.delete(id)) return;
    this.emit(id, record);
  }

  private mayChange(actor: Actor, rec: AnnotationRecord): boolean {
    return (rec.authorSeat === actor.seat || rec.author === actor.name) && can(actor.role, "annotate")
      ? true
      : can(actor.role, "present");
  }

  update(
    actor: Actor,
    id: string,
    change: { text?: string | undefined; status?: "open" | "resolved" | undefined },
  ): AnnotationResult {
    const rec = this.items.get(id);
    if (!rec) return { ok: false, code: "not-found", message: "That annotation no longer exists." };
    if (!this.mayChange(actor, rec))
      return { ok: false, code: "forbidden", message: "Only its author or an expert can change this annotation." };
    const next: AnnotationRecord = {
      ...rec,
      ...(change.text !== undefined ? { text: change.text } : {}),
      ...(change.status ? { status: change.status } : {}),
      updatedAt: this.now(),
    };
    const kind =
      change.status === "resolved"
        ? "annotation.resolve"
        : change.status === "open"
          ? "annotation.reopen"
          : "annotation.edit";
    const journalId = this.store.recordAnnotation(this.plant, id, next, this.entry(kind, actor, next, change));
    this.items.set(id, next);
    this.emit(id, next);
    return { ok: true, id, journalId };
  }

  delete(actor: Actor, id: string): AnnotationResult {
    const rec = this.items.get(id);
    if (!rec) return { ok: false, code: "not-found", message: "That annotation no longer exists." };
    if (!this.mayChange(actor, rec))
      return { ok: false, code: "forbidden", message: "Only its author or an expert can delete this annotation." };
    const journalId = this.store.recordAnnotation(
      this.plant,
      id,
      null,
      this.entry("annotation.delete", actor, rec, { text: rec.text }),
    );
    this.items.delete(id);
    this.emit(id, null);
    return { ok: true, id, journalId };
  }
}
