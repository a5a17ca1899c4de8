/** The scene's materials, and a part: geometry in one material. Materials are written in first-use order, so unused ones are not written. */
import type { MaterialDef } from "./glb.ts";
import type { Geometry } from "./primitives.ts";

export const MATERIALS = {
  concrete: { name: "concrete", baseColor: [0.5, 0.5, 0.48, 1], metallic: 0, roughness: 0.95 },
  zone0: { name: "zone.blue", baseColor: [0.4, 0.46, 0.53, 1], metallic: 0, roughness: 0.9 },
  zone1: { name: "zone.beige", baseColor: [0.56, 0.53, 0.47, 1], metallic: 0, roughness: 0.9 },
  zone2: { name: "zone.sand", baseColor: [0.6, 0.5, 0.34, 1], metallic: 0, roughness: 0.9 },
  zone3: { name: "zone.mauve", baseColor: [0.5, 0.42, 0.5, 1], metallic: 0, roughness: 0.9 },
  safety: { name: "safety.yellow", baseColor: [0.95, 0.72, 0.05, 1], metallic: 0, roughness: 0.55 },
  walkway: { name: "walkway.green", baseColor: [0.2, 0.42, 0.28, 1], metallic: 0, roughness: 0.85 },
  steel: { name: "stainless", baseColor: [0.82, 0.84, 0.87, 1], metallic: 0.4, roughness: 0.35 },
  dark: { name: "steel.dark", baseColor: [0.16, 0.17, 0.19, 1], metallic: 0.3, roughness: 0.6 },
  blue: { name: "paint.blue", baseColor: [0.06, 0.25, 0.62, 1], metallic: 0.15, roughness: 0.45 },
  red: { name: "paint.red", baseColor: [0.72, 0.07, 0.05, 1], metallic: 0.1, roughness: 0.45 },
  belt: { name: "belt", baseColor: [0.04, 0.04, 0.045, 1], metallic: 0, roughness: 0.85 },
  white: { name: "machine.white", baseColor: [0.86, 0.87, 0.86, 1], metallic: 0.05, roughness: 0.45 },
  green: { name: "paint.green", baseColor: [0.14, 0.48, 0.32, 1], metallic: 0.1, roughness: 0.5 },
  orange: { name: "paint.orange", baseColor: [0.9, 0.4, 0.07, 1], metallic: 0.1, roughness: 0.5 },
  wood: { name: "wood", baseColor: [0.62, 0.46, 0.27, 1], metallic: 0, roughness: 0.9 },
  grey: { name: "paint.grey", baseColor: [0.5, 0.52, 0.55, 1], metallic: 0.1, roughness: 0.5 },
} satisfies Record<string, MaterialDef>;

export type MatKey = keyof typeof MATERIALS;
export type Part = [MatKey, Geometry];

export const MAT_ORDER = Object.keys(MATERIALS) as MatKey[];
export const ZONE_MATS: MatKey[] = ["zone0", "zone1", "zone2", "zone3"];
