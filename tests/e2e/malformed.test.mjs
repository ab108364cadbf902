// Malformed inputs in the browser: a handful of files from tests/malformed/ go
// through the real file input, one at a time, and each file card shows the same diagnostics,
// with line and column, that `syncplan inspect --format json` gives (tests/malformed/expected.json,
// checked natively by tests/malformed.rs). Nothing crashes and no request leaves the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, root } from './harness.mjs';

const dir = path.join(root, 'tests', 'malformed');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const CASES = [
  'ragged-short.csv', 'unterminated-quote.csv', 'bad-checksum.csv', 'duplicate-ids.csv',
  'invalid-utf8.csv', 'zip-renamed.csv', 'json-renamed.csv', 'utf16le-no-bom.csv', 'utf16-odd-bytes.csv',
];

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** How the card writes a diagnostic's place: `line 3, column 5: `, `line 1: ` or nothing. */
function place(d) {
  if (d.line != null && d.column != null) return `line ${d.line}, column ${d.column}: `;
  if (d.line != null) return `line ${d.line}: `;
  return '';
}

test('each malformed file shows its exact diagnostics with line and column on its card', async () => {
  const app = await openApp(browser, server.origin);
  const { page } = app;
  for (const name of CASES) {
    const want = expected.find((c) => c.input === name);
    assert.ok(want, `${name} is in expected.json`);
    const diags = want.diagnostics.filter((d) => d.file === name);
    assert.ok(diags.length > 0, name);
    await page.setInputFiles('#file-input', [
      { name, mimeType: 'text/csv', buffer: fs.readFileSync(path.join(dir, name)) },
    ]);
    const card = page.locator(`.file-card[data-file="${name}"]`);
    // A card with warnings only keeps its problems folded: wait for them in the DOM.
    await card.locator('.diagnostic').first().waitFor({ state: 'attached', timeout: 30000 });
    const shown = await card.locator('.diagnostic').evaluateAll((els) =>
      els.map((e) => ({ code: e.dataset.code, text: e.textContent })));
    assert.equal(shown.length, diags.length, `${name}: ${JSON.stringify(shown)}`);
    for (const [i, d] of diags.entries()) {
      assert.equal(shown[i].code, d.code, name);
      // (The page shows the engine's quoted values as code spans, without their backticks.)
      assert.ok(shown[i].text.includes(`${place(d)}${d.message}`.replaceAll('`', '')),
        `${name}: want «${place(d)}${d.message}», shown «${shown[i].text}»`);
    }
    const f = want.files[name];
    assert.equal(await card.locator('.rows-read').textContent(), String(f.read), name);
    assert.equal(await card.locator('.rows-rejected').textContent(), String(f.rejected), name);
    await card.getByRole('button', { name: `Remove ${name}` }).click();
    await card.waitFor({ state: 'detached' });
  }
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign(), []);
  await app.context.close();
});
