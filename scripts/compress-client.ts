/**
 * After `vite build`: write brotli and gzip siblings of the client's text assets (JS, CSS, HTML, JSON, SVG, WASM),
 * which server/http/precompressed.ts serves to browsers that accept them. Prints what it saved.
 * Usage: tsx scripts/compress-client.ts [dir=dist/client]
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const dir = path.resolve(process.argv[2] ?? "dist/client");
const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|wasm)$/;

function* files(d: string): Generator<string> {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (COMPRESSIBLE.test(e.name)) yield p;
  }
}

if (!fs.existsSync(dir)) {
  console.error(`compress-client: ${dir} does not exist; run "npm run build" first.`);
  process.exit(1);
}
let raw = 0;
let br = 0;
let n = 0;
for (const f of files(dir)) {
  const data = fs.readFileSync(f);
  // Tiny files are not worth a second request path; brotli at quality 9 is within ~2% of 11 at a fraction of the time.
  if (data.byteLength < 1024) continue;
  const b = zlib.brotliCompressSync(data, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.byteLength },
  });
  fs.writeFileSync(`${f}.br`, b);
  fs.writeFileSync(`${f}.gz`, zlib.gzipSync(data, { level: 9 }));
  raw += data.byteLength;
  br += b.byteLength;
  n++;
}
console.log(
  `compress-client: ${n} files, ${(raw / 1e6).toFixed(2)} MB -> ${(br / 1e6).toFixed(2)} MB brotli (${((100 * br) / raw).toFixed(0)} %)`,
);
