// Browser benchmark: the generated 100k-user org through the real file input of the
// built app in headless Chromium, from files to a rendered report, against PapaParse parsing the
// same bytes in the same page. Not a test (node --test runs only *.test.mjs): a script that
// prints one table in a stable format, so that runs can be compared.
//
//   node tests/e2e/bench.mjs [--users 100000] [--seed 7] [--dist DIR] [--papa-runs 3] [--timeout 600]
//                            [--archive-extra-mb N]
//
// With --archive-extra-mb, the org's exports are given as a Data Export zip (User.csv, …) that
// also holds an attachment of N MB syncplan must never read, and the table adds the browser's
// resident memory (every Chromium process, from /proc) so that a whole archive read into memory
// would show.
//
// The org comes from `syncplan generate` (target/release/syncplan, or $SYNCPLAN_BIN); the app
// from DIR (default dist/, built by ./dev build). Timings, in ms, all taken in the page:
//   read    the file input's change event → the request posted to the worker (the page takes
//           the files' handles, unread, and encodes the request)
//   engine  request posted → answer received: in the worker, decoding the request (which reads
//           the files: the page hands the browser's File objects over), parsing every export, planning, encoding the answer (split in a second table by the worker's own
//           clock; the lookups the set-up screen needs follow the answer in a message of their
//           own and are not counted here)
//   render  answer received → #summary in the page, plus one animation frame (decoding the
//           answer and rendering)
//   total   change event → rendered
//   papaparse  TextDecoder + Papa.parse (header: true) over the same CSV bytes, best of N runs
//   ratio   engine / papaparse (below 1: syncplan parses and plans faster than PapaParse parses)
// The files are given once the worker has said it is ready (it starts with the page, fetching
// and compiling its wasm): its start-up is printed apart, not counted in files → report.
// Memory, after the report: the worker's heap (CDP Runtime.getHeapUsage in the worker: its JS
// heap, plus ArrayBuffer backing stores, where the wasm linear memory lives, when Chromium
// reports them; Debian's Chromium 14x does not, so this is the JS heap only), and the page's
// JS heap (CDP Performance.getMetrics JSHeapUsedSize).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { serve, launch, root, dist, option, workerSession, writeZip, targetDir } from './harness.mjs';

const users = Number(option('users', '100000'));
const seed = Number(option('seed', '7'));
const distDir = path.resolve(option('dist', dist));
const papaRuns = Number(option('papa-runs', '3'));
// How long to wait for the report (s); past it, the phases reached so far are printed.
const limit = Number(option('timeout', '600')) * 1000;

// 1. The org, generated natively (deterministic: the same bytes every run).
const bin = process.env.SYNCPLAN_BIN ?? path.join(targetDir, 'release', 'syncplan');
if (!fs.existsSync(bin)) {
  execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'syncplan'], { cwd: root, stdio: 'inherit' });
}
const orgDir = path.join(os.tmpdir(), `syncplan-bench-${users}-${seed}`);
if (!fs.existsSync(path.join(orgDir, 'syncplan.json'))) {
  execFileSync(bin, ['generate', '--users', String(users), '--seed', String(seed), '--out', orgDir], { stdio: 'inherit' });
}
const extraMb = Number(option('archive-extra-mb', '0'));
const names = fs.readdirSync(orgDir).sort();
let files = names.map((n) => path.join(orgDir, n));
if (extraMb > 0) {
  // The exports Data Export writes go into the zip under its object names; the AE users export
  // and the set-up stay beside it (they do not come from Data Export).
  const objects = { 'users.csv': 'User.csv', 'profiles.csv': 'Profile.csv', 'roles.csv': 'UserRole.csv',
    'groups.csv': 'Group.csv', 'group-members.csv': 'GroupMember.csv', 'licenses.csv': 'UserLicense.csv',
    'pardot-tenants.csv': 'PardotTenant.csv' };
  const zip = path.join(os.tmpdir(), `WE_bench_${users}_${seed}_${extraMb}.zip`);
  writeZip(zip, [
    ...names.filter((n) => objects[n]).map((n) => [objects[n], fs.readFileSync(path.join(orgDir, n)), true]),
    ['Attachments/00P000000000001AAA.bin', { size: extraMb * 1024 * 1024, byte: 0x25 }, false],
  ]);
  files = [zip, ...names.filter((n) => !objects[n]).map((n) => path.join(orgDir, n))];
}
/** The resident memory of every Chromium process (MB), from /proc. */
function chromiumRssMb() {
  let kb = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('chrom')) continue;
      const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb / 1024;
}
const bytes = files.reduce((t, f) => t + fs.statSync(f).size, 0);
const csvBytes = names.filter((n) => n.endsWith('.csv')).reduce((t, n) => t + fs.statSync(path.join(orgDir, n)).size, 0);

