// Headless Chromium's native EventSource against /sse: after the connection is cut, the browser
// reconnects by itself with Last-Event-ID and the page receives exactly what it missed, in order, once.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { client, env, onCleanup, Proxy, uniq } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing (scripts/setup.sh installs it): the browser test must run in CI`);
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>chorus EventSource test</title>
<ul id="events"></ul>
<script>
  const es = new EventSource(new URLSearchParams(location.search).get('sse'));
  const add = (text) => { const li = document.createElement('li'); li.textContent = text; document.getElementById('events').append(li); };
  es.onmessage = (e) => { const p = JSON.parse(e.data); add(p.offset + ': ' + p.data.text); };
  es.addEventListener('resync', () => add('resync'));
  es.addEventListener('ready', () => { window.readyCount = (window.readyCount || 0) + 1; });
</script>`;

const items = (page: import('playwright-core').Page) => page.$$eval('#events li', (lis) => lis.map((li) => li.textContent));

describe.skipIf(!haveChromium)('browser EventSource', () => {
  test('a cut stream resumes with Last-Event-ID: the gap arrives in order, once', async () => {
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/index.html')) res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onCleanup(() => new Promise<void>((r) => server.close(() => r())));
    const proxy = await Proxy.start(env('CHORUS_URL'));

    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    onCleanup(() => browser.close());
    const page = await browser.newPage();
    const ch = uniq('sse-browser');
    const sse = `http://127.0.0.1:${proxy.port}/sse?channel=${ch}`;
    const port = (server.address() as AddressInfo).port;
    await page.goto(`http://127.0.0.1:${port}/index.html?sse=${encodeURIComponent(sse)}`);
    await page.waitForFunction(() => (window as any).readyCount === 1, null, { timeout: 10000 });

    const pub = client().connect();
    await pub.publish(ch, { text: 'a' }).confirmed;
    await pub.publish(ch, { text: 'b' }).confirmed;
    await page.waitForFunction(() => document.querySelectorAll('#events li').length === 2, null, { timeout: 10000 });

    // the network drops the stream; meanwhile two more publications
    proxy.cutAll();
    await pub.publish(ch, { text: 'c' }).confirmed;
    await pub.publish(ch, { text: 'd' }).confirmed;
    // the browser reconnects by itself (retry hint) with the last event id it saw
    await page.waitForFunction(() => (window as any).readyCount === 2, null, { timeout: 15000 });
    await page.waitForFunction(() => document.querySelectorAll('#events li').length >= 4, null, { timeout: 10000 });
    await pub.publish(ch, { text: 'e' }).confirmed;
    await page.waitForFunction(() => document.querySelectorAll('#events li').length >= 5, null, { timeout: 10000 });
    expect(await items(page)).toEqual(['1: a', '2: b', '3: c', '4: d', '5: e']);
  });
});
