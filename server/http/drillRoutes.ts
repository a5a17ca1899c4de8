/**
 * GET /api/plants/<plant>/drill-scores: every trainee's drill scores on a plant, newest first (docs/TRAINING.md),
 * for people who may view the plant. A drill's sandbox id answers with its plant's scores.
 */
import type { Application } from "express";
import { basePlantOf } from "../../shared/drill.ts";
import type { DrillScoresReply } from "../../shared/drillState.ts";
import { PlantId } from "../../shared/protocol.ts";
import type { SignInGate } from "../auth/SignInGate.ts";
import { allowed } from "../auth/httpGuard.ts";
import type { DrillScoreStore } from "../store/DrillScoreStore.ts";

export function installDrillRoutes(app: Application, deps: { scores: DrillScoreStore; gate: SignInGate }): void {
  app.get("/api/plants/:id/drill-scores", async (req, res) => {
    const id = PlantId.safeParse(req.params["id"]);
    if (!id.success) return void res.status(400).json({ error: "A plant id is lowercase letters, digits and dashes." });
    if (!(await allowed(deps.gate, req, res, id.data, "view"))) return;
    const reply: DrillScoresReply = { scores: deps.scores.recent(basePlantOf(id.data)) };
    res.json(reply);
  });
}
