/**
 * "What if…" in the asset inspector (docs/WHAT-IF.md): pick one of the asset's points the plant's process model can
 * change, a new value and how far ahead to look, and ask the room; below, every what-if in the room with what it
 * predicts, to compare or remove, and a "Look ahead" slider that moves the dashed ghost values and chart lines.
 * The server predicts; the panel only asks and shows (room state `whatIfs`). Operators and up may ask.
 */
import { can } from "../../shared/permissions.ts";
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import { processLinks, type ProcessLink } from "../../shared/processModel.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import type { WhatIfState } from "../../shared/whatIfState.ts";
import { byId, el } from "./dom.ts";
import type { WhatIfGhosts } from "./Inspector.ts";
import type { PredictedLine } from "./whatIfGhost.ts";
import { askFor, changesFor, type WhatIfAsk, type WhatIfChange } from "./whatIfChanges.ts";
import { inputsOf, movesOf, pointDef, rangeOf, WHATIF_HORIZONS_MIN } from "./whatIfInputs.ts";
import { ghostText, valueAhead, whatIfLimitText, whatIfTitle } from "./whatIfWords.ts";
import "./whatIf.css";

export interface WhatIfActions {
  create(ask: WhatIfAsk): Promise<void>;
  remove(id: string): Promise<void>;
  /** The charts should be drawn again (a what-if came or went, or the look-ahead moved). */
  redraw(): void;
  /** Select an asset the what-if moves (the page's own selection), to see its ghost values. */
  select(twin: string): void;
}

export class WhatIfPanel implements WhatIfGhosts {
  private readonly root = el("section", "whatif");
  private readonly form = el("form", "whatif-form");
  private readonly changeSel = el("select");
  private readonly pointSel = el("select");
  private readonly toWord = el("span", "", "to");
  private changes: WhatIfChange[] = [];
  private readonly valueIn = el("input");
  private readonly horizonSel = el("select");
  private readonly go = el("button", "", "Predict");
  private readonly hint = el("p", "small muted");
  private readonly error = el("p", "small error");
  private readonly aheadIn = el("input");
  private readonly aheadOut = el("output");
  private readonly list = el("ul", "whatif-list");
  private readonly links: ProcessLink[];
  private twin: string | null = null;
  private state: PlantRoomState | null = null;
  private role = "viewer";
  /** The what-if drawn as the ghost (the newest unless someone picked another in the list). */
  private shown: string | null = null;
  private aheadS = 600;
  private signature = "";
  private busy = false;

  constructor(
    private readonly model: PlantModel,
    private readonly actions: WhatIfActions,
  ) {
    this.links = processLinks(model.relationships);
    this.root.id = "whatif";
    this.root.setAttribute("aria-label", "What if");
    this.changeSel.id = "whatif-change";
    this.changeSel.setAttribute("aria-label", "Change");
    this.changeSel.addEventListener("change", () => this.refreshChange());
    this.pointSel.id = "whatif-point";
    this.pointSel.setAttribute("aria-label", "Point to change");
    this.valueIn.id = "whatif-value";
    this.valueIn.type = "number";
    this.valueIn.step = "any";
    this.valueIn.required = true;
    this.valueIn.setAttribute("aria-label", "New value");
    this.horizonSel.id = "whatif-horizon";
    this.horizonSel.setAttribute("aria-label", "Look ahead for");
    for (const m of WHATIF_HORIZONS_MIN)
      this.horizonSel.append(new Option(`${m} min`, String(m * 60), m === 10, m === 10));
    this.go.type = "submit";
    this.go.id = "whatif-go";
    this.form.append(this.changeSel, this.pointSel, this.toWord, this.valueIn, this.horizonSel, this.go);
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.pointSel.addEventListener("change", () => this.refreshHint());
    this.aheadIn.type = "range";
    this.aheadIn.id = "whatif-ahead";
    this.aheadIn.min = "0";
    this.aheadIn.step = "10";
    this.aheadIn.setAttribute("aria-label", "Look ahead");
    this.aheadIn.addEventListener("input", () => {
      this.aheadS = Number(this.aheadIn.value);
      this.refreshAhead();
      this.actions.redraw();
    });
    const slider = el("label", "whatif-slider small");
    slider.append("Look ahead ", this.aheadIn, this.aheadOut);
    this.list.id = "whatif-list";
    this.root.append(el("h3", "", "What if…"), this.form, this.hint, this.error, slider, this.list);
    byId("inspector").appendChild(this.root);
  }

