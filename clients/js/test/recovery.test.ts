import { describe, expect, test } from 'vitest';
import type { DisconnectEvent, Publication, ResyncEvent } from '../src/index.js';
import { client, control, env, Proxy, sleep, uniq, waitFor } from './helpers.js';

const ns = (pubs: Publication[]) => pubs.map((p) => (p.data as { n: number }).n);

describe('recovery', () => {
  test('connections cut by the network: every publication arrives exactly once, in order', async () => {
    const ch = uniq('room');
    const proxy = await Proxy.start(env('CHORUS_URL'));
    const sub = client(proxy.url).connect();
    const got: Publication[] = [];
    const resyncs: ResyncEvent[] = [];
    const s = sub.subscribe(ch);
    s.on('publication', (p) => got.push(p));
    s.on('resync', (e) => resyncs.push(e));
    await waitFor(() => s.state === 'subscribed');
    const pub = client().connect();
    let reconnects = 0;
    sub.on('connected', () => reconnects++);
    const N = 60;
    const cuts = [15, 35, 50];
    for (let n = 1; n <= N; n++) {
      await pub.publish(ch, { n }).confirmed;
      if (cuts.includes(n)) proxy.cutAll(); // the next publications happen while the subscriber is away
      const k = cuts.indexOf(n - 5);
      if (k >= 0) await waitFor(() => reconnects === k + 1, 8000, `reconnect ${k + 1}`); // live again before the next cut
    }
    await waitFor(() => got.length >= N && sub.status === 'connected', 8000, `${N} publications`);
    await sleep(200);
    expect(ns(got)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(got.map((p) => p.offset)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(resyncs).toEqual([]);
    expect(reconnects).toBe(3);
  });

  test('the server drops a silent connection (4001): the client reconnects and recovers', async () => {
    const ch = uniq('room');
    const proxy = await Proxy.start(env('CHORUS_URL'));
    const sub = client(proxy.url).connect();
    const got: Publication[] = [];
    const s = sub.subscribe(ch);
    s.on('publication', (p) => got.push(p));
    const closes: DisconnectEvent[] = [];
    sub.on('disconnected', (e) => closes.push(e));
    await waitFor(() => s.state === 'subscribed');
    const pub = client().connect();
    await pub.publish(ch, { n: 1 }).confirmed;
    proxy.muteUpCurrent(); // our pongs no longer reach the server; the reconnect's connection is not muted
    await waitFor(() => closes.length > 0, 10000, 'the server to close');
    for (let n = 2; n <= 10; n++) await pub.publish(ch, { n }).confirmed;
    await waitFor(() => got.length >= 10, 8000, '10 publications');
    await sleep(100);
    expect(closes[0]!.code).toBe(4001);
    expect(closes[0]!.reconnect).toBe(true);
    expect(ns(got)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('after a restart with the history gone: resync, then live delivery in the new epoch', async () => {
    const ch = uniq('room');
    const sub = client(env('CHORUS_RESTART_URL')).connect();
    const got: Publication[] = [];
    const resyncs: ResyncEvent[] = [];
    const s = sub.subscribe(ch);
    s.on('publication', (p) => got.push(p));
    sub.on('resync', (e) => resyncs.push(e));
    await waitFor(() => s.state === 'subscribed');
    const pub = client(env('CHORUS_RESTART_URL')).connect();
    for (let n = 1; n <= 3; n++) await pub.publish(ch, { n }).confirmed;
    await waitFor(() => got.length === 3);
    const before = s.position!;
    const closes: DisconnectEvent[] = [];
    sub.on('disconnected', (e) => closes.push(e));
    await control('/restart');
    await waitFor(() => resyncs.length === 1, 10000, 'a resync');
    expect(closes[0]!.code).toBe(4000);
    expect(resyncs[0]!.channel).toBe(ch);
    expect(resyncs[0]!.reason).toBe('epoch-changed');
    expect(resyncs[0]!.previous).toEqual(before);
    expect(resyncs[0]!.position.epoch).not.toBe(before.epoch);
    await pub.ready();
    await pub.publish(ch, { n: 4 }).confirmed;
    await waitFor(() => got.length === 4);
    expect(got[3]!.offset).toBe(1);
    expect(got[3]!.epoch).toBe(resyncs[0]!.position.epoch);
    expect(resyncs.length).toBe(1);
  });

  test('a channel without history resyncs after every reconnect', async () => {
    const ch = `nohist:${uniq()}`;
    const proxy = await Proxy.start(env('CHORUS_URL'));
    const c = client(proxy.url).connect();
    const resyncs: ResyncEvent[] = [];
    const s = c.subscribe(ch);
    s.on('resync', (e) => resyncs.push(e));
    await waitFor(() => s.state === 'subscribed');
    const got: Publication[] = [];
    s.on('publication', (p) => got.push(p));
    const pub = client().connect();
    await pub.publish(ch, { n: 1 }).confirmed;
    await waitFor(() => got.length === 1);
    expect(got[0]!.offset).toBe(0);
    c.disconnect(); // while away, a publication the client can never get back
    await pub.publish(ch, { n: 2 }).confirmed;
    c.connect();
    await waitFor(() => resyncs.length === 1, 5000, 'a resync');
    expect(resyncs[0]!.reason).toBe('not-recovered');
  });
});

describe('optimistic publish', () => {
  test('whose reply was lost is retried with the same key and confirmed exactly once', async () => {
    const ch = uniq('chat');
    const watcher = client().connect();
    const seen: Publication[] = [];
    const w = watcher.subscribe(ch);
    w.on('publication', (p) => seen.push(p));
    await waitFor(() => w.state === 'subscribed');

    const proxy = await Proxy.start(env('CHORUS_URL'));
    const c = client(proxy.url).connect();
    await c.ready();
    proxy.dropDown = true; // the publish reaches the server, its reply never comes back
    const h = c.publish(ch, { text: 'once' });
    expect(h.status).toBe('pending');
    await waitFor(() => seen.length === 1, 5000, 'the publication to be stored');
    expect(h.status).toBe('pending');
    proxy.cutAll();
    proxy.dropDown = false;
    const pos = await h.confirmed;
    expect(h.status).toBe('confirmed');
    expect(pos).toEqual({ offset: seen[0]!.offset, epoch: seen[0]!.epoch });
    await c.publish(ch, { text: 'after' }).confirmed;
    await waitFor(() => seen.length === 2);
    const hist = await w.history();
    expect(hist.publications.map((p) => p.data)).toEqual([{ text: 'once' }, { text: 'after' }]);
    expect(seen.map((p) => p.data)).toEqual([{ text: 'once' }, { text: 'after' }]);
  });

  test('published before connecting goes out on connect', async () => {
    const ch = uniq('chat');
    const c = client();
    const h = c.publish(ch, { early: true });
    const changes: string[] = [];
    h.onChange((x) => changes.push(x.status));
    c.connect();
    expect((await h.confirmed).offset).toBe(1);
    expect(changes).toEqual(['confirmed']);
  });

  test('refused by the server fails with its error', async () => {
    const c = client().connect();
    const h = c.publish('bad name!', 1);
    await expect(h.confirmed).rejects.toMatchObject({ code: 111 });
    expect(h.status).toBe('failed');
  });
});
