/**
 * Mesh primitive builders for the procedural plant scene. Every builder
 * returns plain arrays (positions, normals, indices; counter-clockwise front
 * faces, glTF convention) centred on the origin unless stated otherwise, so
 * parts can be transformed and merged into one primitive per material.
 */

export interface Geometry {
  positions: number[];
  normals: number[];
  indices: number[];
}

export type Vec3 = [number, number, number];

export function emptyGeometry(): Geometry {
  return { positions: [], normals: [], indices: [] };
}

export function vertexCount(g: Geometry): number {
  return g.positions.length / 3;
}

export function triangleCount(g: Geometry): number {
  return g.indices.length / 3;
}

/** Appends `src` to `dst` (in place) and returns `dst`. */
export function appendGeometry(dst: Geometry, src: Geometry): Geometry {
  const base = vertexCount(dst);
  for (const v of src.positions) dst.positions.push(v);
  for (const v of src.normals) dst.normals.push(v);
  for (const i of src.indices) dst.indices.push(i + base);
  return dst;
}

export function mergeGeometries(parts: readonly Geometry[]): Geometry {
  const out = emptyGeometry();
  for (const p of parts) appendGeometry(out, p);
  return out;
}

/** Axis-aligned box of size w (x) × h (y) × d (z), centred on the origin, flat normals. */
export function box(w: number, h: number, d: number): Geometry {
  const x = w / 2;
  const y = h / 2;
  const z = d / 2;
  const g = emptyGeometry();
  // Each face: normal, then 4 corners counter-clockwise seen from outside.
  const faces: Array<[Vec3, Vec3[]]> = [
    [
      [1, 0, 0],
      [
        [x, -y, z],
        [x, -y, -z],
        [x, y, -z],
        [x, y, z],
      ],
    ],
    [
      [-1, 0, 0],
      [
        [-x, -y, -z],
        [-x, -y, z],
        [-x, y, z],
        [-x, y, -z],
      ],
    ],
    [
      [0, 1, 0],
      [
        [-x, y, z],
        [x, y, z],
        [x, y, -z],
        [-x, y, -z],
      ],
    ],
    [
      [0, -1, 0],
      [
        [-x, -y, -z],
        [x, -y, -z],
        [x, -y, z],
        [-x, -y, z],
      ],
    ],
    [
      [0, 0, 1],
      [
        [-x, -y, z],
        [x, -y, z],
        [x, y, z],
        [-x, y, z],
      ],
    ],
    [
      [0, 0, -1],
      [
        [x, -y, -z],
        [-x, -y, -z],
        [-x, y, -z],
        [x, y, -z],
      ],
    ],
  ];
  for (const [n, corners] of faces) {
    const base = vertexCount(g);
    for (const c of corners) {
      g.positions.push(c[0], c[1], c[2]);
      g.normals.push(n[0], n[1], n[2]);
    }
    g.indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }
  return g;
}

export interface CylinderOptions {
  /** Radius at y = +height/2 (0 makes a cone). */
  radiusTop: number;
  /** Radius at y = -height/2. */
  radiusBottom: number;
  height: number;
  segments?: number;
  capTop?: boolean;
  capBottom?: boolean;
}

