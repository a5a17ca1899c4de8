/**
 * The plant's numbers in one place (so the numbers that keep the demo green are visible), and the two
 * pieces of arithmetic every process unit uses.
 */

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
/** First-order lag factor for a step of dt seconds and time constant tau seconds. */
export const lagK = (dt: number, tau: number): number => 1 - Math.exp(-dt / tau);

export const AMBIENT = 20; // °C, plant hall
export const HOT_WATER = 85; // °C, pasteuriser heating medium
export const PASTEURISE_SP = 78; // °C, HX heating setpoint (75–80 °C product)
export const COLD_TANK = 3; // °C, jacketed tanks downstream of a cooler hold this
export const RATED_RPM = 2900; // 2-pole motor at 50 Hz
export const FILLER_RATED_BPM = 400;
export const FILLER_TARGET_BPM = 360;
export const FILL_ML = 500.3;
export const BOWL_L = 200; // filler product bowl
export const BOWL_SP = 60; // % held by the feed pump's speed
export const CONV_CAP = 150; // bottles a conveyor holds when fully accumulated
export const CONV_TRANSIT_S = 5; // seconds a bottle takes to cross a free-flowing conveyor
export const CONV_MAX_BPS = 12; // bottles/s a belt can discharge
export const MACHINE_MAX_BPS = 10; // capper/labeler mechanical maximum (600 bpm): they follow the line with headroom to catch up
export const PALLETIZER_MAX_BPS = 12;
export const BOTTLES_PER_LAYER = 96;
export const LAYERS_PER_PALLET = 5;
