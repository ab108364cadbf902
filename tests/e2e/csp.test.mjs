// Privacy, enforced: the app is served under a strict Content-Security-Policy (the <meta> tag in
// index.html, and the same policy as a header, as www/server/nginx.conf serves it). Any violation
// fails the test, and so does any request the page makes after it has loaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, shownSummary, root, dist } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const policy = fs.readFileSync(path.join(root, 'www', 'server', 'csp.txt'), 'utf8').trim();

test('the built page carries the policy, with no inline script', () => {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/);
  assert.ok(meta, 'index.html has a CSP meta tag');
  assert.equal(meta[1], policy, 'the meta tag and www/server/csp.txt say the same');
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|\s\*/);
  for (const [, attrs, body] of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
    assert.match(attrs, /src=/, `no inline script: <script${attrs}>${body}`);
  }
  const nginx = fs.readFileSync(path.join(root, 'www', 'server', 'nginx.conf'), 'utf8');
  assert.ok(nginx.includes(`${policy}; frame-ancestors`), 'the server config sends the same policy');
});

test('the app runs under the policy and makes no request once loaded', async () => {
  const app = await openApp(browser, server.origin, '/');
  const { page } = app;
  await page.evaluate(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.waitForSelector('#demo-button');
  await page.waitForLoadState('networkidle');
  const loaded = app.requests.length;
  await page.click('#demo-button');
  await shownSummary(page);
  await page.waitForTimeout(300);
  const after = app.requests.slice(loaded).filter((u) => !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(after, [], 'no request after load');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(app.errors, [], 'no CSP violation reported on the console');
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});
