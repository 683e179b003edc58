// One test in headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser): a page
// using the built client connects, subscribes and shows received messages in the DOM.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { client, env, onCleanup, uniq, waitFor } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const msg = `${CHROMIUM} is missing (scripts/setup.sh installs it)`;
  if (process.env.CI === 'true') throw new Error(`${msg}: the browser test must run in CI`);
  console.warn(`SKIPPING the browser test: ${msg}`);
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>chorus browser test</title>
<p>status: <span id="status">none</span></p>
<ul id="messages"></ul>
<script type="module">
  import { Chorus } from '/chorus.js';
  const params = new URLSearchParams(location.search);
  const c = new Chorus(params.get('url'));
  c.on('status', (e) => { document.getElementById('status').textContent = e.status; });
  c.subscribe(params.get('channel')).on('publication', (p) => {
    const li = document.createElement('li');
    li.textContent = p.offset + ': ' + p.data.text;
    document.getElementById('messages').append(li);
  });
  c.connect();
  window.chorus = c;
</script>`;

describe.skipIf(!haveChromium)('browser', () => {
  test('a page using the built client shows received messages', async () => {
    // the built client (tsc output in dist/), bundled for the page
    const bundle = await build({ entryPoints: ['dist/index.js'], bundle: true, format: 'esm', write: false, platform: 'browser' });
    const js = bundle.outputFiles[0]!.text;
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/chorus.js')) res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(js);
      else if (req.url?.startsWith('/index.html')) res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onCleanup(() => new Promise<void>((r) => server.close(() => r())));

    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    onCleanup(() => browser.close());
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const ch = uniq('browser');
    const port = (server.address() as AddressInfo).port;
    await page.goto(`http://127.0.0.1:${port}/index.html?url=${encodeURIComponent(env('CHORUS_URL'))}&channel=${ch}`);
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'connected', null, { timeout: 10000 });
    await page.waitForFunction((c) => (window as any).chorus.getSubscription(c).state === 'subscribed', ch, { timeout: 10000 });

    const pub = client().connect();
    await pub.publish(ch, { text: 'hello from node' }).confirmed;
    await pub.publish(ch, { text: 'and again' }).confirmed;
    await page.waitForFunction(() => document.querySelectorAll('#messages li').length === 2, null, { timeout: 10000 });
    expect(await page.$$eval('#messages li', (lis) => lis.map((li) => li.textContent))).toEqual(['1: hello from node', '2: and again']);
    // and the page publishes: its optimistic handle gets confirmed with the next offset
    const offset = await page.evaluate((c) => (window as any).chorus.publish(c, { text: 'from the page' }).confirmed.then((p: any) => p.offset), ch);
    expect(offset).toBe(3);
    await page.waitForFunction(() => document.querySelectorAll('#messages li').length === 3, null, { timeout: 10000 });
    expect(errors).toEqual([]);
  });
});
