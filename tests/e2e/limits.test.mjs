// Files far larger than a browser tab can hold get a clear message (the limit, and how to split
// the export) before anything is read, and the page goes on working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openApp, shownSummary } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a file over the browser limit is refused with how to split it, unread', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-big-'));
  const big = path.join(dir, 'GroupMember.csv');
  // A sparse file: 150 MB on paper, nothing on disk (the page must refuse it from its size alone).
  fs.writeFileSync(big, 'GroupId,UserOrGroupId\n');
  fs.truncateSync(big, 150_000_000);
  const app = await openApp(browser, server.origin);
  const { page } = app;
  try {
    await page.setInputFiles('#file-input', big);
    const alert = page.locator('[role=alert]', { hasText: 'GroupMember.csv' });
    await alert.first().waitFor({ timeout: 30000 });
    const text = await alert.first().textContent();
    assert.match(text, /`GroupMember\.csv` is 150(\.0)? MB, more than the 100(\.0)? MB syncplan reads per file in the browser/);
    assert.match(text, /export it in 2 or more parts/);
    assert.match(text, /syncplan plan/);
    // The page still works: the demo loads.
    await page.click('#demo-button');
    await shownSummary(page);
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreign(), []);
  } finally {
    await app.context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
