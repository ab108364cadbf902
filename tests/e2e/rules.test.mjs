// The rules a snapshot of the exports cannot settle, as an admin meets them in the page: a
// territory group nested in an assigned group (the outcomes that depend on it are counted and
// filterable), "Grant access using hierarchies" read both ways, and a business unit whose legacy
// connector has settings of its own. Each golden case is loaded as files, and the page's counts
// are those of `syncplan plan` for the same set-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openApp, syncplanCli, shownSummary, root, waitForSummary } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const golden = (name) => path.join(root, 'tests', 'golden', name);

/** The files of a golden case (its exports and syncplan.json, not its snapshots). */
function caseFiles(dir) {
  return fs.readdirSync(dir).filter((n) => !n.endsWith('.snap')).sort().map((n) => path.join(dir, n));
}

/** `syncplan plan` of a golden case, its set-up edited by `edit` when given. */
function cliPlan(name, edit) {
  if (!edit) return JSON.parse(syncplanCli(['plan', golden(name), '--format', 'json']));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `syncplan-${name}-`));
  try {
    for (const f of caseFiles(golden(name))) fs.copyFileSync(f, path.join(dir, path.basename(f)));
    const file = path.join(dir, 'syncplan.json');
    const scenario = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(scenario);
    fs.writeFileSync(file, JSON.stringify(scenario));
    return JSON.parse(syncplanCli(['plan', dir, '--format', 'json']));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function openCase(name) {
  const app = await openApp(browser, server.origin);
  await app.page.setInputFiles('#file-input', caseFiles(golden(name)));
  assert.deepEqual(await shownSummary(app.page), cliPlan(name).summary, `${name}: the page plans as the CLI`);
  return app;
}

test('outcomes that depend on a territory group are counted apart and filterable', async () => {
  const cli = cliPlan('unresolved-group');
  const uncertain = cli.business_units.flatMap((b) => b.decisions)
    .filter((d) => d.assumptions.some((a) => a.code === 'A-UNRESOLVED-GROUP'));
  assert.equal(uncertain.length, 2, 'the golden case has two such outcomes');
  const app = await openCase('unresolved-group');
  const { page } = app;
  assert.match(await page.textContent('#uncertain'), /^2 outcomes depend on a group syncplan cannot resolve/);
  await page.click('#tab-report');
  await page.selectOption('#filter-finding', 'A-UNRESOLVED-GROUP');
  await page.waitForFunction(() => document.getElementById('row-count')?.textContent.startsWith('2 of '));
  const shown = await page.$$eval('#user-table tr.user-row[data-user-id]', (rows) => rows.map((r) => r.dataset.userId));
  assert.deepEqual(shown.sort(), uncertain.map((d) => d.salesforce_user_id).sort());
  // The explanation names the group the outcome depends on.
  await page.locator(`#user-table [data-user-id="${uncertain[0].salesforce_user_id}"] td`).first().click();
  await page.waitForFunction(() => document.querySelector('#explanation')?.dataset.trace === 'ready');
  assert.match(await page.textContent('#explanation .assumptions'), /A-UNRESOLVED-GROUP.*Territory group West/);
  // The group's name is a value, shown as code, without the engine's backticks.
  assert.equal(await page.textContent('#explanation .assumptions code.value'), 'West');
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('"Grant access using hierarchies" read as adding the bosses re-plans as the CLI does', async () => {
  const app = await openCase('bosses');
  const { page } = app;
  const included = cliPlan('bosses', (s) => { s.include_bosses = true; });
  assert.notDeepEqual(included.summary, cliPlan('bosses').summary, 'the switch matters');
  await page.click('#tab-setup');
  await page.check('#include-bosses');
  await waitForSummary(page, included.summary);
  await page.uncheck('#include-bosses');
  await waitForSummary(page, cliPlan('bosses').summary);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('a business unit\'s own legacy connector settings are edited on their own', async () => {
  const app = await openCase('multi-bu-legacy');
  const { page } = app;
  await page.click('#tab-setup');
  // Acme US (the second business unit) has its own settings; Acme EU uses the shared ones.
  assert.equal(await page.isChecked('#bu1-own-legacy'), true);
  assert.equal(await page.isChecked('#bu0-own-legacy'), false);
  assert.equal(await page.isChecked('#bu1-legacy-recycle'), true);
  assert.equal(await page.isChecked('#legacy-recycle'), false);
  const usKeeps = cliPlan('multi-bu-legacy', (s) => { s.business_units[1].legacy.recycle_when_profile_unselected = false; });
  assert.notDeepEqual(usKeeps.summary, cliPlan('multi-bu-legacy').summary, 'the switch matters');
  await page.uncheck('#bu1-legacy-recycle');
  await waitForSummary(page, usKeeps.summary);
  // Giving Acme EU settings of its own starts from a copy of the shared ones: nothing changes.
  await page.check('#bu0-own-legacy');
  await page.locator('#bu0-legacy-recycle').waitFor();
  await page.check('#bu0-legacy-recycle');
  const both = cliPlan('multi-bu-legacy', (s) => {
    s.business_units[1].legacy.recycle_when_profile_unselected = false;
    s.business_units[0].legacy = { ...s.legacy, recycle_when_profile_unselected: true };
  });
  await waitForSummary(page, both.summary);
  assert.equal(await page.isChecked('#legacy-recycle'), false, 'the shared settings are untouched');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});