/** Cylinder / truncated cone along +y, centred on the origin, smooth sides, flat caps. */
export function cylinder(opts: CylinderOptions): Geometry {
  const { radiusTop, radiusBottom, height } = opts;
  const n = Math.max(3, opts.segments ?? 24);
  const capTop = opts.capTop ?? true;
  const capBottom = opts.capBottom ?? true;
  const g = emptyGeometry();
  const hy = height / 2;
  // Side normal tilt for cones.
  const slope = (radiusBottom - radiusTop) / height;
  const ny = slope / Math.sqrt(1 + slope * slope);
  const nr = 1 / Math.sqrt(1 + slope * slope);
  for (let i = 0; i <= n; i++) {
    const a = (i / n) * Math.PI * 2;
    const c = Math.cos(a);
    const s = Math.sin(a);
    g.positions.push(radiusBottom * c, -hy, -radiusBottom * s, radiusTop * c, hy, -radiusTop * s);
    g.normals.push(nr * c, ny, -nr * s, nr * c, ny, -nr * s);
  }
  for (let i = 0; i < n; i++) {
    const b0 = i * 2;
    const t0 = b0 + 1;
    const b1 = b0 + 2;
    const t1 = b0 + 3;
    // Angle grows counter-clockwise seen from +y (x → -z), so (b0, b1, t1) faces outwards.
    g.indices.push(b0, b1, t1, b0, t1, t0);
  }
  const cap = (y: number, r: number, up: boolean): void => {
    if (r <= 0) return;
    const centre = vertexCount(g);
    const ny2 = up ? 1 : -1;
    g.positions.push(0, y, 0);
    g.normals.push(0, ny2, 0);
    for (let i = 0; i <= n; i++) {
      const a = (i / n) * Math.PI * 2;
      g.positions.push(r * Math.cos(a), y, -r * Math.sin(a));
      g.normals.push(0, ny2, 0);
    }
    for (let i = 0; i < n; i++) {
      const a = centre + 1 + i;
      if (up) g.indices.push(centre, a, a + 1);
      else g.indices.push(centre, a + 1, a);
    }
  };
  if (capTop) cap(hy, radiusTop, true);
  if (capBottom) cap(-hy, radiusBottom, false);
  return g;
}

/** Convenience: straight cylinder of radius r and height h along +y, centred. */
export function tube(r: number, h: number, segments = 24, caps = true): Geometry {
  return cylinder({ radiusTop: r, radiusBottom: r, height: h, segments, capTop: caps, capBottom: caps });
}

/** Cone along +y with its base at y = -h/2 and apex at +h/2. */
export function cone(r: number, h: number, segments = 24): Geometry {
  return cylinder({ radiusTop: 0, radiusBottom: r, height: h, segments, capTop: false, capBottom: true });
}

/**
 * Dome (ellipsoidal cap) with its base circle of radius r at y = 0 and its apex at y = height.
 * `open` leaves the base open (for heads welded onto a shell).
 */
export function dome(r: number, height: number, segments = 24, rings = 8, open = true): Geometry {
  const g = emptyGeometry();
  for (let j = 0; j <= rings; j++) {
    const phi = (j / rings) * (Math.PI / 2); // 0 at base, π/2 at apex
    const cr = Math.cos(phi);
    const sr = Math.sin(phi);
    for (let i = 0; i <= segments; i++) {
      const a = (i / segments) * Math.PI * 2;
      const c = Math.cos(a);
      const s = Math.sin(a);
      g.positions.push(r * cr * c, height * sr, -r * cr * s);
      // Ellipsoid normal: (x/r², y/h², z/r²) normalised.
      const nx = (cr * c) / r;
      const ny = sr / height;
      const nz = (-cr * s) / r;
      const len = Math.hypot(nx, ny, nz) || 1;
      g.normals.push(nx / len, ny / len, nz / len);
    }
  }
  const row = segments + 1;
  for (let j = 0; j < rings; j++) {
    for (let i = 0; i < segments; i++) {
      const a = j * row + i;
      const b = a + 1;
      const c = a + row;
      const d = c + 1;
      g.indices.push(a, b, d, a, d, c);
    }
  }
  if (!open) {
    const centre = vertexCount(g);
    g.positions.push(0, 0, 0);
    g.normals.push(0, -1, 0);
    for (let i = 0; i <= segments; i++) {
      const a = (i / segments) * Math.PI * 2;
      g.positions.push(r * Math.cos(a), 0, -r * Math.sin(a));
      g.normals.push(0, -1, 0);
    }
    for (let i = 0; i < segments; i++) g.indices.push(centre, centre + 2 + i, centre + 1 + i);
  }
  return g;
}

