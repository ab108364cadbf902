// Benchmark in the three browsers admins use, one after the other in one run: Chromium
// (playwright-core), Firefox ESR (puppeteer-core) and WebKitGTK (selenium-webdriver), each
// given the generated org through the app's file input. Not a test: a script that prints one
// table, so that runs can be compared.
//
//   node tests/e2e/bench-browsers.mjs [--users 100000] [--seed 7] [--dist DIR] [--edits 3]
//
// Per browser, timings taken in the page (performance.now()), in ms:
//   report   the file input's change event → the counts on screen (reading, parsing, planning in
//            the worker, rendering)
//   what-if  a click on an assignment's Remove button on the Set up screen → the new counts on
//            screen; the median of --edits edits (each edit removes the first Marketing Users
//            assignment, then Undo brings it back, and both are timed)
//   read, plan  of the report, the worker's own timings (the answer's phases, which the page
//            writes on the summary): reading the exports, then planning and making the answer;
//            the rest of report_ms is handing the files over, the answer's trip and rendering
//   rss_MB   the browser's resident memory after the report: every process of the browser
//            (from /proc), the worker's wasm memory included
// The org comes from `syncplan generate` (target/release/syncplan, or $SYNCPLAN_BIN).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, root, dist, option, chromiumDriver, firefoxDriver, webkitDriver, targetDir } from './harness.mjs';

const users = Number(option('users', '100000'));
const seed = Number(option('seed', '7'));
const distDir = path.resolve(option('dist', dist));
const edits = Number(option('edits', '3'));

const bin = process.env.SYNCPLAN_BIN ?? path.join(targetDir, 'release', 'syncplan');
if (!fs.existsSync(bin)) {
  execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'syncplan'], { cwd: root, stdio: 'inherit' });
}
const orgDir = path.join(os.tmpdir(), `syncplan-bench-${users}-${seed}`);
if (!fs.existsSync(path.join(orgDir, 'syncplan.json'))) {
  execFileSync(bin, ['generate', '--users', String(users), '--seed', String(seed), '--out', orgDir], { stdio: 'inherit' });
}
const files = fs.readdirSync(orgDir).sort().map((n) => path.join(orgDir, n));
const inputMB = files.reduce((t, f) => t + fs.statSync(f).size, 0) / 1e6;

// In the page: when the files were given, when counts appeared, when a Remove or Undo was
// clicked, and when the counts next changed.
const HOOK = `(() => {
  const m = (window.__m = { edits: [] });
  const counts = () => {
    const els = [...document.querySelectorAll('#summary [data-action]')];
    if (els.length !== 6 || document.querySelector('section.report.busy')) return null;
    return els.map((e) => e.querySelector('dd').textContent).join(',');
  };
  document.addEventListener('change', (e) => { if (e.target && e.target.id === 'file-input' && m.given === undefined) m.given = performance.now(); }, true);
  document.addEventListener('click', (e) => {
    const b = e.target && e.target.closest && e.target.closest('button');
    if (b && (b.closest('.assignment') || b.id === 'undo')) { m.clicked = performance.now(); m.before = counts(); }
  }, true);
  const seen = () => {
    const c = counts();
    if (c === null) return;
    if (m.given !== undefined && m.report === undefined) {
      m.report = performance.now() - m.given;
      m.phases = document.getElementById('summary')?.dataset.phases ?? '';
    }
    if (m.clicked !== undefined && c !== m.before) { m.edits.push(performance.now() - m.clicked); m.clicked = undefined; }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
})();`;

/** The resident memory (MB) of the processes whose command name starts with one of `names`. */
function rssMb(names) {
  let kb = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!names.some((n) => comm.startsWith(n))) continue;
      const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb / 1024;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };

const server = await serve(distDir);
const rows = [];
const browsers = [
  ['Chromium', chromiumDriver, ['chrom']],
  ['Firefox ESR', firefoxDriver, ['firefox', 'Web Content', 'Isolated Web', 'WebExtensions', 'RDD', 'Socket', 'Privileged']],
  ['WebKitGTK', webkitDriver, ['MiniBrowser', 'WebKitWebProces', 'WebKitNetworkPr', 'WebKitGPUProces']],
];
for (const [name, make, procs] of browsers) {
  let b;
  try {
    b = await make(HOOK);
    await b.goto(`${server.origin}/`);
    await b.waitFor(`!!document.getElementById('file-input')`);
    // The worker warms up on the demo org as the page opens: give the files once it has.
    await new Promise((r) => setTimeout(r, 3000));
    await b.upload('#file-input', files);
    await b.waitFor('window.__m.report !== undefined', 600000);
    const report = await b.eval('window.__m.report');
    const phases = Object.fromEntries(String(await b.eval('window.__m.phases'))
      .split(',').filter(Boolean).map((p) => { const [k, v] = p.split(' '); return [k, Number(v)]; }));
    const rss = rssMb(procs);
    await b.click('#tab-setup');
    const remove = '.assignments[data-set=marketing] .assignment button';
    await b.waitFor(`!!document.querySelector('${remove}')`);
    for (let i = 0; i < edits; i++) {
      const n = 2 * i;
      await b.click(remove);
      await b.waitFor(`window.__m.edits.length > ${n}`, 120000);
      await b.click('#undo');
      await b.waitFor(`window.__m.edits.length > ${n + 1}`, 120000);
    }
    const times = await b.eval('window.__m.edits');
    rows.push([name, report, phases.read ?? NaN, phases.plan ?? NaN, median(times), Math.min(...times), Math.max(...times), rss]);
  } catch (e) {
    rows.push([name, NaN, NaN, NaN, NaN, NaN, NaN, NaN]);
    console.error(`${name}: ${e.message}`);
  } finally {
    await b?.close();
  }
}
await server.close();

const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
console.log(`${users} users, ${inputMB.toFixed(1)} MB of exports, ${edits * 2} what-if edits per browser`);
const cols = ['browser', 'report_ms', 'read_ms', 'plan_ms', 'what-if_ms', 'what-if_min', 'what-if_max', 'rss_MB'];
console.log(cols.map((c) => c.padStart(12)).join(' '));
for (const r of rows) console.log([r[0], ...r.slice(1).map(f)].map((c) => String(c).padStart(12)).join(' '));
