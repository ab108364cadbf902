// The report of a large org for an admin: the findings of one kind raised many times are one line
// with their count and what to do, which shows those users in the user table; exports loaded with
// no set-up say that nothing is set up yet, and lead to the Set up screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openApp, syncplanCli, shownSummary, root } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a kind of finding raised many times is one line that shows its users in the table', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-5k-'));
  try {
    syncplanCli(['generate', '--users', '5000', '--seed', '5', '--out', dir]);
    const cli = JSON.parse(syncplanCli(['plan', dir, '--format', 'json']));
    const byCode = new Map();
    for (const f of cli.findings) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
    const many = [...byCode].filter(([, n]) => n > 3);
    assert.ok(many.length > 0, 'the org raises some finding many times');
    const app = await openApp(browser, server.origin);
    const { page } = app;
    await page.setInputFiles('#file-input', fs.readdirSync(dir).sort().map((n) => path.join(dir, n)));
    assert.deepEqual(await shownSummary(page), cli.summary);
    await page.click('#tab-report');
    for (const [code, n] of many) {
      const line = page.locator(`#findings .finding-kind[data-code="${code}"]`);
      assert.equal(await line.count(), 1, code);
      assert.equal(await line.getAttribute('data-count'), String(n), code);
    }
    // One line per kind, at most three findings of any other kind.
    const cards = await page.locator('#findings .finding:not(.finding-kind)').count();
    assert.ok(cards <= 3 * byCode.size, `${cards} cards`);
    // "Show these users": the table filtered by that kind.
    const all = cli.business_units.flatMap((b) => b.decisions);
    const [code] = many.find(([c]) => all.some((d) => d.findings.includes(c)));
    const decisions = all.filter((d) => d.findings.includes(code));
    await page.locator(`#findings .finding-kind[data-code="${code}"] .show-users`).click();
    await page.waitForFunction((n) => document.getElementById('row-count')?.textContent.startsWith(`${n} of `), decisions.length);
    assert.equal(await page.$eval('#filter-finding', (s) => s.value), code);
    // The printout lists three findings of a kind and counts the rest, and counts the users
    // who stay as they are instead of listing them.
    await page.evaluate(() => {
      window.print = () => { window.__printed = document.querySelector('.print-report')?.textContent ?? ''; };
    });
    await page.click('#print-button');
    await page.waitForFunction(() => window.__printed !== undefined, null, { timeout: 60000 });
    const printed = await page.evaluate(() => window.__printed);
    for (const [c, n] of many) {
      assert.ok(printed.includes(`… and ${n - 3} more ${c} findings`), `the printout counts the other ${c}`);
    }
    const unchanged = cli.business_units.map((b) => b.summary.none);
    assert.ok(printed.includes(`${unchanged[0]} users stay as they are and are not listed.`));
    assert.ok(!printed.includes(all.find((d) => d.action === 'none').username), 'an unchanged user is not printed');
    assert.deepEqual(app.errors, []);
    await app.context.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('exports with no set-up say that nothing is set up yet, and lead to the Set up screen', async () => {
  const demo = path.join(root, 'www', 'demo');
  const files = fs.readdirSync(demo).filter((n) => n.endsWith('.csv')).map((n) => path.join(demo, n));
  const app = await openApp(browser, server.origin);
  const { page } = app;
  await page.setInputFiles('#file-input', files);
  await shownSummary(page);
  await page.locator('#not-set-up').waitFor();
  assert.match(await page.textContent('#not-set-up'), /Not set up yet/);
  await page.click('#not-set-up button');
  await page.locator('#setup-title').waitFor();
  assert.equal(await page.getAttribute('#tab-setup', 'aria-selected'), 'true');
  // Once someone is assigned, the notice goes.
  await page.fill('#find-0-marketing', 'admin@acme.example');
  const candidate = page.locator('.assignments[data-set=marketing] .candidate').first();
  await candidate.waitFor();
  await candidate.click();
  await page.waitForFunction(() => !document.getElementById('not-set-up'));
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('the user table is one Tab stop, and Escape closes an explanation', async () => {
  const app = await openApp(browser, server.origin);
  const { page } = app;
  await page.click('#demo-button');
  await shownSummary(page);
  await page.click('#tab-report');
  await page.locator('#user-table tr.user-row[data-user-id]').first().waitFor();
  assert.equal(await page.locator('#user-table tr.user-row[tabindex="0"]').count(), 1);
  await page.locator('#user-table tr.user-row[data-user-id] td').first().click();
  await page.locator('#explanation').waitFor();
  await page.locator('#explanation button').first().focus();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.getElementById('explanation'));
  assert.equal(await page.locator('#user-table tr.user-row[tabindex="0"]').count(), 1);
  // An AE user no Salesforce user decides is marked as an Account Engagement record (the
  // demo lists them last).
  await page.$eval('.table-viewport', (el) => { el.scrollTop = el.scrollHeight; });
  const aeOnly = page.locator('#user-table tr.user-row[data-user-id^="ae:"]').first();
  await aeOnly.waitFor();
  assert.equal(await aeOnly.locator('.ae-only').count(), 1);
  assert.equal(await page.locator('#user-table tr.user-row[data-user-id^="005"] .ae-only').count(), 0);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('"Remove all" asks first, and removes only when confirmed', async () => {
  const app = await openApp(browser, server.origin);
  const { page } = app;
  await page.click('#demo-button');
  await shownSummary(page);
  await page.click('#tab-load');
  const cards = await page.locator('.file-card').count();
  assert.ok(cards > 5);
  page.once('dialog', (d) => d.dismiss());
  await page.click('#remove-all');
  assert.equal(await page.locator('.file-card').count(), cards, 'dismissed: nothing removed');
  page.once('dialog', (d) => d.accept());
  await page.click('#remove-all');
  await page.waitForFunction(() => document.querySelectorAll('.file-card').length === 0);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('the report of a 100,000-user org is about as tall as the demo\'s', async () => {
  const height = async (page) => {
    await page.click('#tab-report');
    await page.locator('#user-table tr.user-row').first().waitFor();
    return page.evaluate(() => document.documentElement.scrollHeight);
  };
  const demo = await openApp(browser, server.origin, '/?demo');
  await shownSummary(demo.page);
  const small = await height(demo.page);
  await demo.context.close();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-100k-'));
  try {
    syncplanCli(['generate', '--users', '100000', '--seed', '7', '--out', dir]);
    const app = await openApp(browser, server.origin);
    const { page } = app;
    await page.setInputFiles('#file-input', fs.readdirSync(dir).sort().map((n) => path.join(dir, n)));
    const counts = await shownSummary(page);
    assert.ok(Object.values(counts).reduce((a, b) => a + b, 0) >= 100000, 'every user is planned');
    const large = await height(page);
    assert.ok(large <= small * 1.5, `the 100k report is ${large} px tall, the demo's ${small} px`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(root, 'docs', 'screenshots', 'report-100k.png'), fullPage: true });
    assert.deepEqual(app.errors, []);
    await app.context.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