/** UV sphere of radius r centred on the origin. */
export function sphere(r: number, segments = 16, rings = 8): Geometry {
  const g = emptyGeometry();
  for (let j = 0; j <= rings; j++) {
    const phi = -Math.PI / 2 + (j / rings) * Math.PI;
    const cr = Math.cos(phi);
    const sr = Math.sin(phi);
    for (let i = 0; i <= segments; i++) {
      const a = (i / segments) * Math.PI * 2;
      const nx = cr * Math.cos(a);
      const nz = -cr * Math.sin(a);
      g.positions.push(r * nx, r * sr, r * nz);
      g.normals.push(nx, sr, nz);
    }
  }
  const row = segments + 1;
  for (let j = 0; j < rings; j++) {
    for (let i = 0; i < segments; i++) {
      const a = j * row + i;
      const b = a + 1;
      const c = a + row;
      const d = c + 1;
      g.indices.push(a, b, d, a, d, c);
    }
  }
  return g;
}

/** Torus in the xz plane (axis +y): ring radius R, tube radius r. */
export function torus(R: number, r: number, segments = 24, tubeSegments = 8): Geometry {
  const g = emptyGeometry();
  for (let j = 0; j <= tubeSegments; j++) {
    const v = (j / tubeSegments) * Math.PI * 2;
    const cv = Math.cos(v);
    const sv = Math.sin(v);
    for (let i = 0; i <= segments; i++) {
      const u = (i / segments) * Math.PI * 2;
      const cu = Math.cos(u);
      const su = -Math.sin(u);
      g.positions.push((R + r * cv) * cu, r * sv, (R + r * cv) * su);
      g.normals.push(cv * cu, sv, cv * su);
    }
  }
  const row = segments + 1;
  for (let j = 0; j < tubeSegments; j++) {
    for (let i = 0; i < segments; i++) {
      const a = j * row + i;
      const b = a + 1;
      const c = a + row;
      const d = c + 1;
      g.indices.push(a, b, d, a, d, c);
    }
  }
  return g;
}

// ---------------------------------------------------------------------------
// Transforms. A 3×4 affine matrix in row-major order: [r00 r01 r02 tx, r10 …].

export type Mat34 = [number, number, number, number, number, number, number, number, number, number, number, number];

export function identity(): Mat34 {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];
}

/** Returns a · b (apply b first, then a). */
export function multiply(a: Mat34, b: Mat34): Mat34 {
  const out = identity();
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += a[r * 4 + k]! * b[k * 4 + c]!;
      if (c === 3) v += a[r * 4 + 3]!;
      out[r * 4 + c] = v;
    }
  }
  return out;
}

export function translation(x: number, y: number, z: number): Mat34 {
  return [1, 0, 0, x, 0, 1, 0, y, 0, 0, 1, z];
}

export function scaling(x: number, y: number, z: number): Mat34 {
  return [x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0];
}

export function rotationX(rad: number): Mat34 {
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  return [1, 0, 0, 0, 0, c, -s, 0, 0, s, c, 0];
}

export function rotationY(rad: number): Mat34 {
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  return [c, 0, s, 0, 0, 1, 0, 0, -s, 0, c, 0];
}

export function rotationZ(rad: number): Mat34 {
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  return [c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0];
}

/** Composes transforms left to right in application order: compose(A, B) applies A then B. */
export function compose(...ms: Mat34[]): Mat34 {
  let out = identity();
  for (const m of ms) out = multiply(m, out);
  return out;
}

