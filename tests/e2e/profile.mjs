// Where the worker's time goes: a CPU profile of the engine's Web Worker while the built
// app reads a generated org, with the wasm functions named. Not a test (node --test runs only
// *.test.mjs): a tool for performance work, like bench.mjs.
//
//   node tests/e2e/profile.mjs [--users 100000] [--seed 7] [--out /tmp/worker.cpuprofile] [--match REGEX]
//
// Needs ./dev build first (dist/ and target/wasm32-unknown-unknown/release-web/app.wasm) and the
// org that bench.mjs generates. The release wasm in dist has no function names (wasm-opt drops
// them): the app's wasm is made again from the same cargo output with its names kept
// (wasm-bindgen, then wasm-opt -Os -g) into a copy of dist, whose JavaScript glue must be the
// same as dist's (it is, when dist and target come from the same build).
//
// Prints the busy time and the functions with the most inclusive time (the time spent in them and
// in what they call): self time alone misleads, since wasm-opt inlines most of ingestion and
// planning into the worker's message handler. The .cpuprofile opens in Chromium's DevTools
// (Performance panel) for the call tree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, root, dist, option, workerSession, targetDir } from './harness.mjs';

const users = Number(option('users', '100000'));
const seed = Number(option('seed', '7'));
const out = option('out', path.join(os.tmpdir(), 'syncplan-worker.cpuprofile'));
const match = new RegExp(option('match', 'syncplan|hashbrown|btree|alloc|dlmalloc|serde|sort|fmt'));

const orgDir = path.join(os.tmpdir(), `syncplan-bench-${users}-${seed}`);
if (!fs.existsSync(path.join(orgDir, 'syncplan.json'))) {
  console.error(`no org in ${orgDir}: run node tests/e2e/bench.mjs --users ${users} --seed ${seed} first`);
  process.exit(2);
}
const files = fs.readdirSync(orgDir).sort().map((n) => path.join(orgDir, n));

// 1. A copy of dist with the app's wasm named (the page and the worker run the same one).
const env = { ...process.env, PATH: `${path.join(root, '.tools', 'node_modules', '.bin')}:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-profile-'));
const named = path.join(work, 'dist');
fs.cpSync(dist, named, { recursive: true });
const glue = path.join(work, 'glue');
execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', glue,
  path.join(targetDir, 'wasm32-unknown-unknown', 'release-web', 'app.wasm')], { env, stdio: 'inherit' });
const js = fs.readdirSync(dist).find((f) => /^app-[0-9a-f]+\.js$/.test(f));
if (!js || fs.readFileSync(path.join(glue, 'app.js'), 'utf8') !== fs.readFileSync(path.join(dist, js), 'utf8')) {
  console.error('the app JS in dist and the cargo output differ: run ./dev build again');
  process.exit(2);
}
execFileSync('wasm-opt', ['-Os', '-g', path.join(glue, 'app_bg.wasm'), '-o', path.join(named, js.replace(/\.js$/, '_bg.wasm'))], { env, stdio: 'inherit' });
// The preload's integrity hash is the release wasm's.
const html = path.join(named, 'index.html');
fs.writeFileSync(html, fs.readFileSync(html, 'utf8').replace(/ integrity="[^"]*"/g, ''));

// 2. The org through the app, the worker profiled.
const server = await serve(named);
const browser = await launch();
let failed = false;
try {
  const page = await (await browser.newContext()).newPage();
  let ready;
  const workerReady = new Promise((resolve) => { ready = resolve; });
  const phases = [];
  const onConsole = (msg) => {
    const t = msg.text();
    if (t === 'syncplan worker: ready') ready();
    // The same line may come through the page and through the worker.
    else if (t.startsWith('syncplan worker:') && !phases.includes(t)) phases.push(t);
  };
  page.on('console', onConsole);
  page.on('worker', (w) => w.on?.('console', onConsole));
  await page.goto(server.origin + '/');
  await page.waitForSelector('#file-input', { state: 'attached' });
  await Promise.race([workerReady, new Promise((r) => setTimeout(r, 30000))]);

  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'worker');
  if (!target) throw new Error('no worker');
  const send = await workerSession(cdp, target.targetId, 60000);
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 250 });
  await send('Profiler.start');
  await page.setInputFiles('#file-input', files);
  await page.waitForSelector('#summary', { timeout: 600000 });
  // The lookups follow the report: wait for their line.
  const until = Date.now() + 60000;
  while (!phases.some((p) => p.includes('lookups')) && Date.now() < until) await page.waitForTimeout(200);
  const { profile } = await send('Profiler.stop');
  fs.writeFileSync(out, JSON.stringify(profile));

  // 3. Inclusive time per function (each function counted once per sample).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (nid) => byId.get(nid).callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '') || '(anonymous)';
  const inclusive = new Map();
  let busy = 0;
  profile.samples.forEach((s, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    if (['(idle)', '(program)', '(garbage collector)'].includes(name(s))) return;
    busy += us;
    const seen = new Set();
    for (let n = s; n !== undefined; n = parent.get(n)) {
      const f = name(n);
      if (!seen.has(f)) {
        seen.add(f);
        inclusive.set(f, (inclusive.get(f) ?? 0) + us);
      }
    }
  });
  console.log(phases.join('\n'));
  console.log(`busy ${(busy / 1000).toFixed(0)} ms; inclusive time of the functions matching ${match}:`);
  for (const [f, us] of [...inclusive].filter(([f]) => match.test(f)).sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${f.slice(0, 150)}`);
  }
  console.log(`profile: ${out} (open it in Chromium's DevTools, Performance panel)`);
} catch (e) {
  console.error(`profile: ${e.stack ?? e}`);
  failed = true;
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
