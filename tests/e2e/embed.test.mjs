// The documentation explainer (`?embed&example=…`): every built-in example opens, shows its
// outcome with the rule code, and flipping a switch changes the outcome the way its lesson says.
// Also the page that shows how to embed it with an iframe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// example, its outcome at the defaults, the switch to flip, the outcome after.
const CASES = [
  ['inactive-user', ['none', 'L-IN-SYNC'], 'active', ['recycle', 'L-INACTIVE']],
  ['both-groups', ['create', 'L-CREATE', 'role Sales'], 'marketing_wins', ['create', 'L-CREATE', 'role Marketing']],
  ['nested-groups', ['create', 'L-CREATE'], 'nested', ['none', 'L-OUT-OF-SCOPE']],
  ['unlinked-same-email', ['skip', 'L-SKIP-EMAIL'], 'linked', ['none', 'L-IN-SYNC']],
  ['creator-admin', ['none', 'L-IN-SYNC', 'role Administrator'], 'assigned', ['recycle', 'L-NOT-ASSIGNED']],
  ['legacy-vs-latest', ['none', 'L-OUT-OF-SCOPE'], 'legacy', ['create', 'G-CREATE']],
  ['role-and-subordinates', ['none', 'L-OUT-OF-SCOPE'], 'subordinates', ['create', 'L-CREATE']],
  ['grant-access-hierarchies', ['none', 'L-OUT-OF-SCOPE'], 'include_bosses', ['create', 'L-CREATE', 'role Marketing']],
  ['legacy-role', ['none', 'G-SELECTED', 'role Sales Manager'], 'profile_changed', ['update', 'G-SELECTED', 'role Marketing']],
  ['territory-group', ['recycle', 'L-NOT-ASSIGNED'], 'member', ['none', 'L-IN-SYNC']],
];

// The assumption each example's outcome rests on at its defaults (shown under the explanation).
const ASSUMED = { 'both-groups': 'R-BOTH', 'legacy-role': 'A-LEGACY-ROLE', 'territory-group': 'A-UNRESOLVED-GROUP' };

async function verdict(page) {
  await page.waitForSelector('#embed-outcome');
  return {
    action: await page.getAttribute('#embed-outcome .badge', 'data-action'),
    code: await page.getAttribute('#embed-outcome .embed-verdict .rule', 'data-code'),
    text: await page.textContent('#embed-outcome .embed-verdict'),
  };
}

function check(got, [action, code, role], where) {
  assert.equal(got.action, action, where);
  assert.equal(got.code, code, where);
  if (role) assert.match(got.text, new RegExp(role), where);
}

for (const [name, before, flip, afterFlip] of CASES) {
  test(`embed example ${name}`, async () => {
    const app = await openApp(browser, server.origin, `/?embed&example=${name}`);
    const { page } = app;
    // The app renders once its wasm has started, after the load event: wait for it.
    await page.waitForSelector('#embed-example');
    assert.equal(await page.$eval('#embed-example', (s) => s.value), name);
    check(await verdict(page), before, `${name} at its defaults`);
    assert.ok((await page.$$('#embed-outcome .trace li')).length >= 2, 'the explanation has its steps');
    const assumed = await page.$$eval('#embed-outcome .embed-assumptions li', (li) => li.map((x) => x.dataset.code));
    assert.deepEqual(assumed, ASSUMED[name] ? [ASSUMED[name]] : [], `${name}: the assumptions shown`);
    await page.click(`input[data-switch="${flip}"]`);
    await page.waitForFunction(
      ([a, c]) => document.querySelector('#embed-outcome .badge')?.dataset.action === a
        && document.querySelector('#embed-outcome .embed-verdict .rule')?.dataset.code === c,
      afterFlip,
    );
    check(await verdict(page), afterFlip, `${name} after flipping ${flip}`);
    if (name === 'inactive-user') await screenshot(page, 'embed');
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreign(), []);
    await app.context.close();
  });
}

test('the example page embeds the explainer in iframes', async () => {
  const app = await openApp(browser, server.origin, '/embed-example.html');
  const { page } = app;
  const frames = await page.$$('iframe');
  assert.equal(frames.length, 2);
  const frame = await frames[0].contentFrame();
  await frame.waitForSelector('#embed-outcome .badge');
  assert.equal(await frame.getAttribute('#embed-outcome .badge', 'data-action'), 'none');
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});
