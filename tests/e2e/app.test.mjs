// The web app end to end: the demo org's counts match `syncplan plan`, one user of
// each action explains itself with the CLI's reason codes, editing an assignment re-plans,
// a malformed file shows its error with the line number, the set-up is saved, and the page
// never makes a request to another origin. Screenshots of the three main screens are saved
// to docs/screenshots/ (linked from the README).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openApp, syncplanCli, shownSummary, root, waitForSummary } from './harness.mjs';

const shots = path.join(root, 'docs', 'screenshots');

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function screenshot(page, name) {
  fs.mkdirSync(shots, { recursive: true });
  // From the top: the summary is sticky, and would otherwise be drawn where the page was scrolled.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** Open the demo org with its button and wait for the plan. */
async function openDemo() {
  const app = await openApp(browser, server.origin);
  await app.page.click('#demo-button');
  await shownSummary(app.page);
  return app;
}

/** The CLI's plan for the demo org, with its scenario edited by `edit`. */
function cliPlan(edit) {
  if (!edit) return JSON.parse(syncplanCli(['plan', 'www/demo', '--format', 'json']));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-demo-'));
  for (const f of fs.readdirSync(path.join(root, 'www', 'demo'))) {
    fs.copyFileSync(path.join(root, 'www', 'demo', f), path.join(dir, f));
  }
  const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'syncplan.json'), 'utf8'));
  edit(scenario);
  fs.writeFileSync(path.join(dir, 'syncplan.json'), JSON.stringify(scenario));
  try {
    return JSON.parse(syncplanCli(['plan', dir, '--format', 'json']));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function rowKey(d) {
  return d.salesforce_user_id ?? `ae:${d.ae_user_id}`;
}

test('the demo org shows the counts `syncplan plan` gives, on the report screen', async () => {
  const app = await openDemo();
  const { page } = app;
  const cli = cliPlan();
  assert.deepEqual(await shownSummary(page), cli.summary);
  assert.equal(await page.getAttribute('#tab-report', 'aria-selected'), 'true');
  // Findings by severity, each with its code.
  for (const f of cli.findings) {
    assert.ok(await page.locator(`#findings .finding[data-code="${f.code}"]`).count() > 0, f.code);
  }
  // The table is virtualised: only the rows around the visible ones are in the page.
  const decisions = cli.business_units.flatMap((b) => b.decisions);
  const rendered = await page.locator('#user-table [data-user-id]').count();
  assert.ok(rendered >= 12 && rendered < decisions.length, `${rendered} of ${decisions.length} rows rendered`);
  assert.match(await page.textContent('#row-count'), new RegExp(`^${decisions.length} of ${decisions.length} users`));
  // Scrolled to the end, the last user is there.
  await page.$eval('.table-viewport', (el) => { el.scrollTop = el.scrollHeight; });
  await page.locator(`#user-table [data-user-id="${rowKey(decisions.at(-1))}"]`).waitFor();
  await page.$eval('.table-viewport', (el) => { el.scrollTop = 0; });
  // The screenshot shows an explanation open: a user whose role changes.
  const update = decisions.find((d) => d.action === 'update' && d.changes.length > 0);
  await page.click(`#user-table [data-user-id="${rowKey(update)}"]`);
  // The answer comes without traces: the worker sends this user's once the explanation opens.
  await page.locator('#explanation[data-trace="ready"]').waitFor();
  const trace = await page.$$eval('#explanation details.trace li', (els) => els.map((e) => e.textContent));
  assert.equal(trace.length, update.trace.length);
  // (The page shows the engine's quoted values as code spans, without their backticks.)
  const shown = (t) => t.replaceAll('`', '');
  for (const [i, s] of update.trace.entries()) assert.equal(trace[i], shown(`${s.step}: ${s.text}`));
  await screenshot(page, 'report');
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

/** Open the app at `pathAndQuery`, collecting the worker's `syncplan worker:` console lines. */
async function openWatchingWorker(pathAndQuery) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  const lines = [];
  page.on('worker', (w) => w.on('console', (m) => {
    if (m.text().startsWith('syncplan worker:')) lines.push(m.text());
  }));
  await page.goto(server.origin + pathAndQuery);
  const line = async (re) => {
    for (let i = 0; i < 600 && !lines.some((l) => re.test(l)); i++) await page.waitForTimeout(50);
    return lines.find((l) => re.test(l));
  };
  return { context, page, lines, line };
}

test('the worker warms up on the demo org while the page waits, then plans what it is given', async () => {
  const users = cliPlan().business_units.flatMap((b) => b.decisions).length;
  // Idle: every round is done before the worker says it is ready.
  const idle = await openWatchingWorker('/');
  const warm = await idle.line(/^syncplan worker: warm-up/);
  assert.match(warm ?? 'no warm-up line', /^syncplan worker: warm-up \d+ ms, 40 rounds, (\d+) users planned$/);
  assert.equal(Number(warm.match(/(\d+) users planned/)[1]), 40 * users);
  assert.ok(await idle.line(/^syncplan worker: ready$/));
  assert.ok(idle.lines.indexOf(warm) < idle.lines.indexOf('syncplan worker: ready'));
  await idle.page.click('#demo-button');
  assert.deepEqual(await shownSummary(idle.page), cliPlan().summary);
  await idle.context.close();
  // Asked at once (`?demo`): the request comes before what is left of the warm-up.
  const asked = await openWatchingWorker('/?demo');
  assert.deepEqual(await shownSummary(asked.page), cliPlan().summary);
  const cut = await asked.line(/^syncplan worker: warm-up/);
  const rounds = Number(cut?.match(/(\d+) rounds?,/)?.[1]);
  assert.ok(rounds >= 0 && rounds <= 40, cut);
  if (rounds < 40) assert.match(cut, /, cut short by a request$/);
  await asked.context.close();
});

test('one user of each action explains itself with the reason codes of the CLI', async () => {
  const app = await openDemo();
  const { page } = app;
  const cli = cliPlan();
  const decisions = cli.business_units.flatMap((b) => b.decisions);
  for (const action of ['create', 'update', 'restore', 'recycle', 'skip', 'none']) {
    const d = decisions.find((x) => x.action === action);
    assert.ok(d, `the demo has a user to ${action}`);
    await page.selectOption('#filter-action', action);
    const row = page.locator(`#user-table [data-user-id="${rowKey(d)}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-action'), action);
    // Keyboard: focus the row, Enter opens the explanation.
    await row.focus();
    await page.keyboard.press('Enter');
    const ex = page.locator('#explanation');
    await page.waitForFunction((code) =>
      document.querySelector('#explanation')?.dataset.reason === code
        && document.querySelector('#explanation')?.dataset.trace === 'ready', d.reason.code);
    assert.equal(await ex.getAttribute('data-action'), action);
    assert.equal(await ex.locator('.reason-code').textContent(), d.reason.code);
    const text = await ex.textContent();
    // The page shows the engine's quoted values as code spans, without the backticks.
    assert.ok(text.includes(d.reason.text.replaceAll('`', '')), `${action}: ${d.reason.text}`);
    if (d.role_reason) assert.equal(await ex.locator('.role-code').textContent(), d.role_reason.code);
    for (const m of d.memberships) assert.ok(text.includes(m.path), m.path);
    for (const a of d.assumptions) assert.ok(text.includes(a.text.replaceAll('`', '')), a.text);
    for (const c of d.changes) assert.ok(text.includes(c.field), c.field);
    const match = d.trace.find((s) => s.step === 'match');
    if (match) assert.ok(text.includes(match.text.replaceAll('`', '')), match.text);
  }
  // Search narrows the table to one user.
  await page.selectOption('#filter-action', '');
  await page.fill('#search', 'priya');
  await page.waitForFunction(() => document.querySelectorAll('#user-table [data-user-id]').length === 1);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('a large table brings its rows from the worker as it scrolls and filters', async () => {
  // A generated org of 2,000 users: more rows than the answer brings with it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-2k-'));
  try {
    syncplanCli(['generate', '--users', '2000', '--seed', '3', '--out', dir]);
    const cli = JSON.parse(syncplanCli(['plan', dir, '--format', 'json']));
    const decisions = cli.business_units.flatMap((b) => b.decisions);
    assert.ok(decisions.length > 1000);
    const app = await openApp(browser, server.origin);
    const { page } = app;
    await page.setInputFiles('#file-input', fs.readdirSync(dir).sort().map((n) => path.join(dir, n)));
    assert.deepEqual(await shownSummary(page), cli.summary);
    await page.click('#tab-report');
    await page.waitForFunction((n) => document.getElementById('row-count')?.textContent.startsWith(`${n} of ${n} users`), decisions.length);
    // The middle, then the end: rows the page did not have until it scrolled there.
    for (const at of [Math.floor(decisions.length / 2), decisions.length - 1]) {
      await page.$eval('.table-viewport', (el, top) => { el.scrollTop = top; }, at * 40);
      const row = page.locator(`#user-table [data-user-id="${rowKey(decisions[at])}"]`);
      await row.waitFor();
      assert.equal(await row.getAttribute('data-action'), decisions[at].action);
      assert.equal(await row.getAttribute('aria-rowindex'), String(at + 1));
    }
    // A filter: the worker's count and rows.
    await page.selectOption('#filter-action', 'recycle');
    const recycled = decisions.filter((d) => d.action === 'recycle');
    await page.waitForFunction((n) => document.getElementById('row-count')?.textContent.startsWith(`${n} of `), recycled.length);
    await page.locator(`#user-table [data-user-id="${rowKey(recycled[0])}"]`).waitFor();
    assert.equal(await page.locator('#user-table tr.user-row[data-action]:not([data-action="recycle"])').count(), 0);
    assert.deepEqual(app.errors, []);
    await app.context.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a finding opens onto its users, named by the worker, and a click explains one', async () => {
  const app = await openDemo();
  const { page } = app;
  const cli = cliPlan();
  const once = (code) => cli.findings.filter((x) => x.code === code).length === 1;
  const f = cli.findings.find((x) => x.users.length > 0 && !x.users[0].startsWith('ae:') && once(x.code));
  assert.ok(f, 'the demo has a finding about users');
  const bu = cli.business_units.find((b) => b.name === (f.business_unit ?? cli.business_units[0].name));
  const d = bu.decisions.find((x) => rowKey(x) === f.users[0]);
  const finding = page.locator(`#findings .finding[data-code="${f.code}"]`);
  await finding.locator('.finding-head').click();
  // The page does not hold the decisions: the worker names the finding's users.
  const link = finding.locator(`.finding-users button.link[data-user-ref="${f.users[0]}"]`);
  await link.waitFor();
  assert.equal(await link.textContent(), d.name ?? d.username ?? d.email);
  assert.equal(await finding.locator('.finding-users li').count(), Math.min(f.users.length, 100));
  await link.click();
  await page.waitForFunction((code) => document.querySelector('#explanation')?.dataset.reason === code
    && document.querySelector('#explanation')?.dataset.trace === 'ready', d.reason.code);
  assert.ok((await page.textContent('#explanation')).includes(d.reason.text.replaceAll('`', '')));
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('changing an assignment re-plans, and the counts follow the CLI for the same set-up', async () => {
  const app = await openDemo();
  const { page } = app;
  const before = cliPlan();
  const without = cliPlan((s) => {
    s.business_units[0].marketing_users = s.business_units[0].marketing_users
      .filter((a) => a.public_group !== 'All_Marketing');
  });
  assert.notDeepEqual(without.summary, before.summary, 'the edit matters');
  await page.click('#tab-setup');
  const group = page.locator('.assignments[data-set=marketing] .assignment[data-reference="All_Marketing"]');
  await group.waitFor();
  await page.waitForFunction(() => /reaches \d+ users/.test(
    document.querySelector('.assignments[data-set=marketing] .assignment[data-reference="All_Marketing"]')?.textContent ?? ''));
  await screenshot(page, 'setup');
  await group.locator('button').click();
  await waitForSummary(page, without.summary);
  // Add it back by searching the loaded data by name: the counts come back.
  await page.fill('#find-0-marketing', 'All Marketing');
  const candidate = page.locator('.assignments[data-set=marketing] .candidate[data-kind=public_group]').first();
  await candidate.waitFor();
  assert.match(await candidate.textContent(), /\d+ users/);
  await candidate.click();
  await waitForSummary(page, before.summary);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('legacy mode: switching and ticking a profile re-plan as the CLI does', async () => {
  const app = await openDemo();
  const { page } = app;
  const legacy = (profiles) => (s) => {
    s.mode = 'legacy';
    s.legacy = {
      profiles, update_role_on_profile_change: true, recycle_when_profile_unselected: false, skip_on_email_match: true,
    };
  };
  const none = cliPlan(legacy({}));
  const ticked = cliPlan(legacy({ 'Marketing User': 'Marketing' }));
  assert.notDeepEqual(none.summary, ticked.summary, 'ticking the profile matters');
  await page.click('#tab-setup');
  await page.check('#mode-legacy');
  await waitForSummary(page, none.summary);
  // Ticking the profile's box syncs it as Marketing.
  await page.check('#legacy-tick-Marketing_User');
  await waitForSummary(page, ticked.summary);
  assert.equal(await page.inputValue('#legacy-Marketing_User'), 'Marketing');
  // Unticked, then given its role by hand: the same.
  await page.uncheck('#legacy-tick-Marketing_User');
  await waitForSummary(page, none.summary);
  const input = page.locator('#legacy-Marketing_User');
  await input.fill('Marketing');
  await input.press('Enter');
  await input.blur();
  await waitForSummary(page, ticked.summary);
  assert.equal(await page.isChecked('#legacy-tick-Marketing_User'), true);
  assert.equal(await page.isChecked('#legacy-skip-email'), true, 'skip on email match is on by default');
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('the set-up is saved as syncplan.json through a download', async () => {
  const app = await openDemo();
  const { page } = app;
  await page.click('#tab-setup');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-scenario')]);
  assert.equal(download.suggestedFilename(), 'syncplan.json');
  const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  const demo = JSON.parse(fs.readFileSync(path.join(root, 'www', 'demo', 'syncplan.json'), 'utf8'));
  assert.deepEqual(saved.business_units.map((b) => b.name), demo.business_units.map((b) => b.name));
  assert.deepEqual(saved.business_units[0].marketing_users, demo.business_units[0].marketing_users);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('a malformed file shows its error with the line number; an unusable set is a message', async () => {
  const app = await openApp(browser, server.origin);
  const { page } = app;
  const users = 'Id,Username,Email,IsActive,ProfileId\n'
    + '005000000000001,ann@example.com,ann@example.com,true,00e000000000001\n'
    + '005000000000002,bob@example.com,bob@example.com,perhaps,00e000000000001\n';
  await page.setInputFiles('#file-input', [
    { name: 'bad users.csv', mimeType: 'text/csv', buffer: Buffer.from(users) },
  ]);
  const card = page.locator('.file-card[data-file="bad users.csv"]');
  await card.locator('.diagnostic').first().waitFor();
  assert.match(await card.locator('.file-kind').textContent(), /Users/);
  const problems = await card.locator('.diagnostic').allTextContents();
  assert.ok(problems.some((t) => /line 3\b/.test(t) && /perhaps/.test(t)), problems.join('\n'));
  assert.equal(await card.locator('.rows-rejected').textContent(), '1');
  // Still planned from the good row.
  assert.equal((await shownSummary(page)).none, 1);
  // The required exports still missing are named with how to export them.
  assert.ok(await page.locator('.missing-export[data-kind=AeUsers]').count() === 1);
  await page.locator('.missing-export[data-kind=Group] summary').click();
  assert.match(await page.locator('.missing-export[data-kind=Group] .how-to').textContent(),
    /sf data query --query "SELECT Id, Name, DeveloperName, Type, RelatedId, DoesIncludeBosses FROM Group"/);

  // A file that is not an export at all: nothing to plan is a message, never a blank page.
  await card.getByRole('button', { name: 'Remove bad users.csv' }).click();
  await page.setInputFiles('#file-input', [
    { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('colour,size\nred,3\n') },
  ]);
  await page.locator('.engine-error').waitFor();
  assert.match(await page.locator('.file-card[data-file="notes.csv"] .diagnostic').first().textContent(), /line 1\b/);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('files dropped on the drop zone are read by the worker, and a file given again replaces the old one', async () => {
  const app = await openApp(browser, server.origin);
  const { page } = app;
  // A drop carries the browser's File objects; the page hands them to the worker unread.
  const drop = async (files) => {
    const dataTransfer = await page.evaluateHandle((files) => {
      const dt = new DataTransfer();
      for (const [name, text] of files) dt.items.add(new File([text], name, { type: 'text/csv' }));
      return dt;
    }, files);
    await page.dispatchEvent('section.drop-zone', 'drop', { dataTransfer });
  };
  const head = 'Id,Username,Email,IsActive,ProfileId\n';
  await drop([['users.csv', head + '005000000000001,ann@example.com,ann@example.com,true,00e000000000001\n']]);
  const card = page.locator('.file-card[data-file="users.csv"]');
  await card.locator('.file-kind').filter({ hasText: /Users/ }).waitFor();
  assert.equal((await shownSummary(page)).none, 1);
  // The same name again, with two users: the worker reads the new file, not the old one.
  await drop([['users.csv', head
    + '005000000000001,ann@example.com,ann@example.com,true,00e000000000001\n'
    + '005000000000002,bob@example.com,bob@example.com,true,00e000000000001\n']]);
  await page.waitForFunction(() => document.querySelector('#summary [data-action=none] dd')?.textContent === '2',
    null, { timeout: 30000 });
  assert.equal(await page.locator('.file-card').count(), 1);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('the load screen shows a card per demo file; mapping and integration views; keyboard tabs', async () => {
  const app = await openDemo();
  const { page } = app;
  // Keyboard: arrow keys move between tabs.
  await page.focus('#tab-report');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  // Yew re-renders after the key event: wait for the selected tab and its focus to settle.
  await page.waitForFunction(() => document.querySelector('#tab-load')?.getAttribute('aria-selected') === 'true'
    && document.activeElement?.id === 'tab-load', null, { timeout: 10000 }).catch(() => {});
  assert.equal(await page.getAttribute('#tab-load', 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-load');
  const demoFiles = fs.readdirSync(path.join(root, 'www', 'demo')).filter((f) => !f.endsWith('.md'));
  for (const f of demoFiles) {
    assert.equal(await page.locator(`.file-card[data-file="${f}"]`).count(), 1, f);
  }
  assert.match(await page.locator('.file-card[data-file="users.csv"] .file-kind').textContent(), /Users/);
  await screenshot(page, 'load');

  await page.click('#tab-mapping');
  const lead = page.locator('#mapping-table tr[data-profile="Marketing Lead"]');
  await lead.waitFor();
  assert.equal(await lead.getAttribute('data-default'), 'false');
  assert.equal(await lead.locator('td.role').textContent(), 'Sales Manager');
  assert.ok(await page.locator('#mapping-table tr[data-default=true]').count() > 0);

  await page.click('#tab-integration');
  await page.locator('#integration-users').waitFor();
  assert.ok(await page.locator('#integration-users [data-user-id]').count() > 0);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});
