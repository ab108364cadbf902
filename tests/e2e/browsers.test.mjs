// The app in the other browsers admins use: Firefox (Debian's firefox-esr, driven by
// puppeteer-core over WebDriver BiDi) and Safari's engine (WebKitGTK's MiniBrowser, driven by
// WebKitWebDriver through selenium-webdriver, on a virtual display). The same smoke run in each:
// load the demo's files, read the counts of `syncplan plan`, open a user's explanation, edit the
// set-up and read the counts of the CLI for it, save the set-up (a download), and flip a switch of
// the explainer.
//
// A browser that is not installed is skipped with a message (./dev test installs both).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, syncplanCli, root, FIREFOX, WEBKIT_DRIVER, MINIBROWSER, firefoxDriver, webkitDriver } from './harness.mjs';


const demo = path.join(root, 'www', 'demo');
const demoFiles = fs.readdirSync(demo).filter((n) => /\.(csv|json)$/.test(n)).sort().map((n) => path.join(demo, n));

/** `syncplan plan` of the demo, its set-up edited by `edit` when given. */
function cliPlan(edit) {
  if (!edit) return JSON.parse(syncplanCli(['plan', 'www/demo', '--format', 'json']));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-browsers-'));
  try {
    for (const f of demoFiles) fs.copyFileSync(f, path.join(dir, path.basename(f)));
    const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'syncplan.json'), 'utf8'));
    edit(scenario);
    fs.writeFileSync(path.join(dir, 'syncplan.json'), JSON.stringify(scenario));
    return JSON.parse(syncplanCli(['plan', dir, '--format', 'json']));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const withoutAllMarketing = (s) => {
  s.business_units[0].marketing_users = s.business_units[0].marketing_users.filter((a) => a.public_group !== 'All_Marketing');
};

// Read in the page: the counts shown, when the page is not busy (six of them).
const COUNTS = `(() => {
  const els = [...document.querySelectorAll('#summary [data-action]')];
  if (els.length !== 6 || document.querySelector('section.report.busy')) return null;
  return JSON.stringify(Object.fromEntries(els.map((e) => [e.dataset.action, Number(e.querySelector('dd').textContent)])));
})()`;

/**
 * The smoke run, on a driver of either kind: `b` has goto, upload(selector, files), click(selector),
 * eval(expression) and waitFor(expression) (true when the expression is truthy in the page).
 */
async function smoke(b, origin) {
  const want = cliPlan();
  await b.goto(`${origin}/`);
  await b.waitFor(`!!document.getElementById('file-input')`);
  await b.upload('#file-input', demoFiles);
  await b.waitFor(`${COUNTS} === ${JSON.stringify(JSON.stringify(want.summary))}`);
  // An explanation: click a cell of the first user's row.
  await b.click('#tab-report');
  await b.waitFor(`!!document.querySelector('#user-table tr.user-row[data-user-id] td')`);
  await b.click('#user-table tr.user-row[data-user-id] td');
  await b.waitFor(`document.querySelector('#explanation')?.dataset.trace === 'ready'`);
  // A set-up edit: the counts of the CLI for the edited set-up.
  const edited = cliPlan(withoutAllMarketing);
  await b.click('#tab-setup');
  const remove = '.assignments[data-set=marketing] .assignment[data-reference="All_Marketing"] button';
  await b.waitFor(`!!document.querySelector('${remove}')`);
  await b.click(remove);
  await b.waitFor(`${COUNTS} === ${JSON.stringify(JSON.stringify(edited.summary))}`);
  // A download: the edited set-up, saved.
  await b.click('#save-scenario');
  await b.waitFor(`window.__downloads.includes('syncplan.json') && !!window.__downloaded`);
  const saved = JSON.parse(await b.eval('window.__downloaded'));
  assert.equal(saved.business_units[0].marketing_users.some((a) => a.public_group === 'All_Marketing'), false);
  // The explainer: flipping a switch changes the outcome.
  await b.goto(`${origin}/?embed&example=inactive-user`);
  await b.waitFor(`document.querySelector('#embed-outcome .badge')?.dataset.action === 'none'`);
  await b.click('input[data-switch="active"]');
  await b.waitFor(`document.querySelector('#embed-outcome .badge')?.dataset.action === 'recycle'`);
  return b.eval('JSON.stringify(window.__errors ?? [])');
}

// Collect the page's uncaught errors, and the downloads it offers (their names and contents,
// kept instead of handing them to the browser's download manager), which either driver reads
// back through `eval`.
const ERRORS = `window.__errors = []; window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
  window.__downloads = [];
  const made = URL.createObjectURL;
  URL.createObjectURL = (blob) => { blob.text().then((t) => { window.__downloaded = t; }); return made(blob); };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () { if (this.download) { window.__downloads.push(this.download); return; } return click.call(this); };`;

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

test('Firefox: load, report, explanation, set-up edit, download, explainer', { skip: !fs.existsSync(FIREFOX) && `${FIREFOX} is not installed` }, async () => {
  const b = await firefoxDriver(ERRORS);
  try {
    assert.deepEqual(JSON.parse(await smoke(b, server.origin)), []);
  } finally {
    await b.close();
  }
});

test('WebKit: load, report, explanation, set-up edit, download, explainer', { skip: !(fs.existsSync(WEBKIT_DRIVER) && fs.existsSync(MINIBROWSER)) && 'WebKitWebDriver or MiniBrowser is not installed' }, async () => {
  const b = await webkitDriver(ERRORS);
  try {
    assert.deepEqual(JSON.parse(await smoke(b, server.origin)), []);
  } finally {
    await b.close();
  }
});
