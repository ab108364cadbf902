// The browser end-to-end harness: serves the built app (dist/) on 127.0.0.1, opens it in
// Debian's headless Chromium through playwright-core, and records every network request so
// that a test fails on any request to another origin. Later tests add cases with `openApp`.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const dist = path.join(root, 'dist');
export const artifacts = path.join(here, 'artifacts');

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
export async function openApp(browser, origin, pathAndQuery = '/') {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 900 } });
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
  const bin = path.join(root, 'target', 'debug', 'syncplan');
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
