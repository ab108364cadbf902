// Keeping the files and the set-up in this browser (opt-in), to come back to them; leaving a
// page whose files nothing keeps asks first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, shownSummary, waitForSummary, root } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const demo = path.join(root, 'www', 'demo');
const demoFiles = () => fs.readdirSync(demo).filter((n) => /\.(csv|json)$/.test(n)).sort().map((n) => path.join(demo, n));

test('kept files and an edited set-up come back after a reload, and unticking forgets them', async () => {
  const app = await openApp(browser, server.origin);
  const { page } = app;
  await page.setInputFiles('#file-input', demoFiles());
  await shownSummary(page);
  await page.check('#keep');
  // An edit after keeping is kept too.
  await page.click('#tab-setup');
  await page.selectOption('#both-groups', 'marketing_wins');
  await page.waitForFunction(() => document.querySelector('#summary') && !document.querySelector('section.report.busy'));
  const edited = await shownSummary(page);
  await page.waitForTimeout(500); // the browser writes what it keeps
  await page.reload();
  await page.locator('#restored').waitFor();
  assert.match(await page.textContent('#restored'), new RegExp(`^Opened the ${demoFiles().length} files and the set-up this browser kept on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\.$`));
  await waitForSummary(page, edited);
  await page.click('#tab-load');
  assert.equal(await page.isChecked('#keep'), true);
  await page.click('#tab-setup');
  assert.equal(await page.inputValue('#both-groups'), 'marketing_wins');
  // Unticked: forgotten, so the next visit opens empty.
  await page.click('#tab-load');
  await page.uncheck('#keep');
  await page.waitForTimeout(500);
  page.on('dialog', (d) => d.accept());
  await page.reload();
  await page.locator('#drop-zone, .drop-zone').first().waitFor();
  await page.waitForTimeout(1000);
  assert.equal(await page.locator('#files-title').count(), 0, 'nothing is opened again');
  assert.equal(await page.locator('#restored').count(), 0);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});

test('leaving a page whose files nothing keeps asks first; kept files do not', async () => {
  for (const keep of [false, true]) {
    const app = await openApp(browser, server.origin);
    const { page } = app;
    await page.setInputFiles('#file-input', demoFiles());
    await shownSummary(page);
    if (keep) await page.check('#keep');
    // The browser asks only on a page the user has interacted with.
    await page.click('#tab-report');
    const asked = new Promise((resolve) => {
      page.on('dialog', async (d) => { resolve(d.type()); await d.accept(); });
      setTimeout(() => resolve(null), 3000);
    });
    await page.close({ runBeforeUnload: true });
    assert.equal(await asked, keep ? null : 'beforeunload', keep ? 'kept: no question' : 'not kept: the browser asks');
    await app.context.close();
  }
});
