// The app shell: renders, promises privacy, reads a file through the real file input via the
// Web Worker, opens on the demo org with ?demo, and makes no request to another origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot } from './harness.mjs';

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
  await page.setInputFiles('input[type=file]', [
    { name: 'User.csv', mimeType: 'text/csv', buffer: Buffer.from('Id,Username,IsActive,ProfileId\n') },
  ]);
  await page.waitForSelector('section.report .file-list', { timeout: 20000 });
  assert.match(await page.textContent('section.report'), /User\.csv/);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('?demo opens on the built-in demo org', async () => {
  const app = await openApp(browser, server.origin, '/?demo');
  const { page } = app;
  await page.waitForSelector('section.report .file-list', { timeout: 20000 });
  assert.match(await page.textContent('section.report'), /syncplan\.json/);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('every request the page made stayed on its own origin', async () => {
  const app = await openApp(browser, server.origin, '/?demo');
  await app.page.waitForSelector('section.report .file-list', { timeout: 20000 });
  assert.ok(app.requests.some((u) => u.endsWith('.wasm')), `the wasm was loaded: ${app.requests}`);
  assert.ok(app.requests.some((u) => /worker/.test(u)), `the worker was loaded: ${app.requests}`);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});