/** Returns a transformed copy; normals use the inverse transpose, winding flips for mirrors. */
export function transformGeometry(g: Geometry, m: Mat34): Geometry {
  const [a, b, c, , d, e, f, , gg, h, i] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * gg) + c * (d * h - e * gg);
  // The cofactor matrix equals det · (M⁻¹)ᵀ; multiplying by sign(det) keeps normals pointing
  // outwards for mirroring transforms too (normalised below).
  const sg = det < 0 ? -1 : 1;
  const n00 = (e * i - f * h) * sg;
  const n01 = -(d * i - f * gg) * sg;
  const n02 = (d * h - e * gg) * sg;
  const n10 = -(b * i - c * h) * sg;
  const n11 = (a * i - c * gg) * sg;
  const n12 = -(a * h - b * gg) * sg;
  const n20 = (b * f - c * e) * sg;
  const n21 = -(a * f - c * d) * sg;
  const n22 = (a * e - b * d) * sg;
  const out = emptyGeometry();
  for (let k = 0; k < g.positions.length; k += 3) {
    const x = g.positions[k]!;
    const y = g.positions[k + 1]!;
    const z = g.positions[k + 2]!;
    out.positions.push(a * x + b * y + c * z + m[3], d * x + e * y + f * z + m[7], gg * x + h * y + i * z + m[11]);
    const nx = g.normals[k]!;
    const ny = g.normals[k + 1]!;
    const nz = g.normals[k + 2]!;
    const tx = n00 * nx + n01 * ny + n02 * nz;
    const ty = n10 * nx + n11 * ny + n12 * nz;
    const tz = n20 * nx + n21 * ny + n22 * nz;
    const len = Math.hypot(tx, ty, tz) || 1;
    out.normals.push(tx / len, ty / len, tz / len);
  }
  if (det < 0) {
    for (let k = 0; k < g.indices.length; k += 3) out.indices.push(g.indices[k]!, g.indices[k + 2]!, g.indices[k + 1]!);
  } else {
    out.indices.push(...g.indices);
  }
  return out;
}

/** Shorthand: transform by translation (and optional prior transform). */
export function at(g: Geometry, x: number, y: number, z: number, before?: Mat34): Geometry {
  return transformGeometry(g, before ? compose(before, translation(x, y, z)) : translation(x, y, z));
}

/** Box given by its min/max corners (handy for frames and panels). */
export function boxFromTo(x0: number, y0: number, z0: number, x1: number, y1: number, z1: number): Geometry {
  return at(box(Math.abs(x1 - x0), Math.abs(y1 - y0), Math.abs(z1 - z0)), (x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2);
}

/** Cylinder of radius r between two points (any direction). */
export function tubeBetween(p: Vec3, q: Vec3, r: number, segments = 16, caps = true): Geometry {
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const dz = q[2] - p[2];
  const len = Math.hypot(dx, dy, dz);
  const base = at(tube(r, len, segments, caps), 0, len / 2, 0);
  const rot = rotationFromY([dx / len, dy / len, dz / len]);
  return transformGeometry(base, compose(rot, translation(p[0], p[1], p[2])));
}

/** Rotation matrix taking +y onto the unit vector d. */
export function rotationFromY(d: Vec3): Mat34 {
  const q = quatFromY(d);
  return quatToMat(q);
}

/** Quaternion [x, y, z, w] rotating +y onto the unit vector d. */
export function quatFromY(d: Vec3): [number, number, number, number] {
  const dot = d[1];
  if (dot > 1 - 1e-9) return [0, 0, 0, 1];
  if (dot < -1 + 1e-9) return [1, 0, 0, 0];
  // axis = y × d = (dz, 0, -dx)
  const ax = d[2];
  const az = -d[0];
  const s = Math.sqrt((1 + dot) * 2);
  const inv = 1 / s;
  return [ax * inv, 0, az * inv, s / 2];
}

export function quatToMat(q: [number, number, number, number]): Mat34 {
  const [x, y, z, w] = q;
  return [
    1 - 2 * (y * y + z * z),
    2 * (x * y - z * w),
    2 * (x * z + y * w),
    0,
    2 * (x * y + z * w),
    1 - 2 * (x * x + z * z),
    2 * (y * z - x * w),
    0,
    2 * (x * z - y * w),
    2 * (y * z + x * w),
    1 - 2 * (x * x + y * y),
    0,
  ];
}
