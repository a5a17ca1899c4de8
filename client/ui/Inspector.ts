/** The asset inspector: every live point of the selected asset with unit, quality and age. */
import type { PlantModel, TwinDef, TypeDef } from "../../shared/plant.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { QUALITY_NAMES, Severity, severityOf } from "../../shared/status.ts";
import { byId, el } from "./dom.ts";
import { formatAge, formatValue } from "./format.ts";

export class Inspector {
  private twin: TwinDef | null = null;
  private type: TypeDef | null = null;
  private cells: {
    v: HTMLTableCellElement;
    q: HTMLTableCellElement;
    age: HTMLTableCellElement;
    row: HTMLTableRowElement;
  }[] = [];
  onClose: () => void = () => {};

  constructor(private readonly model: PlantModel) {
    byId("inspector-close").addEventListener("click", () => this.onClose());
  }

  get current(): string | null {
    return this.twin?.id ?? null;
  }

  show(twinId: string | null): void {
    const panel = byId("inspector");
    const tw = twinId ? this.model.twins.find((t) => t.id === twinId) : undefined;
    if (!tw) {
      this.twin = null;
      panel.hidden = true;
      return;
    }
    this.twin = tw;
    this.type = this.model.types.find((t) => t.id === tw.type) ?? null;
    byId("inspector-title").textContent = `${tw.id} · ${tw.name}`;
    const area = this.model.areas.find((a) => a.id === tw.area)?.name ?? tw.area;
    byId("inspector-sub").textContent = `${this.type?.displayName ?? tw.type} in ${area}`;
    const body = byId("inspector-rows");
    this.cells = (this.type?.points ?? []).map((p) => {
      const row = el("tr");
      row.dataset["point"] = p.name;
      row.appendChild(el("td", "", p.displayName));
      const v = el("td", "v", "—");
      const q = el("td", "", "");
      const age = el("td", "muted", "");
      row.append(v, q, age);
      return { v, q, age, row };
    });
    body.replaceChildren(...this.cells.map((c) => c.row));
    panel.hidden = false;
  }

  update(state: PlantRoomState, now: number): void {
    if (!this.twin || !this.type) return;
    const ts = state.twins.get(this.twin.id);
    if (!ts) return;
    this.type.points.forEach((def, i) => {
      const c = this.cells[i];
      const p = ts.points.get(def.name);
      if (!c || !p) return;
      const has = p.ts > 0;
      c.v.textContent = formatValue(def, p.v, has);
      c.q.textContent = !has ? "no data" : p.stale ? "stale" : (QUALITY_NAMES[p.q] ?? "?");
      c.age.textContent = has ? formatAge(now - p.ts) : "";
      const sev = has ? severityOf(p.v, def.limits) : Severity.NORMAL;
      c.row.className = `s${sev}${p.q === 2 ? " bad" : ""}${p.stale ? " stale" : ""}`;
    });
  }
}