// Timestamps taken in the page: the change event, the request to the worker, its answer, and
// the report's first frame.
const HOOK = `(() => {
  const marks = (window.__bench = { requests: [] });
  document.addEventListener('change', (e) => {
    if (e.target && e.target.id === 'file-input' && marks.change === undefined) marks.change = performance.now();
  }, true);
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', () => {
        if (marks.posted !== undefined && marks.answered === undefined) marks.answered = performance.now();
      });
    }
    postMessage(...a) {
      if (marks.change !== undefined && marks.posted === undefined) marks.posted = performance.now();
      return super.postMessage(...a);
    }
  };
  const seen = () => {
    if (marks.summary === undefined && document.getElementById('summary')) {
      marks.summary = performance.now();
      requestAnimationFrame(() => { marks.painted = performance.now(); });
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
})();`;

const server = await serve(distDir);
const browser = await launch();
let failed = false;
try {
  // CSP bypassed only so that PapaParse can be injected as an inline script; nothing is fetched.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
  await context.addInitScript({ content: HOOK });
  const page = await context.newPage();
  const foreign = [];
  context.on('request', (r) => { if (!r.url().startsWith(server.origin) && !/^(data|blob):/.test(r.url())) foreign.push(r.url()); });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (msg) => { if (msg.type() === 'error') pageErrors.push(msg.text()); });
  const workers = [];
  // The worker logs where its time went ("syncplan worker: files N ms, read N ms, plan N ms,
  // post N ms, lookups N ms, post N ms"): the first line, the first of each name.
  const phases = {};
  let ready;
  // The worker's warm-up line ("warm-up N ms, 40 rounds, …": it comes before "ready").
  let warmUp = 'no warm-up';
  const workerReady = new Promise((resolve) => { ready = resolve; });
  const onConsole = (msg) => {
    const t = msg.text();
    if (t === 'syncplan worker: ready') ready(performance.now());
    if (t.startsWith('syncplan worker: warm-up')) { warmUp = t.replace('syncplan worker: ', ''); return; }
    if (!t.startsWith('syncplan worker:') || phases.plan !== undefined) return;
    for (const [, name, ms] of t.matchAll(/(\w+) (\d+) ms/g)) if (phases[name] === undefined) phases[name] = Number(ms);
  };
  page.on('console', onConsole);
  page.on('worker', (w) => { workers.push(w); w.on?.('console', onConsole); });
  const loading = performance.now();
  await page.goto(server.origin + '/');
  await page.waitForSelector('#file-input', { state: 'attached' });
  // The worker starts with the page (its wasm is fetched and compiled then, and it warms up on
  // the demo org): files are given once it says it is ready, so that its start-up is not
  // counted in files → report (a user picks files after the page is shown). Builds
  // without the message are given the files after 30 s.
  const startup = await Promise.race([workerReady, new Promise((r) => setTimeout(() => r(NaN), 30000))]);

  // 2. The app: files → rendered report.
  await page.setInputFiles('#file-input', files);
  const done = await page.waitForFunction(() => window.__bench.painted !== undefined, null, { timeout: limit })
    .then(() => true, () => false);
  const m = await page.evaluate(() => window.__bench);
  if (!done) {
    const at = (k) => (m[k] === undefined ? 'not reached' : `${(m[k] - m.change).toFixed(0)} ms`);
    console.log(`users ${users}: no report within ${limit / 1000} s; request posted: ${at('posted')}, `
      + `answer received: ${at('answered')}, #summary: ${at('summary')}; marks ${JSON.stringify(m)}; `
      + `page errors: ${JSON.stringify(pageErrors.slice(0, 5))}`);
    process.exitCode = 1;
    throw new Error('timed out');
  }
  const summary = await page.$$eval('#summary [data-action]', (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.action, e.querySelector('dd')?.textContent])));

  // Filtering and searching every row: from the change to the table's new row count painted.
  // The worker filters (it holds the decisions); after the answer it computes the set-up
  // screen's lookups (lookups_ms) and the search's index (index_ms), in the log line that
  // follows: the filters are timed once it has, since a change made before waits for them.
  for (let i = 0; i < 600 && phases.lookups === undefined; i++) await new Promise((r) => setTimeout(r, 50));
  await page.click('#tab-report');
  await page.waitForSelector('#search');
  const interaction = await page.evaluate(async () => {
    const count = () => document.getElementById('row-count')?.textContent;
    const until = (before) => new Promise((res) => {
      const t0 = performance.now();
      const check = () => (count() !== before ? requestAnimationFrame(() => res(performance.now() - t0)) : requestAnimationFrame(check));
      check();
    });
    const time = async (change) => {
      const before = count();
      const t = performance.now();
      change();
      await until(before);
      return performance.now() - t;
    };
    const search = document.getElementById('search');
    const typed = await time(() => { search.value = 'zzz'; search.dispatchEvent(new Event('input', { bubbles: true })); });
    const cleared = await time(() => { search.value = ''; search.dispatchEvent(new Event('input', { bubbles: true })); });
    const select = document.getElementById('filter-action');
    const filtered = await time(() => { select.value = 'create'; select.dispatchEvent(new Event('change', { bubbles: true })); });
    return { typed, cleared, filtered };
  });

  // 3. Memory: the worker's heap through CDP (Runtime.getHeapUsage: the JS heap, and the
  // backing stores of ArrayBuffers, where the wasm memory lives), and the page's JS heap.
  let workerMB = NaN;
  try {
    const bcdp = await browser.newBrowserCDPSession();
    const { targetInfos } = await bcdp.send('Target.getTargets');
    for (const t of targetInfos.filter((x) => x.type === 'worker')) {
      const send = await workerSession(bcdp, t.targetId);
      const viaSession = await send('Runtime.getHeapUsage');
      if (viaSession) {
        const mb = ((viaSession.usedSize ?? 0) + (viaSession.backingStorageSize ?? 0)) / 1e6;
        workerMB = Math.max(Number.isNaN(workerMB) ? 0 : workerMB, mb);
      }
    }
  } catch { /* not available: n/a */ }
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
  const pageHeapMB = (metrics.JSHeapUsedSize ?? NaN) / 1e6;
  const rssMB = chromiumRssMb();

  // 4. PapaParse on the same bytes, in the same page (the files the input holds).
  const require = createRequire(import.meta.url);
  const papaSource = fs.readFileSync(require.resolve('papaparse/papaparse.min.js'), 'utf8');
  await page.addScriptTag({ content: papaSource });
  // The app empties its input once read: the same files go into an input of our own.
  await page.evaluate(() => {
    const el = document.createElement('input');
    el.type = 'file';
    el.multiple = true;
    el.id = 'bench-papa';
    el.hidden = true;
    document.body.append(el);
  });
  // (The CSV files themselves, also when the app was given them in a zip.)
  await page.setInputFiles('#bench-papa', names.map((n) => path.join(orgDir, n)));
  const papa = await page.evaluate(async (runs) => {
    const input = document.getElementById('bench-papa');
    const csvs = [];
    for (const f of input.files) if (f.name.endsWith('.csv')) csvs.push(await f.arrayBuffer());
    let best = Infinity;
    let rows = 0;
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      rows = 0;
      for (const buf of csvs) {
        const text = new TextDecoder('utf-8').decode(buf);
        rows += window.Papa.parse(text, { header: true, skipEmptyLines: true }).data.length;
      }
      best = Math.min(best, performance.now() - t);
    }
    return { ms: best, rows, files: csvs.length };
  }, papaRuns);

  const read = m.posted - m.change;
  const engine = m.answered - m.posted;
  const render = m.painted - m.answered;
  const total = m.painted - m.change;
  const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
  const cols = ['users', 'input_MB', 'read_ms', 'engine_ms', 'render_ms', 'total_ms', 'papaparse_ms', 'ratio', 'worker_heap_MB', 'page_heap_MB',
    ...(extraMb > 0 ? ['zip_MB', 'browser_rss_MB'] : [])];
  console.log(cols.map((c) => c.padStart(12)).join(' '));
  console.log([users, (bytes / 1e6).toFixed(1), f(read), f(engine), f(render), f(total), f(papa.ms),
    (engine / papa.ms).toFixed(2), Number.isFinite(workerMB) ? workerMB.toFixed(0) : 'n/a', pageHeapMB.toFixed(0),
    ...(extraMb > 0 ? [(fs.statSync(files[0]).size / 1e6).toFixed(0), rssMB.toFixed(0)] : [])]
    .map((c) => String(c).padStart(12)).join(' '));
  // engine, split by the worker's own clock: ingest (parse every export), plan (the plan and
  // the reach of the scenario's assignments), post (encoding the answer and posting it); the
  // rest of engine (transit) is waiting for the browser to read the files the page handed over,
  // decoding the request and the messages' transit. The worker parses each export as soon as
  // it and those before it by name are read: files_ms (by the worker's clock) is reading and
  // parsing them, ingest_ms the parsing within it. After the answer, the worker computes the set-up screen's lookups (lookups, not part
  // of engine or total) and posts them, then the search's index (index).
  const inWorker = (phases.read ?? NaN) + (phases.plan ?? NaN) + (phases.post ?? NaN);
  const split = ['worker_ingest_ms', 'worker_plan_ms', 'worker_post_ms', 'transit_ms', 'lookups_ms', 'files_ms', 'index_ms'];
  console.log(split.map((c) => c.padStart(16)).join(' '));
  console.log([f(phases.read), f(phases.plan), f(phases.post), f(engine - inWorker), f(phases.lookups), f(phases.files), f(phases.index)]
    .map((c) => String(c).padStart(16)).join(' '));
  // Interaction over every row, to the next painted frame: a search that matches nobody, clearing
  // it, and the action filter (`create`).
  const inter = ['search_ms', 'clear_search_ms', 'filter_ms'];
  console.log(inter.map((c) => c.padStart(16)).join(' '));
  console.log([f(interaction.typed), f(interaction.cleared), f(interaction.filtered)].map((c) => String(c).padStart(16)).join(' '));
  console.log(`worker ready ${f(startup - loading)} ms after the page was asked for (${warmUp}); summary shown: ${JSON.stringify(summary)}; PapaParse read ${papa.rows} rows from ${papa.files} CSV files `
    + `(${(csvBytes / 1e6).toFixed(1)} MB), best of ${papaRuns}; requests to other origins: ${foreign.length}`);
  if (foreign.length > 0) failed = true;
  await context.close();
} catch (e) {
  console.error(`bench: ${e.stack ?? e}`);
  failed = true;
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
