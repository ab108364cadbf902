// Injection in the browser: an org whose names, titles, usernames and group names
// hold HTML and script, formula payloads and a right-to-left override is uploaded through the
// file input and planned. No script runs (window.__pwned stays undefined, no dialog opens), no
// element is made from a value (no <img src=x>), no request is made (not even for `x`), and the
// payloads are on the page as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const SVG = '<svg onload="window.__pwned=3">';
const PAYLOADS = [IMG, SCRIPT, SVG, '=HYPERLINK("http://evil.example","x")', '+cmd', '@SUM(1+1)', '-2+3',
  'Invoice\u202Efdp.exe', 'javascript:window.__pwned=4'];

/** The 18-character form of a 15-character Salesforce id. */
function sfid(id15) {
  let out = id15;
  for (let c = 0; c < 3; c++) {
    let bits = 0;
    for (let j = 0; j < 5; j++) if (/[A-Z]/.test(id15[c * 5 + j])) bits |= 1 << j;
    out += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[bits];
  }
  return out;
}
const q = (s) => `"${s.replaceAll('"', '""')}"`;

function org() {
  const p1 = sfid('00e000000000001');
  const g1 = sfid('00G000000000001');
  let users = 'Id,Username,Email,FirstName,LastName,Title,IsActive,UserType,ProfileId,Profile.Name\n';
  let members = 'Id,GroupId,UserOrGroupId\n';
  let ae = 'id,email,firstName,lastName,jobTitle,roleName,salesforceId,crmUsername,isDeleted\n';
  PAYLOADS.forEach((p, i) => {
    const n = String(i + 1).padStart(12, '0');
    const uid = sfid(`005${n}`);
    users += `${uid},${q(`${p}u${i}@x.example`)},u${i}@x.example,${q(p)},${q(p)},${q(p)},true,Standard,${p1},Marketing User\n`;
    members += `${sfid(`011${n}`)},${g1},${uid}\n`;
    if (i % 2 === 0) ae += `${1000 + i},u${i}@x.example,${q(IMG)},${q(SVG)},${q(SCRIPT)},${q(p)},${uid},,false\n`;
  });
  const scenario = {
    format_version: '1', mode: 'latest',
    business_units: [{ name: `BU ${IMG}`, ae_users: 'ae-users.csv', marketing_users: [{ public_group: 'Evil_Group' }] }],
  };
  return [
    ['users.csv', users],
    ['profiles.csv', `Id,Name,UserLicense.Name,UserType\n${p1},Marketing User,Salesforce,Standard\n`],
    ['groups.csv', `Id,Name,DeveloperName,Type,RelatedId,DoesIncludeBosses\n${g1},${q(`${SVG}${IMG}`)},Evil_Group,Regular,,true\n`],
    ['group-members.csv', members],
    ['ae-users.csv', ae],
    ['syncplan.json', JSON.stringify(scenario)],
  ].map(([name, text]) => ({ name, mimeType: name.endsWith('.json') ? 'application/json' : 'text/csv', buffer: Buffer.from(text) }));
}

test('hostile names are shown as text: no script runs, no element is made, no request leaves', async () => {
  const app = await openApp(browser, server.origin);
  const { page } = app;
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.setInputFiles('#file-input', org());
  await page.waitForSelector('#summary', { timeout: 30000 });
  await page.locator('.file-card[data-file="users.csv"] .preview td').first().waitFor({ state: 'attached' });
  // Visit every tab and open every disclosure, so that every view renders the values.
  const state = { text: '', imgs: [], handlers: 0, scripts: 0 };
  const tabs = await page.locator('[role=tab]').all();
  assert.ok(tabs.length >= 2, 'the app has tabs');
  for (const tab of tabs) {
    await tab.click();
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await page.waitForTimeout(200);
    const seen = await page.evaluate(() => ({
      text: document.body.textContent,
      imgs: [...document.querySelectorAll('img')].map((i) => i.getAttribute('src')),
      handlers: document.querySelectorAll('[onload], [onerror], [onclick]').length,
      scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__pwned')).length,
    }));
    state.text += seen.text;
    state.imgs.push(...seen.imgs);
    state.handlers += seen.handlers;
    state.scripts += seen.scripts;
  }
  state.pwned = await page.evaluate(() => window.__pwned);
  assert.equal(state.pwned, undefined, 'a payload ran');
  assert.deepEqual(dialogs, []);
  assert.ok(!state.imgs.includes('x'), `an <img src=x> was made: ${state.imgs}`);
  assert.equal(state.handlers, 0, 'an element with an event handler was made from a value');
  assert.equal(state.scripts, 0);
  // The payloads are there, as text.
  assert.ok(state.text.includes(IMG), 'the <img> payload is shown as text');
  assert.ok(state.text.includes('=HYPERLINK('), 'the formula payload is shown as text');
  assert.ok(!app.requests.some((u) => /\/x(\?|$)/.test(u)), `a request for x: ${app.requests.join(' ')}`);
  assert.deepEqual(app.foreign(), []);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});
