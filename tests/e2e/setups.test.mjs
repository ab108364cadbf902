// The set-up screen's three helpers, as an admin uses them on the demo org: propose the set-up
// that keeps everyone as they are and use it (the page then plans what `syncplan propose`
// promised), compare the legacy set-up with the latest one (the counts of `syncplan compare`),
// and undo and redo an edit, with what each edit changed.
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

const demo = path.join(root, 'www', 'demo');

async function openDemo() {
  const app = await openApp(browser, server.origin);
  await app.page.click('#demo-button');
  await shownSummary(app.page);
  await app.page.click('#tab-setup');
  return app;
}

test('Propose on the demo, use it, and the page plans what the command line promised', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-propose-'));
  try {
    const said = syncplanCli(['propose', 'www/demo', '--out', out]);
    const line = said.split('\n')[0].replace(/^[^:]+: /, '');
    assert.match(line, /^kept (\d+) of (\d+) users; 0 created; 0 recycled/);
    const planned = JSON.parse(syncplanCli(['plan', 'www/demo', path.join(out, 'proposed-groups.csv'),
      path.join(out, 'proposed-group-members.csv'), '--scenario', path.join(out, 'syncplan.json'), '--format', 'json']));

    const app = await openDemo();
    const { page } = app;
    await page.click('#propose');
    await page.locator('#proposal-summary-0').waitFor();
    assert.equal(await page.textContent('#proposal-summary-0'), line);
    assert.ok(await page.locator('.proposal-chosen tbody tr').count() >= 1, 'each assignment says why');
    await page.click('#use-proposal');
    await waitForSummary(page, planned.summary);
    assert.equal(planned.summary.create, 0);
    // The new groups are files of their own now, and the set-up before can be had back.
    await page.click('#tab-load');
    await page.locator('[data-file="proposed-groups.csv"]').waitFor();
    await page.click('#tab-setup');
    assert.equal(await page.isEnabled('#undo'), true);
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreign(), []);
    await app.context.close();
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('Compare legacy with latest: the counts of syncplan compare', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-compare-'));
  try {
    const scenario = JSON.parse(fs.readFileSync(path.join(demo, 'syncplan.json'), 'utf8'));
    const legacy = { ...scenario, mode: 'legacy', legacy: {} };
    fs.writeFileSync(path.join(dir, 'legacy.json'), JSON.stringify(legacy));
    const cli = JSON.parse(syncplanCli(['compare', 'www/demo', '--before', path.join(dir, 'legacy.json'),
      '--after', path.join(demo, 'syncplan.json'), '--format', 'json']));

    const app = await openDemo();
    const { page } = app;
    await page.click('#compare-versions');
    await page.locator('#comparison').waitFor();
    assert.equal(await page.textContent('#comparison h3'), 'the legacy set-up → this set-up');
    for (const change of ['gains_access', 'loses_access', 'role_changes', 'unchanged']) {
      assert.equal(Number(await page.textContent(`#comparison [data-change="${change}"] dd`)), cli.summary[change], change);
    }
    const changed = cli.users.filter((u) => u.change !== 'unchanged').length;
    assert.equal(await page.locator('#comparison tbody tr').count(), Math.min(changed, 500));
    await page.selectOption('#compare-filter', 'gains_access');
    assert.equal(await page.locator('#comparison tbody tr').count(), Math.min(cli.summary.gains_access, 500));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#compare-csv')]);
    assert.equal(download.suggestedFilename(), 'syncplan-comparison.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.equal(csv.trim().split('\n').length, cli.users.length + 1);
    assert.deepEqual(app.errors, []);
    await app.context.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an edit says what it changed, and is undone and redone', async () => {
  const app = await openDemo();
  const { page } = app;
  const before = await shownSummary(page);
  assert.equal(await page.isEnabled('#undo'), false);
  const group = page.locator('.assignments[data-set=marketing] .assignment[data-reference="All_Marketing"]');
  await group.locator('button').click();
  await page.waitForFunction(() => / since your last change$/.test(document.getElementById('since-last')?.textContent ?? ''));
  const edited = await shownSummary(page);
  assert.notDeepEqual(edited, before);
  const said = await page.textContent('#since-last');
  // Who changed: the users whose action or role moved, named.
  assert.match(await page.textContent('#changed-users summary'), /^\d+ users? changed$/);
  assert.match(await page.textContent('#changed-users li'), / → /);
  assert.match(said, new RegExp(`−${before.create - edited.create} create`));
  await page.click('#undo');
  await waitForSummary(page, before);
  assert.equal(await group.count(), 1, 'the assignment is back');
  await page.click('#redo');
  await waitForSummary(page, edited);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('a set-up that cannot be planned stays editable, and the last plan stays on screen', async () => {
  const app = await openDemo();
  const { page } = app;
  const before = await shownSummary(page);
  const creator = page.locator('#bu-creator-0');
  await creator.fill('nobody@nowhere.example');
  await creator.press('Enter');
  await creator.blur();
  await page.locator('#setup-error').waitFor();
  assert.match(await page.textContent('#setup-error'), /nobody@nowhere\.example/);
  assert.match(await page.textContent('#setup-problem'), /cannot be planned/);
  assert.deepEqual(await shownSummary(page), before, 'the last plan stays');
  assert.equal(await page.inputValue('#bu-creator-0'), 'nobody@nowhere.example', 'the set-up to correct is shown');
  await page.click('#undo');
  await page.waitForFunction(() => !document.getElementById('setup-error'));
  assert.deepEqual(await shownSummary(page), before);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});
