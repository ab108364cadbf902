// The app shell: renders, promises privacy, reads a file through the real file input via the
// Web Worker (which runs the page's own wasm, downloaded once), opens on the demo org with ?demo,
// and makes no request to another origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, screenshot, syncplanCli, shownSummary, root, dist } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the shell renders with header, privacy line, drop zone and report', async () => {
  const app = await openApp(browser, server.origin);
  const { page } = app;
  await page.waitForSelector('header h1');
  assert.equal(await page.textContent('header h1'), 'syncplan');
  assert.match(await page.textContent('.privacy'), /Your files never leave this browser/);
  assert.equal(await page.locator('input[type=file][multiple]').count(), 1);
  assert.equal(await page.textContent('#demo-button'), 'Try the demo org');
  assert.match(await page.textContent('section.report'), /The report appears here/);
  await screenshot(page, 'shell');
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('a file picked through the input reaches the engine in the worker', async () => {
  const app = await openApp(browser, server.origin);
  const { page } = app;
  const users = 'Id,Username,Email,IsActive,ProfileId\n'
    + '005000000000001,ann@example.com,ann@example.com,true,00e000000000001\n'
    + '005000000000002,bob@example.com,bob@example.com,false,00e000000000001\n';
  await page.setInputFiles('input[type=file]', [
    { name: 'my users.csv', mimeType: 'text/csv', buffer: Buffer.from(users) },
  ]);
  // No scenario: nothing is assigned, so both users stay as they are.
  const shown = await shownSummary(page);
  assert.deepEqual(shown, { create: 0, update: 0, restore: 0, recycle: 0, skip: 0, none: 2 });
  assert.match(await page.textContent('section.report'), /my users\.csv/);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('?demo opens on the built-in demo org', async () => {
  const app = await openApp(browser, server.origin, '/?demo');
  const { page } = app;
  const shown = await shownSummary(page);
  const cli = JSON.parse(syncplanCli(['plan', 'www/demo', '--format', 'json']));
  assert.deepEqual(shown, cli.summary, 'the page shows the counts `syncplan plan` gives');
  assert.ok(shown.create > 0 && shown.update > 0 && shown.restore > 0 && shown.recycle > 0 && shown.skip > 0);
  await screenshot(page, 'demo');
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('every request the page made stayed on its own origin', async () => {
  const app = await openApp(browser, server.origin, '/?demo');
  await shownSummary(app.page);
  assert.ok(app.requests.some((u) => u.endsWith('.wasm')), `the wasm was loaded: ${app.requests}`);
  assert.ok(app.requests.some((u) => /worker/.test(u)), `the worker was loaded: ${app.requests}`);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('the page and its worker run one wasm, downloaded once', async () => {
  const before = server.hits('.wasm');
  const app = await openApp(browser, server.origin, '/?demo');
  await shownSummary(app.page);
  const wasm = [...new Set(app.requests.filter((u) => new URL(u).pathname.endsWith('.wasm')))];
  assert.equal(wasm.length, 1, `one wasm file: ${wasm}`);
  assert.equal(app.page.workers().length, 1, 'the engine runs in a worker');
  assert.ok(app.requests.some((u) => /worker_loader\.js\?js=app-[0-9a-f]+\.js&wasm=app-[0-9a-f]+_bg\.wasm$/.test(u)),
    `the worker was started with the page's wasm: ${app.requests}`);
  assert.equal(server.hits('.wasm') - before, 1, 'the worker took the wasm from the browser\'s cache');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('the server config lets browsers keep every hashed file of the build, and only those', () => {
  // Trunk's hash is a 64-bit number in hex without leading zeros, so some builds have a
  // 15-digit one (the config's pattern once asked for exactly 16, and such a build's wasm was
  // downloaded twice).
  const nginx = fs.readFileSync(path.join(root, 'www', 'server', 'nginx.conf'), 'utf8');
  const [, pattern] = nginx.match(/location ~ "([^"]+)"/);
  const kept = new RegExp(pattern);
  const files = fs.readdirSync(dist);
  const hashed = files.filter((f) => /^(app|style|print|embed|favicon)-/.test(f) && f !== 'embed-example.html' && f !== 'embed-example.css');
  assert.ok(hashed.some((f) => f.endsWith('_bg.wasm')), `a hashed wasm: ${files}`);
  for (const f of hashed) assert.match(f, kept, `${f} is kept`);
  for (const f of ['index.html', 'boot.js', 'worker_loader.js', 'embed-example.html', 'embed-example.css']) {
    assert.doesNotMatch(f, kept, `${f} is not kept for good`);
  }
  for (const f of ['app-20e8e5ddd3fa98e.js', 'app-20e8e5ddd3fa98e_bg.wasm', 'app-0123456789abcdef_bg.wasm']) {
    assert.match(f, kept, `${f} is kept`);
  }
});
