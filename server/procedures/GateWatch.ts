/**
 * The current step's gate on the live twin: a one-instance RuleEngine over the gate compiled as a rule, evaluated
 * on plant time like every rule, so "dischargePressure < 1 for 10s" means ten seconds of the plant's own samples.
 * Its "for" timer starts when the step comes up: a gate must be seen to hold while the person is on the step.
 * Pure: reads the twin, keeps no clock.
 */
import type { PlantModel } from "../../shared/plant.ts";
import type { PlantTwin } from "../twin/PlantTwin.ts";
import { RuleEngine, formatPointValue } from "../rules/index.ts";
import type { ProcedureStep } from "./loadProcedures.ts";

export class GateWatch {
  private readonly engine: RuleEngine | null;

  constructor(
    private readonly step: ProcedureStep,
    private readonly twin: PlantTwin,
    model: PlantModel,
  ) {
    this.engine = step.gateRule ? new RuleEngine([step.gateRule], twin, model) : null;
  }

  /** Evaluate at plant time `now` (the twin's newest source timestamp). */
  evaluate(now: number): void {
    this.engine?.evaluate(now);
  }

  /** True when the step has no gate, or its gate held at the last evaluation (for its whole "for" duration). */
  holds(): boolean {
    return this.engine === null || this.engine.active().length > 0;
  }

  /** The gate's points now with their units, for the panel and the refusal sentence ("" without a gate). */
  describe(): string {
    if (!this.engine) return "";
    const values = this.engine.valuesOf("gate", this.step.asset);
    return Object.entries(values)
      .map(([name, v]) => {
        // A related twin's point is "P101/running"; the step's own asset's is bare.
        const slash = name.indexOf("/");
        const [tw, pt] = slash < 0 ? [this.step.asset, name] : [name.slice(0, slash), name.slice(slash + 1)];
        const i = this.twin.indexOf(tw, pt);
        return `${name} ${i === undefined ? String(v) : formatPointValue(this.twin.points[i]!.def, v)}`;
      })
      .join(", ");
  }
}
