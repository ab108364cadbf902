// The browser end-to-end harness: serves the built app (dist/) on 127.0.0.1, opens it in
// Debian's headless Chromium through playwright-core, and records every network request so
// that a test fails on any request to another origin. Later tests add cases with `openApp`.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const dist = path.join(root, 'dist');
export const artifacts = path.join(here, 'artifacts');
/** Where cargo builds (`CARGO_TARGET_DIR`, else `target/`). */
export const targetDir = path.resolve(root, process.env.CARGO_TARGET_DIR ?? 'target');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.csv': 'text/csv', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain',
};

const CSP = fs.readFileSync(path.join(root, 'www', 'server', 'csp.txt'), 'utf8').trim();
// The page that shows how to embed the explainer frames the app (www/server/nginx.conf, likewise).
const EXAMPLE_CSP = "default-src 'none'; frame-src 'self'; style-src 'self'";

// Trunk's hashed file names (`app-0123456789abcdef_bg.wasm`): their content never changes, so
// they are cached for good (as www/server/nginx.conf says), and the worker takes the page's wasm
// from the cache. The hash is a 64-bit number in hex without leading zeros: up to 16 digits
// (`app-20e8e5ddd3fa98e.js` has 15).
const HASHED = /-[0-9a-f]{1,16}(_bg)?\.[a-z]+$/;

/**
 * Serve `dir` on 127.0.0.1 (a free port). Returns { origin, close, hits }: `hits(name)` is how
 * many times a file whose path ends in `name` was served.
 */
export async function serve(dir = dist) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: build the app first (./dev build)`);
  }
  const served = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    served.push(url.pathname);
    let file = path.normalize(path.join(dir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        // The policy www/server/nginx.conf sends, so that every test runs under it.
        'content-security-policy': file.endsWith('embed-example.html') ? EXAMPLE_CSP : `${CSP}; frame-ancestors 'self'`,
        ...(HASHED.test(file) ? { 'cache-control': 'public, max-age=31536000, immutable' } : {}),
      });
      res.end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(r)),
    hits: (name) => served.filter((p) => p.endsWith(name)).length,
  };
}

/** Launch headless Chromium (never a downloaded browser: Debian's /usr/bin/chromium). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Open the app at `pathAndQuery` in a fresh context. Every request is recorded in `requests`;
 * `foreign()` lists those to another origin; `errors` collects page errors and console errors.
 */
export async function openApp(browser, origin, pathAndQuery = '/', viewport = { width: 1366, height: 900 }) {
  const context = await browser.newContext({ acceptDownloads: true, viewport });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker console: ${m.text()}`); }));
  await page.goto(origin + pathAndQuery);
  const foreign = () => requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    try { return new URL(u).origin !== origin; } catch { return true; }
  });
  return { context, page, requests, errors, foreign };
}

/** Save a screenshot under tests/e2e/artifacts/ (linked from the README). */
export async function screenshot(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Run the native command line (`target/debug/syncplan`, built if missing) and return stdout. */
export function syncplanCli(args) {
  const bin = path.join(targetDir, 'debug', 'syncplan');
  if (!fs.existsSync(bin)) {
    execFileSync('cargo', ['build', '--quiet', '--bin', 'syncplan'], { cwd: root, stdio: 'inherit' });
  }
  return execFileSync(bin, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** The summary counts shown on the page, as { create, update, … }. */
export async function shownSummary(page) {
  await page.waitForSelector('#summary', { timeout: 30000 });
  return page.$$eval('#summary [data-action]', (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.action, Number(e.querySelector('dd').textContent)])));
}

/** Wait until the page shows these counts ({ create, update, … }) and is not busy. */
export async function waitForSummary(page, expected) {
  await page.waitForFunction((want) => {
    const els = [...document.querySelectorAll('#summary [data-action]')];
    if (els.length !== 6 || document.querySelector('section.report.busy')) return false;
    return els.every((e) => Number(e.querySelector('dd').textContent) === want[e.dataset.action]);
  }, expected, { timeout: 30000 });
}

/** A `--name value` option of a script's command line, or `dflt`. */
export function option(name, dflt) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
}

/**
 * A CDP session with one worker of the browser (`cdp` from `browser.newBrowserCDPSession()`):
 * returns `send(method, params)`, which resolves to the command's result, or to `undefined`
 * when the worker gives no answer within `timeoutMs`.
 */
export async function workerSession(cdp, targetId, timeoutMs = 5000) {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
  let id = 0;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (m) => {
    if (m.sessionId !== sessionId) return;
    const reply = JSON.parse(m.message);
    waiting.get(reply.id)?.(reply.result);
    waiting.delete(reply.id);
  });
  return (method, params = {}) => new Promise((resolve) => {
    id += 1;
    waiting.set(id, resolve);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
      .catch(() => resolve(undefined));
    setTimeout(() => resolve(undefined), timeoutMs);
  });
}

/**
 * The entries of a zip (as bytes), from its central directory: each with its name, its date
 * (the DOS date and time read as UTC, as syncplan writes them) and `text()`, its contents.
 */
export function readZip(buf) {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = buf.readUInt16LE(at + 10);
    const time = buf.readUInt16LE(at + 12);
    const day = buf.readUInt16LE(at + 14);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    const date = new Date(Date.UTC(1980 + (day >> 9), ((day >> 5) & 15) - 1, day & 31,
      time >> 11, (time >> 5) & 63, (time & 31) * 2));
    const text = () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    };
    entries.push({ name, date, text });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Write a zip archive as Data Export writes one (local headers, then the central directory and
 * its end record), streamed to `file` so that an entry can be larger than memory. Each entry is
 * [name, bytes, deflate?], or [name, { size, byte }, false] for `size` bytes of `byte` written in
 * chunks (an attachment syncplan must never read). Up to 4 GB (no ZIP64).
 */
