// Bundle budget: the raw, gzip and brotli sizes of the built app's wasm and JS.
//
//   node tests/e2e/bundle-size.mjs [dist-dir]     (default: dist/, built by ./dev build)
//
// Prints one stable table (sizes in bytes, and KB = 1000 bytes for the total), and exits 1
// when the app bundle (wasm + JS, brotli) is over the 520 KB budget.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { dist as defaultDist } from './harness.mjs';

const BUDGET_BROTLI = 520_000;
const dir = path.resolve(process.argv[2] ?? defaultDist);
if (!fs.existsSync(dir)) {
  console.error(`${dir} is missing: build the app first (./dev build)`);
  process.exit(2);
}

const files = fs.readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => /\.(wasm|js|mjs)$/.test(f))
  .sort();
const rows = files.map((f) => {
  const bytes = fs.readFileSync(path.join(dir, f));
  const gzip = zlib.gzipSync(bytes, { level: 9 }).length;
  const brotli = zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
  return { file: f, raw: bytes.length, gzip, brotli };
});
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 });

const width = Math.max(5, ...rows.map((r) => r.file.length));
const line = (name, r) => `${name.padEnd(width)} ${String(r.raw).padStart(10)} ${String(r.gzip).padStart(10)} ${String(r.brotli).padStart(10)}`;
console.log(`${'file'.padEnd(width)} ${'raw_B'.padStart(10)} ${'gzip_B'.padStart(10)} ${'brotli_B'.padStart(10)}`);
for (const r of rows) console.log(line(r.file, r));
console.log(line('total', total));
const kb = (n) => (n / 1000).toFixed(1);
const ok = total.brotli <= BUDGET_BROTLI;
console.log(`app bundle (wasm + JS): ${kb(total.raw)} KB raw, ${kb(total.gzip)} KB gzip, ${kb(total.brotli)} KB brotli; `
  + `budget ${kb(BUDGET_BROTLI)} KB brotli: ${ok ? 'within' : 'OVER'}`);
process.exit(ok ? 0 : 1);