  /** The asset shown in the inspector changed. */
  show(twin: string | null): void {
    this.twin = twin;
    this.error.textContent = "";
    const inputs = twin ? this.inputsOf(twin) : [];
    this.pointSel.replaceChildren(...inputs.map((p) => new Option(p.displayName, p.name)));
    this.changes = twin ? changesFor(this.links, twin) : [];
    this.changeSel.replaceChildren(...this.changes.map((c) => new Option(c.label, c.id)));
    this.refreshChange();
    this.refreshForm();
  }

  update(state: PlantRoomState, role: string): void {
    this.state = state;
    this.role = role;
    this.refreshForm();
    const sig = [...state.whatIfs.values()].map((w) => w.id).join(",");
    if (sig === this.signature) return;
    this.signature = sig;
    const ids = [...state.whatIfs.keys()];
    if (!this.shown || !state.whatIfs.has(this.shown)) this.shown = ids.at(-1) ?? null;
    const shown = this.shown ? state.whatIfs.get(this.shown) : undefined;
    if (shown) this.aheadS = shown.horizonS;
    this.renderList();
    this.refreshAhead();
    this.actions.redraw();
  }

  line(twin: string, point: string): PredictedLine | undefined {
    const w = this.current();
    const s = w?.series.get(`${twin}/${point}`);
    if (!w || !s) return undefined;
    return { from: w.from, stepMs: w.stepS * 1000, values: [...s.values], until: w.from + this.aheadS * 1000 };
  }

  text(twin: string, def: PointDef): string {
    const w = this.current();
    const s = w?.series.get(`${twin}/${def.name}`);
    if (!w || !s) return "";
    return ghostText(def, valueAhead(s, w.stepS, this.aheadS), this.aheadS);
  }

  private current(): WhatIfState | undefined {
    return this.shown ? this.state?.whatIfs.get(this.shown) : undefined;
  }

  private inputsOf(twin: string): PointDef[] {
    return inputsOf(this.model, this.links, twin);
  }

  private change(): WhatIfChange | undefined {
    return this.changes.find((c) => c.id === this.changeSel.value);
  }

  /** Show the point and number fields the chosen change needs, with what the number means. */
  private refreshChange(): void {
    const c = this.change();
    this.pointSel.hidden = !c?.needsPoint;
    this.valueIn.hidden = c?.number === null;
    this.toWord.hidden = c?.number !== "value";
    this.valueIn.required = c?.number === "value" || c?.number === "per minute";
    this.valueIn.placeholder =
      c?.number === "optional value" ? "where it is now" : c?.number === "per minute" ? "per minute" : "";
    this.valueIn.setAttribute("aria-label", c?.number === "per minute" ? "Drift per minute" : "New value");
    this.refreshHint();
  }

