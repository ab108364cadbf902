// The page on a laptop (1366×768) and a phone (390 px wide), where the focus goes, and
// accessibility (axe-core) on every tab and in the explainer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, shownSummary, syncplanCli, root } from './harness.mjs';

const AXE = fs.readFileSync(path.join(root, 'tests/e2e/node_modules/axe-core/axe.min.js'), 'utf8');
const TABS = ['load', 'setup', 'report', 'mapping', 'integration'];
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function openDemo(viewport) {
  const app = await openApp(browser, server.origin, '/', viewport);
  await app.page.click('#demo-button');
  await shownSummary(app.page);
  return app;
}

async function openTab(page, tab) {
  await page.click(`#tab-${tab}`);
  await page.waitForFunction((t) => document.querySelector(`#tab-${t}`)?.getAttribute('aria-selected') === 'true', tab);
}

async function openExplanation(page, row = 0) {
  await openTab(page, 'report');
  const tr = page.locator('#user-table tr.user-row').nth(row);
  const id = await tr.getAttribute('data-user-id');
  await tr.locator('td').first().click();
  await page.waitForSelector('#explanation[data-trace="ready"]');
  return id;
}

/** The rules axe-core finds broken on the page as it is now (none expected). */
async function axeViolations(page) {
  return page.evaluate(async (src) => {
    if (!window.axe) (0, eval)(src);
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, AXE);
}

/** Whether the element's centre is on screen and the element itself is what is there. */
async function onTop(page, selector) {
  return page.evaluate((s) => {
    const el = document.querySelector(s);
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
    const hit = document.elementFromPoint(x, y);
    return hit === el || el.contains(hit);
  }, selector);
}

test('on a 1366×768 laptop the explanation is in full view and the table keeps its Rule and Findings columns', async () => {
  const app = await openDemo(LAPTOP);
  const { page } = app;
  await openExplanation(page);
  // The counts do not stay on top of a short screen: the explanation's title and Close are seen.
  assert.ok(await onTop(page, '#explanation-title'), 'the explanation title is visible');
  assert.ok(await onTop(page, '#explanation .section-head button'), 'Close is visible and not covered');
  const { viewportRight, columns } = await page.evaluate(() => ({
    viewportRight: document.querySelector('.table-viewport').getBoundingClientRect().right,
    columns: Object.fromEntries([...document.querySelectorAll('#user-table thead th')]
      .filter((th) => th.offsetParent !== null)
      .map((th) => [th.textContent, th.getBoundingClientRect().right])),
  }));
  for (const name of ['User', 'Action', 'AE role', 'Rule', 'Findings']) {
    assert.ok(columns[name] !== undefined, `${name} is shown`);
    assert.ok(columns[name] <= viewportRight + 1, `${name} ends at ${columns[name]}, inside ${viewportRight}`);
  }
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), LAPTOP.width);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('at 390 px wide no screen is wider than the phone, an explanation included', async () => {
  const app = await openDemo(PHONE);
  const { page } = app;
  for (const tab of TABS) {
    await openTab(page, tab);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), PHONE.width, `${tab} fits`);
  }
  await openExplanation(page);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), PHONE.width, 'the explanation fits');
  assert.ok(await onTop(page, '#explanation .section-head button'), 'Close is on screen');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('closing an explanation, by Close or Escape, gives the focus back to the user row', async () => {
  const app = await openDemo(LAPTOP);
  const { page } = app;
  const id = await openExplanation(page, 2);
  await page.click('#explanation .section-head button');
  await page.waitForSelector('#explanation', { state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.userId), id);
  // Enter opens it again from the row, Escape closes it.
  await page.keyboard.press('Enter');
  await page.waitForSelector('#explanation');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#explanation', { state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.userId), id);
  // With an explanation open, the arrow keys on the tab bar move between the tabs.
  await page.keyboard.press('Enter');
  await page.waitForSelector('#explanation');
  await page.focus('#tab-report');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-mapping');
  assert.equal(await page.getAttribute('#tab-mapping', 'aria-selected'), 'true');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('adding or removing a set-up entry leaves the focus in the search, ready for the next', async () => {
  const app = await openDemo(LAPTOP);
  const { page } = app;
  await openTab(page, 'setup');
  const search = '#find-0-sales';
  await page.fill(search, 'Sales');
  const candidate = page.locator('fieldset[data-set="sales"] .candidates button.candidate').first();
  const reference = await candidate.getAttribute('data-reference');
  const before = await page.locator('fieldset[data-set="sales"] li.assignment').count();
  await candidate.click();
  await page.waitForFunction((n) => document.querySelectorAll('fieldset[data-set="sales"] li.assignment').length === n + 1, before);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'find-0-sales');
  assert.equal(await page.inputValue(search), '');
  await page.locator(`fieldset[data-set="sales"] li.assignment[data-reference="${reference}"] button`).click();
  await page.waitForFunction((n) => document.querySelectorAll('fieldset[data-set="sales"] li.assignment').length === n, before);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'find-0-sales');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('a finding names a user once, and an AE user with no Salesforce user as an AE record', async () => {
  const cli = JSON.parse(syncplanCli(['plan', 'www/demo', '--format', 'json']));
  const all = cli.business_units.flatMap((b) => b.decisions);
  const key = (d) => d.salesforce_user_id ?? `ae:${d.ae_user_id}`;
  // A finding about a Salesforce user and an AE user of the same name (the skipped user and the
  // unlinked AE user that holds their email).
  const f = cli.findings.find((x) => x.users.length === 2 && x.users.some((u) => u.startsWith('ae:'))
    && cli.findings.filter((y) => y.code === x.code).length <= 3);
  assert.ok(f, 'the demo has a finding about a user and an AE record');
  const aeOnly = all.find((d) => key(d) === f.users.find((u) => u.startsWith('ae:')));
  assert.equal(aeOnly.salesforce_user_id, null);
  const app = await openDemo(LAPTOP);
  const { page } = app;
  await openTab(page, 'report');
  const finding = page.locator(`#findings .finding[data-code="${f.code}"]`).filter({ hasText: f.message.replaceAll('`', '').slice(0, 40) });
  await finding.locator('.finding-head').click();
  const names = finding.locator('.finding-users button.link');
  await names.nth(1).waitFor();
  const shown = await names.allTextContents();
  assert.equal(shown.length, 2);
  assert.ok(shown.some((n) => n.endsWith('(AE record)')), shown.join(', '));
  // The findings speak the Set up screen's words: no syncplan.json key, no backtick.
  const findings = await page.textContent('#findings');
  assert.ok(findings.includes('the set-up says Sales wins'), 'W-BOTH names the setting as the Set up screen does');
  for (const key of ['both_groups', 'sales_wins', 'skip_on_email_match', 'include_bosses', '`']) {
    assert.ok(!findings.includes(key), `the findings show ${key}`);
  }
  assert.notEqual(shown[0], shown[1]);
  // No finding of the plan names the same user twice.
  for (const x of cli.findings) {
    const decided = x.users.map((u) => all.find((d) => key(d) === u || (u.startsWith('ae:') && `ae:${d.ae_user_id}` === u)));
    assert.equal(new Set(decided).size, decided.length, `${x.code}: ${x.users}`);
  }
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('the assigned integration user is one table row, marked', async () => {
  const app = await openDemo(LAPTOP);
  const { page } = app;
  await openTab(page, 'integration');
  const row = page.locator('#integration-users tr.integration-user[data-assigned="true"]').first();
  await row.waitFor();
  const tops = await row.evaluate((tr) => [...tr.children].map((c) => Math.round(c.getBoundingClientRect().top)));
  assert.equal(new Set(tops).size, 1, `its cells sit side by side: ${tops}`);
  assert.match(await row.getAttribute('class'), /is-assigned/);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('groups and group members are needed, not optional, when an assignment names a public group', async () => {
  const app = await openApp(browser, server.origin, '/', LAPTOP);
  const { page } = app;
  const demo = path.join(root, 'www/demo');
  const files = fs.readdirSync(demo).filter((n) => /\.(csv|json)$/.test(n) && !/^group/.test(n));
  await page.setInputFiles('#file-input', files.map((n) => path.join(demo, n)));
  const need = (kind) => page.textContent(`.missing-export[data-kind="${kind}"] .need`);
  await page.waitForFunction(() => document.querySelector('.missing-export[data-kind="Group"] .need')?.textContent === 'needed');
  assert.equal(await need('GroupMember'), 'needed');
  // An export no assignment needs is still optional.
  assert.equal(await page.locator('.missing-export[data-kind="UserRole"]').count(), 0);
  await app.context.close();
});

test('axe-core finds no violation on any tab, in an explanation, at 390 px, or in the explainer', async () => {
  for (const viewport of [LAPTOP, PHONE]) {
    const app = await openDemo(viewport);
    const { page } = app;
    for (const tab of TABS) {
      await openTab(page, tab);
      assert.deepEqual(await axeViolations(page), [], `${tab} at ${viewport.width} px`);
    }
    await openExplanation(page);
    assert.deepEqual(await axeViolations(page), [], `an explanation at ${viewport.width} px`);
    await app.context.close();
  }
  const app = await openApp(browser, server.origin, '/?embed&example=inactive-user', LAPTOP);
  await app.page.waitForSelector('#embed-outcome .badge');
  assert.deepEqual(await axeViolations(app.page), [], 'the explainer');
  await app.context.close();
});
