/** Every mesh the scene can hold, by key ("<Type>" or "<Type>.<piece>", "env.<piece>"), and the parts that make it. */
import type { Part } from "./materials.ts";
import { columnParts, unitSlab } from "./parts/building.ts";
import { capperParts } from "./parts/capper.ts";
import { chillerParts } from "./parts/chiller.ts";
import { compressorParts } from "./parts/compressor.ts";
import { conveyorBedParts, conveyorDriveParts, conveyorEndParts, conveyorLegParts } from "./parts/conveyor.ts";
import { fillerParts } from "./parts/filler.ts";
import { genericParts } from "./parts/generic.ts";
import { heatExchangerParts } from "./parts/heatExchanger.ts";
import { labelerParts } from "./parts/labeler.ts";
import { palletizerParts } from "./parts/palletizer.ts";
import { pipeElbowParts, pipeFlangeParts, pipeSegmentParts, pipeSupportParts } from "./parts/pipe.ts";
import { pumpParts } from "./parts/pump.ts";
import { tankParts } from "./parts/tank.ts";
import { valveParts } from "./parts/valve.ts";
import { box } from "./primitives.ts";

export const MESH_PARTS: Record<string, () => Part[]> = {
  Tank: tankParts,
  Pump: pumpParts,
  Valve: valveParts,
  HeatExchanger: heatExchangerParts,
  Filler: fillerParts,
  Capper: capperParts,
  Labeler: labelerParts,
  Palletizer: palletizerParts,
  Compressor: compressorParts,
  Chiller: chillerParts,
  Generic: genericParts,
  "Conveyor.bed": conveyorBedParts,
  "Conveyor.leg": conveyorLegParts,
  "Conveyor.drive": conveyorDriveParts,
  "Conveyor.end": conveyorEndParts,
  "Pipe.segment": pipeSegmentParts("steel"),
  "Pipe.elbow": pipeElbowParts("steel"),
  "Pipe.flange": pipeFlangeParts,
  "Pipe.support": pipeSupportParts,
  "Utility.segment": pipeSegmentParts("green"),
  "Utility.elbow": pipeElbowParts("green"),
  "env.floor": unitSlab("concrete", 0, 0.2),
  "env.zone0": unitSlab("zone0", 0.01, 0.01),
  "env.zone1": unitSlab("zone1", 0.01, 0.01),
  "env.zone2": unitSlab("zone2", 0.01, 0.01),
  "env.zone3": unitSlab("zone3", 0.01, 0.01),
  "env.line": unitSlab("safety", 0.016, 0.014),
  "env.walkway": unitSlab("walkway", 0.01, 0.01),
  "env.column": columnParts,
  "env.beam": () => [["dark", box(1, 1, 1)]],
};

// ---------------------------------------------------------------------------
// Per-type placement knowledge: footprint (for routing decorative pipes) and ports.