export function writeZip(file, entries) {
  const fd = fs.openSync(file, 'w');
  const directory = [];
  let offset = 0;
  const write = (b) => { fs.writeSync(fd, b); offset += b.length; };
  try {
    for (const [name, content, deflate] of entries) {
      const fileName = Buffer.from(name, 'utf8');
      const filler = !Buffer.isBuffer(content);
      let crc = 0;
      let size = 0;
      let data = null;
      if (filler) {
        size = content.size;
        const chunk = Buffer.alloc(Math.min(size, 1 << 24), content.byte ?? 0);
        for (let left = size; left > 0; left -= chunk.length) crc = zlib.crc32(chunk.subarray(0, Math.min(left, chunk.length)), crc);
      } else {
        size = content.length;
        crc = zlib.crc32(content);
        data = deflate ? zlib.deflateRawSync(content) : content;
      }
      const stored = filler ? size : data.length;
      const fields = (h) => {
        h.writeUInt16LE(deflate ? 8 : 0, 0);
        h.writeUInt32LE(crc >>> 0, 6);
        h.writeUInt32LE(stored, 10);
        h.writeUInt32LE(size, 14);
        h.writeUInt16LE(fileName.length, 18);
      };
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      fields(local.subarray(8));
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      fields(central.subarray(10));
      central.writeUInt32LE(offset, 42);
      directory.push(central, fileName);
      write(local);
      write(fileName);
      if (filler) {
        const chunk = Buffer.alloc(Math.min(size, 1 << 24), content.byte ?? 0);
        for (let left = size; left > 0; left -= chunk.length) write(chunk.subarray(0, Math.min(left, chunk.length)));
      } else {
        write(data);
      }
    }
    const dir = Buffer.concat(directory);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(offset, 16);
    fs.writeSync(fd, dir);
    fs.writeSync(fd, end);
  } finally {
    fs.closeSync(fd);
  }
}

// ---- The other browsers: one small driver interface for each, so that a test or a benchmark
// runs the same steps in Chromium, Firefox and WebKit. A driver has goto(url),
// upload(selector, files), click(selector), eval(expression) and waitFor(expression, timeoutMs)
// (until the expression is truthy in the page), and close(). `init` runs in every page before
// the app (Chromium, Firefox) or right after each goto (WebKit: WebDriver has no earlier hook).

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Chromium through playwright-core. */
export async function chromiumDriver(init = '') {
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  if (init) await context.addInitScript({ content: init });
  const page = await context.newPage();
  return {
    name: 'Chromium',
    goto: (url) => page.goto(url),
    upload: (sel, files) => page.setInputFiles(sel, files),
    click: (sel) => page.click(sel),
    // As functions, not strings: playwright runs a string through eval, which the page's
    // Content-Security-Policy forbids.
    // eslint-disable-next-line no-new-func
    eval: (expr) => page.evaluate(new Function(`return (${expr});`)),
    // eslint-disable-next-line no-new-func
    waitFor: (expr, timeout = 60000) => page.waitForFunction(new Function(`return (${expr});`), null, { timeout, polling: 50 }),
    close: () => browser.close(),
  };
}

/** Firefox ESR through puppeteer-core, over WebDriver BiDi. */
export async function firefoxDriver(init = '') {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 900 });
  if (init) await page.evaluateOnNewDocument(init);
  // Leaving a page that holds files asks first ("Leave page?"): the driver leaves.
  page.on('dialog', (d) => d.accept().catch(() => {}));
  return {
    name: 'Firefox ESR',
    goto: (url) => page.goto(url),
    upload: async (sel, files) => (await page.$(sel)).uploadFile(...files),
    click: (sel) => page.click(sel),
    eval: (expr) => page.evaluate(expr),
    waitFor: (expr, timeout = 60000) => page.waitForFunction(expr, { timeout, polling: 50 }),
    close: () => browser.close(),
  };
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** WebKitGTK's MiniBrowser through WebKitWebDriver and selenium-webdriver, on an Xvfb display
 * it starts unless there is one. */
export async function webkitDriver(init = '') {
  const { Builder, By } = await import('selenium-webdriver');
  let xvfb = null;
  const env = { ...process.env };
  if (!env.DISPLAY) {
    const display = `:${90 + Math.floor(Math.random() * 9)}`;
    xvfb = spawn('Xvfb', [display, '-screen', '0', '1366x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    env.DISPLAY = display;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const port = await freePort();
  const service = spawn(WEBKIT_DRIVER, [`--port=${port}`], { env, stdio: 'ignore' });
  const stop = () => { service.kill(); xvfb?.kill(); };
  let driver;
  try {
    await new Promise((r) => setTimeout(r, 1000));
    driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
      .build();
  } catch (e) {
    stop();
    throw e;
  }
  const poll = async (expr, timeout) => driver.wait(async () => Boolean(await driver.executeScript(`return ${expr};`)), timeout, `waiting for ${expr}`, 50);
  return {
    name: 'WebKitGTK',
    goto: async (url) => { await driver.get(url); if (init) await driver.executeScript(init); },
    upload: async (sel, files) => (await driver.findElement(By.css(sel))).sendKeys(files.join('\n')),
    // Into the middle of the window first: WebDriver scrolls an element only to the window's
    // edge, where the sticky summary covers it.
    click: async (sel) => {
      const el = await driver.findElement(By.css(sel));
      await driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", el);
      await el.click();
    },
    eval: (expr) => driver.executeScript(`return ${expr};`),
    waitFor: (expr, timeout = 60000) => poll(expr, timeout),
    close: async () => { await driver.quit().catch(() => {}); stop(); },
  };
}
