// The same org given N times to one page (one worker), with the worker's phase line of each
// answer: the first answer of a worker against the next ones, which shows what its start costs
// (the worker warms up on the demo org for that: see `WarmUp` in src/app/worker.rs).
//
//   node tests/e2e/repeat.mjs [--org DIR] [--runs 3] [--dist dist]
//
// DIR defaults to the org tests/e2e/bench.mjs generates (100k users, seed 7); run that first.
// Prints the warm-up line, then per run the time from giving the files to the worker's line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, dist, option } from './harness.mjs';

const orgDir = option('org', path.join(os.tmpdir(), 'syncplan-bench-100000-7'));
const runs = Number(option('runs', '3'));
const distDir = path.resolve(option('dist', dist));
if (!fs.existsSync(orgDir)) {
  console.error(`repeat: no org at ${orgDir} (run node tests/e2e/bench.mjs first, or give --org)`);
  process.exit(2);
}
const files = fs.readdirSync(orgDir).sort().map((n) => path.join(orgDir, n));
const server = await serve(distDir);
const browser = await launch();
try {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  const lines = [];
  const warmUps = new Set();
  let ready;
  const readyP = new Promise((r) => { ready = r; });
  const onConsole = (msg) => {
    const t = msg.text();
    if (t === 'syncplan worker: ready') ready();
    // The same line may come through the page and through the worker.
    else if (t.startsWith('syncplan worker: warm-up') && !warmUps.has(t)) { warmUps.add(t); console.log(t); }
    else if (t.startsWith('syncplan worker:') && t.includes(' read ')) lines.push(t);
  };
  page.on('console', onConsole);
  page.on('worker', (w) => w.on?.('console', onConsole));
  await page.goto(server.origin + '/');
  await page.waitForSelector('#file-input', { state: 'attached' });
  await Promise.race([readyP, new Promise((r) => setTimeout(r, 30000))]);
  for (let i = 0; i < runs; i++) {
    const before = lines.length;
    const t0 = Date.now();
    await page.setInputFiles('#file-input', files);
    for (let w = 0; lines.length === before; w++) {
      if (w > 6000) throw new Error(`run ${i}: no answer within 120 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    console.log(`run ${i}: ${Date.now() - t0} ms  ${lines[lines.length - 1]}`);
    // The lookups and the search index follow the answer.
    await new Promise((r) => setTimeout(r, 1500));
  }
} finally {
  await browser.close();
  await server.close();
}
