/**
 * The plant's controllers, what keeps it running for ever without draining or overflowing: tank level and
 * supply control, pump run and speed decisions, valve controllers, and the valve actuators that follow them.
 */
import { BOWL_L, BOWL_SP, PASTEURISE_SP, clamp, lagK } from "./plantConstants.ts";
import { tankLevel, type SimPlant } from "./simModel.ts";

/** Level, run and valve controllers: what keeps the plant running for ever without draining or overflowing. */
export function stepControl(plant: SimPlant, dt: number): void {
  for (const tk of plant.tanks.values()) {
    const lvl = tankLevel(tk);
    // Transfer pumps fill a tank from 50 % to 80 % and then rest (hysteresis: no short-cycling).
    if (lvl < 50) tk.demand = true;
    else if (lvl > 80) tk.demand = false;
    // Pumps drawing from a tank stop below 10 % so they never run dry.
    if (lvl < 10) tk.drawOk = false;
    else if (lvl > 15) tk.drawOk = true;
    if (tk.supply === "makeup") {
      // Mains makeup valve: proportional level control around 65 %.
      tk.supplyFlow = clamp(((65 - lvl) * tk.cap) / 4000, 0, tk.cap / 400);
    } else if (tk.supply === "delivery") {
      // A tanker delivery starts when the tank is low and tops it up to 80 %.
      if (lvl < 35) tk.delivering = true;
      else if (lvl > 80) tk.delivering = false;
      tk.supplyFlow = tk.delivering ? tk.cap / 400 : 0;
    } else tk.supplyFlow = 0;
  }
  for (const p of plant.pumps.values()) {
    const srcOk = !p.src || p.src.drawOk;
    if (p.role === "transfer") {
      p.on = srcOk && p.dests.some((d) => d.demand);
      p.speedCmd = 1;
    } else if (p.role === "feed") {
      // Filler feed: speed holds the filler bowl at 60 % (feed-forward on the filler's draw + P on the error).
      let draw = 0;
      let err = 0;
      for (const f of p.fillers) {
        draw += (f.out * f.fill) / 1000;
        err += BOWL_SP - (100 * f.bowl) / BOWL_L;
      }
      const sp = clamp(draw / p.nominal + 0.05 * (err / p.fillers.length), 0, 1);
      p.on = srcOk && (p.on ? sp > 0.02 : sp > 0.06);
      p.speedCmd = sp;
    } else {
      // Circulation loops (hot water, CIP return to its own tank) run continuously.
      p.on = srcOk;
      p.speedCmd = 1;
    }
  }
  for (const v of plant.valves.values()) {
    switch (v.role) {
      case "route":
        // Routing valve after a split: open while its tank asks for product.
        v.ctrl = v.routeTank!.demand ? 100 : 0;
        break;
      case "onoff":
        // Line valves open with their pump (open on start, close on stop).
        v.ctrl = v.pump!.on ? 100 : 0;
        break;
      case "dose":
        // Dosing valve: the ratio controller re-trims every 30 s while its pump runs.
        if (v.pump!.on && plant.t >= v.nextTrim) {
          v.ctrl = 25 + Math.round(10 * plant.rand());
          v.nextTrim = plant.t + 30_000;
        }
        break;
      case "temp": {
        // Integral temperature control of the heated exchanger's product outlet (clamped, 5 % minimum opening).
        const err = PASTEURISE_SP - v.hx!.pOut;
        v.integ = clamp(v.integ + clamp(0.3 * err * dt, -2, 2), 5, 100);
        v.ctrl = Math.round(v.integ);
        break;
      }
      case "fixed":
        v.ctrl = 100;
        break;
    }
    let cmd = v.ctrl;
    // Stuck valve: the positioner no longer moves it. The controller's partial-stroke check moves the command
    // 30 % away one second after the fault, so position and command visibly disagree.
    if (v.stuck && plant.t - v.stuck.since >= 1000) cmd = v.stuck.cmd;
    if (cmd !== v.cmd) v.cycles++;
    v.cmd = cmd;
  }
}

export function stepValves(plant: SimPlant, dt: number): void {
  for (const v of plant.valves.values()) {
    if (v.stuck) continue; // frozen where it stuck
    v.pos += (v.cmd - v.pos) * lagK(dt, 1.5); // actuator + positioner: first-order, ~5 s to 95 %
    if (Math.abs(v.cmd - v.pos) < 0.05) v.pos = v.cmd;
  }
}
