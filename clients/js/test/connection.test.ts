import { describe, expect, test } from 'vitest';
import { ChorusError, type Publication, type Status } from '../src/index.js';
import { client, env, Proxy, sleep, uniq, waitFor } from './helpers.js';

describe('connection', () => {
  test('status goes connecting -> connected, and disconnected on disconnect()', async () => {
    const c = client();
    const seen: Status[] = [];
    c.on('status', (e) => seen.push(e.status));
    expect(c.status).toBe('disconnected');
    c.connect();
    expect(c.status).toBe('connecting');
    await c.ready();
    expect(c.info!.client).not.toBe('');
    expect(c.info!.ping).toBe(1);
    expect(c.info!.timeout).toBe(5);
    c.disconnect();
    expect(seen).toEqual(['connecting', 'connected', 'disconnected']);
  });

  test('stays connected past the heartbeat timeout by answering pings', async () => {
    const c = client().connect();
    await c.ready();
    const id = c.info!.client;
    let drops = 0;
    c.on('disconnected', () => drops++);
    await sleep(6000); // the server's timeout is 5 s
    expect(c.status).toBe('connected');
    expect(c.info!.client).toBe(id);
    expect(drops).toBe(0);
  });

  test('rpc and errors', async () => {
    const c = client().connect();
    expect(await c.rpc('sum', { a: 2, b: 40 })).toBe(42);
    const e = (await c.rpc('nope').catch((x: unknown) => x)) as ChorusError;
    expect(e).toBeInstanceOf(ChorusError);
    expect(e.code).toBe(114);
  });

  test('history returns what was published, in order', async () => {
    const c = client().connect();
    const ch = uniq('hist');
    const sub = c.subscribe(ch);
    for (let i = 1; i <= 5; i++) await c.publish(ch, { i }).confirmed;
    const h = await sub.history();
    expect(h.publications.map((p) => p.data)).toEqual([1, 2, 3, 4, 5].map((i) => ({ i })));
    expect(h.position.offset).toBe(5);
    const last2 = await sub.history({ limit: 2, reverse: true });
    expect(last2.publications.map((p) => p.offset)).toEqual([5, 4]);
  });

  test('a refused subscribe fails the subscription without touching the connection', async () => {
    const c = client().connect();
    const sub = c.subscribe('bad channel name!');
    const errs: number[] = [];
    sub.on('error', (e) => errs.push((e.error as ChorusError).code));
    await waitFor(() => sub.state === 'failed', 5000, 'failed');
    expect(errs).toEqual([111]);
    expect(c.status).toBe('connected');
  });

  test('MessagePack: a msgpack client and a JSON client see the same values', async () => {
    const ch = uniq('mp');
    const mp = client(env('CHORUS_URL'), { format: 'msgpack' }).connect();
    const js = client().connect();
    const got: Publication[] = [];
    mp.subscribe(ch).on('publication', (p) => got.push(p));
    const jgot: Publication[] = [];
    js.subscribe(ch).on('publication', (p) => jgot.push(p));
    await waitFor(() => mp.getSubscription(ch)!.state === 'subscribed' && js.getSubscription(ch)!.state === 'subscribed');
    const value = { text: 'héllo', n: 3, f: 1.5, list: [true, null, 'x'], nested: { big: 2 ** 40 } };
    const pos = await mp.publish(ch, value).confirmed;
    expect(pos.offset).toBe(1);
    await js.publish(ch, { from: 'json' }).confirmed;
    await waitFor(() => got.length === 2 && jgot.length === 2);
    expect(got[0]!.data).toEqual(value);
    expect(jgot[0]!.data).toEqual(value);
    expect(got[1]!.data).toEqual({ from: 'json' });
    expect(await mp.rpc('sum', { a: 1, b: 2 })).toBe(3);
  });

  test('a dead network is detected within the timeout and the client reconnects', async () => {
    const proxy = await Proxy.start(env('CHORUS_URL'));
    const c = client(proxy.url, { requestTimeout: 2000 }).connect();
    await c.ready();
    const first = c.info!.client;
    const seen: Status[] = [];
    c.on('status', (e) => seen.push(e.status));
    proxy.dropDown = true; // the server's pings no longer arrive
    await waitFor(() => seen.includes('reconnecting'), 9000, 'the client to notice');
    await sleep(300); // the next handshake's answer is lost as well: the handshake times out
    proxy.dropDown = false;
    await waitFor(() => c.status === 'connected', 8000, 'reconnected');
    expect(c.info!.client).not.toBe(first);
  });
});
