/**
 * GET /api/plants/<plant>/drill-scores: drill scores on a plant, newest first (docs/TRAINING.md). Whoever may run
 * drills (the instructor's role) gets everyone's; anyone else who may view the plant gets their own only: a score
 * is about one person. A drill's sandbox id answers with its plant's scores.
 */
import type { Application } from "express";
import { basePlantOf } from "../../shared/drill.ts";
import type { DrillScoresReply } from "../../shared/drillState.ts";
import { can } from "../../shared/permissions.ts";
import { PlantId } from "../../shared/protocol.ts";
import type { SignInGate } from "../auth/SignInGate.ts";
import { allowed } from "../auth/httpGuard.ts";
import type { DrillScoreStore } from "../store/DrillScoreStore.ts";

export function installDrillRoutes(app: Application, deps: { scores: DrillScoreStore; gate: SignInGate }): void {
  app.get("/api/plants/:id/drill-scores", async (req, res) => {
    const id = PlantId.safeParse(req.params["id"]);
    if (!id.success) return void res.status(400).json({ error: "A plant id is lowercase letters, digits and dashes." });
    const who = await allowed(deps.gate, req, res, id.data, "view");
    if (!who) return;
    const plant = basePlantOf(id.data);
    const reply: DrillScoresReply = {
      scores: can(who.role, "drill") ? deps.scores.recent(plant) : deps.scores.recentOf(plant, who.user),
    };
    res.json(reply);
  });
}
