// Salesforce's weekly Data Export dropped as it comes: two zip archives (`WE_<org id>_1.zip`,
// `_2.zip`) holding one CSV per object of the org, those syncplan reads and others it does not
// (accounts, contacts, an attachment), some entries stored and some deflated. The page reads
// only the entries it needs, out of the archives, and plans as the command line does with the
// same zips, and as it does with the CSV files given one by one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openApp, syncplanCli, shownSummary, root, writeZip } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a Data Export dropped as its zips plans as its CSV files, reading only the entries needed', async () => {
  const demo = path.join(root, 'www', 'demo');
  const file = (n) => fs.readFileSync(path.join(demo, n));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncplan-we-'));
  try {
    const one = path.join(dir, 'WE_00D300000001AaAEAU_1.zip');
    const two = path.join(dir, 'WE_00D300000001AaAEAU_2.zip');
    writeZip(one, [
      ['Account.csv', Buffer.from('"Id","Name"\r\n"0013000000AbCdEAAV","Acme"\r\n'), true],
      ['Contact.csv', Buffer.from('"Id","Email","FirstName","LastName"\r\n"0033000000AbCdEAAV","ana@acme.example","Ana","Lima"\r\n'), true],
      ['User.csv', file('users.csv'), false],
      ['UserRole.csv', file('roles.csv'), true],
      ['Profile.csv', file('profiles.csv'), true],
      ['Attachments/00P3000000AbCdE.bin', { size: 3_000_000, byte: 0x78 }, false],
    ]);
    writeZip(two, [
      ['Group.csv', file('groups.csv'), true],
      ['GroupMember.csv', file('group-members.csv'), true],
      ['UserLicense.csv', file('licenses.csv'), true],
      ['PermissionSetAssignment.csv', file('permission-set-assignments.csv'), true],
      ['UserLogin.csv', file('user-logins.csv'), true],
      ['PardotTenant.csv', file('pardot-tenants.csv'), true],
      ['Opportunity.csv', Buffer.from('"Id"\r\n'), true],
    ]);
    const given = [one, two, path.join(demo, 'ae-users-acme.csv'), path.join(demo, 'syncplan.json')];
    const cli = JSON.parse(syncplanCli(['plan', one, two, path.join(demo, 'ae-users-acme.csv'),
      '--scenario', path.join(demo, 'syncplan.json'), '--format', 'json']));
    const unzipped = JSON.parse(syncplanCli(['plan', 'www/demo', '--format', 'json']));
    assert.deepEqual(cli.summary, unzipped.summary, 'the command line reads the zips as the CSV files');

    const app = await openApp(browser, server.origin);
    const { page } = app;
    await page.setInputFiles('#file-input', given);
    assert.deepEqual(await shownSummary(page), cli.summary);
    // A card per archive, holding a card per entry read, named after its archive.
    await page.click('#tab-load');
    assert.equal(await page.locator('[data-archive]').count(), 2);
    const cards = await page.$$eval('[data-archive] [data-file]', (els) => els.map((e) => e.dataset.file));
    assert.ok(cards.includes('WE_00D300000001AaAEAU_1.zip/User.csv'), cards.join(', '));
    assert.ok(cards.includes('WE_00D300000001AaAEAU_2.zip/GroupMember.csv'), cards.join(', '));
    assert.ok(!cards.some((c) => /Account|Contact|Attachments|Opportunity/.test(c)), cards.join(', '));
    // The entries not used, said in one line on their archive's card.
    const first = page.locator('[data-archive="WE_00D300000001AaAEAU_1.zip"]');
    assert.match(await first.locator('.archive-notes').textContent(),
      /not used: Account\.csv, Contact\.csv, Attachments\/00P3000000AbCdE\.bin/);
    assert.match(await first.locator('.file-kind').first().textContent(), /Salesforce Data Export — 3 exports read/);
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreign(), []);
    await app.context.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the demo org as Data Export writes it (quoted, Western European, null ids) plans as the command line does', async () => {
  const fixture = path.join(root, 'tests', 'fixtures', 'data-export');
  const demo = path.join(root, 'www', 'demo');
  const zips = ['WE_00D5g000000demoEAA_1.zip', 'WE_00D5g000000demoEAA_2.zip'].map((n) => path.join(fixture, n));
  const cli = JSON.parse(syncplanCli(['plan', ...zips, path.join(demo, 'ae-users-acme.csv'),
    '--scenario', path.join(demo, 'syncplan.json'), '--format', 'json']));
  const app = await openApp(browser, server.origin);
  const { page } = app;
  await page.setInputFiles('#file-input', [...zips, path.join(demo, 'ae-users-acme.csv'), path.join(demo, 'syncplan.json')]);
  assert.deepEqual(await shownSummary(page), cli.summary);
  await page.click('#tab-load');
  const users = page.locator('[data-file="WE_00D5g000000demoEAA_1.zip/User.csv"]');
  await users.waitFor();
  assert.match(await users.textContent(), /windows-1252/);
  assert.equal(await users.locator('.rows-rejected').textContent(), '0');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});