  private refreshHint(): void {
    const r = this.twin ? rangeOf(this.links, this.twin, this.pointSel.value) : null;
    if (!this.twin || this.pointSel.options.length === 0) {
      this.hint.textContent = "The plant's process model has nothing to change on this asset.";
      return;
    }
    const c = this.change();
    if (c?.acts) {
      const follow = movesOf(this.links, this.twin, c.acts.point).join(", ");
      this.hint.textContent = `As the model sees it: ${this.twin} ${c.acts.point} ${c.acts.how}; moves ${follow}. Nothing is sent to the plant.`;
      return;
    }
    const def = this.inputsOf(this.twin).find((p) => p.name === this.pointSel.value);
    const unit = def?.symbol ? ` ${def.symbol}` : "";
    if (r) {
      // A value must lie in the links' range; a drift per minute is a rate (it may be negative), not a value.
      if (c?.number === "per minute") {
        this.valueIn.removeAttribute("min");
        this.valueIn.removeAttribute("max");
      } else {
        this.valueIn.min = String(r[0]);
        this.valueIn.max = String(r[1]);
      }
      const follow = movesOf(this.links, this.twin, this.pointSel.value).join(", ");
      this.hint.textContent = `Between ${r[0]} and ${r[1]}${unit}; moves ${follow}. Nothing is sent to the plant.`;
    }
  }

  private refreshForm(): void {
    const allowed = can(this.role, "whatIf");
    const has = this.pointSel.options.length > 0;
    this.form.hidden = !allowed || !has;
    if (!allowed && has) this.hint.textContent = "Operators and up can ask what if.";
    else this.refreshHint();
    this.go.disabled = this.busy;
  }

  private async submit(): Promise<void> {
    const change = this.change();
    if (!this.twin || !change || this.busy) return;
    const ask = askFor(change, this.twin, this.pointSel.value, this.valueIn.value, Number(this.horizonSel.value));
    if (typeof ask === "string") {
      this.error.textContent = ask;
      return;
    }
    this.busy = true;
    this.error.textContent = "";
    this.refreshForm();
    try {
      await this.actions.create(ask);
      this.shown = null; // the newest (this one) is drawn once it arrives
      this.signature = "";
    } catch (e) {
      this.error.textContent = (e as Error).message;
    } finally {
      this.busy = false;
      this.refreshForm();
    }
  }

  private refreshAhead(): void {
    const w = this.current();
    this.aheadIn.max = String(w?.horizonS ?? 600);
    this.aheadIn.value = String(this.aheadS);
    this.aheadIn.disabled = !w;
    this.aheadOut.textContent = w ? ` +${Math.round(this.aheadS / 60)} min` : "";
    if (this.state) this.renderList();
  }

  private renderList(): void {
    const ws = this.state ? [...this.state.whatIfs.values()] : [];
    this.list.replaceChildren(
      ...ws.map((w) => {
        const li = el("li", w.id === this.shown ? "shown" : "");
        li.dataset["id"] = w.id;
        const title = el("button", "whatif-title", whatIfTitle(w, this.def(w.twin, w.point)));
        title.type = "button";
        title.title = "Draw this what-if beside the live values";
        title.addEventListener("click", () => {
          this.shown = w.id;
          this.aheadS = Math.min(this.aheadS, w.horizonS);
          this.refreshAhead();
          this.actions.redraw();
        });
        const lines = el("ul", "small");
        for (const s of w.series.values()) {
          if (s.twin === w.twin && s.point === w.point) continue;
          const def = this.def(s.twin, s.point);
          const limit = whatIfLimitText(s, def);
          const v = valueAhead(s, w.stepS, this.aheadS);
          const at = ghostText(def, v, this.aheadS).replace(/^→ /, "");
          const item = el("li", limit ? "limit" : "");
          const go = el("button", "whatif-asset", `${s.twin} ${def?.displayName ?? s.point}`);
          go.type = "button";
          go.title = `Show ${s.twin} with its predicted values`;
          go.addEventListener("click", () => this.actions.select(s.twin));
          item.append(go, `: ${at}${limit ? ` · ${limit}` : ""}`);
          lines.append(item);
        }
        li.append(title, lines);
        if (can(this.role, "whatIf")) {
          const rm = el("button", "whatif-remove", "Remove");
          rm.type = "button";
          rm.addEventListener("click", () => void this.actions.remove(w.id).catch(() => {}));
          li.append(rm);
        }
        return li;
      }),
    );
  }

  private def(twin: string, point: string): PointDef | undefined {
    return pointDef(this.model, twin, point);
  }
}
