import { describe, expect, test } from 'vitest';
import type { PresenceEvent, SignalEvent } from '../src/index.js';
import { client, env, Proxy, sleep, uniq, waitFor } from './helpers.js';

describe('presence', () => {
  test('join, state updates and leave, with presence() and presenceStats()', async () => {
    const ch = uniq('doc');
    const a = client().connect();
    const sa = a.subscribe(ch);
    const joins: PresenceEvent[] = [];
    const leaves: PresenceEvent[] = [];
    const updates: PresenceEvent[] = [];
    sa.on('join', (e) => joins.push(e));
    sa.on('leave', (e) => leaves.push(e));
    sa.on('presence', (e) => updates.push(e));
    await waitFor(() => sa.state === 'subscribed');
    await a.ready();
    const aId = a.info!.client;
    expect([...sa.members.keys()]).toEqual([aId]);

    const b = client().connect();
    const sb = b.subscribe(ch);
    await waitFor(() => sb.state === 'subscribed');
    const bId = b.info!.client;
    await waitFor(() => joins.length === 1, 5000, 'a join');
    expect(joins[0]!.info.client).toBe(bId);
    expect(sb.members.size).toBe(2);

    const { clock } = await sb.setPresence({ cursor: { x: 3, y: 9 } });
    expect(clock).toBeGreaterThan(1);
    await waitFor(() => updates.length === 1, 5000, 'a presence update');
    expect(sa.members.get(bId)!.state).toEqual({ cursor: { x: 3, y: 9 } });

    const all = await sa.presence();
    expect(Object.keys(all).sort()).toEqual([aId, bId].sort());
    expect(all[bId]!.state).toEqual({ cursor: { x: 3, y: 9 } });
    expect(await sa.presenceStats()).toEqual({ clients: 2, users: 1 });

    sb.unsubscribe();
    await waitFor(() => leaves.length === 1, 5000, 'a leave');
    expect(leaves[0]!.info.client).toBe(bId);
    expect([...sa.members.keys()]).toEqual([aId]);
  });

  test('a client that reconnects comes back with its presence state', async () => {
    const ch = uniq('doc');
    const watcher = client().connect();
    const sw = watcher.subscribe(ch);
    await waitFor(() => sw.state === 'subscribed');
    const proxy = await Proxy.start(env('CHORUS_URL'));
    const c = client(proxy.url).connect();
    const sc = c.subscribe(ch);
    await waitFor(() => sc.state === 'subscribed');
    await sc.setPresence({ name: 'ann' });
    await waitFor(() => [...sw.members.values()].some((m) => (m.state as { name?: string } | undefined)?.name === 'ann'));
    const oldId = c.info!.client;
    proxy.cutAll();
    await waitFor(() => c.status === 'connected' && c.info!.client !== oldId, 5000, 'reconnected');
    const newId = c.info!.client;
    // the new connection is a new presence entry; it gets the state again
    await waitFor(() => (sw.members.get(newId)?.state as { name?: string } | undefined)?.name === 'ann', 5000, 'state restored');
    // the old entry leaves once the server notices the cut connection (heartbeat timeout 5 s)
    await waitFor(() => !sw.members.has(oldId), 8000, 'the old entry to leave');
  });
});

describe('signals', () => {
  test('are throttled on the client and the last value always arrives', async () => {
    const ch = uniq('cursors');
    const a = client().connect();
    const b = client().connect();
    const sa = a.subscribe(ch);
    const sb = b.subscribe(ch);
    const got: SignalEvent[] = [];
    sb.on('signal', (e) => got.push(e));
    await waitFor(() => sa.state === 'subscribed' && sb.state === 'subscribed');
    const start = Date.now();
    let i = 0;
    while (Date.now() - start < 500) {
      sa.signal('cursor', { x: ++i, y: 0 });
      await sleep(2);
    }
    await sleep(300);
    expect(i).toBeGreaterThan(60);
    // about 20 per second for half a second (+ the first and the trailing one)
    expect(got.length).toBeGreaterThanOrEqual(3);
    expect(got.length).toBeLessThanOrEqual(14);
    expect(got[got.length - 1]!.data).toEqual({ x: i, y: 0 });
    expect(got[0]!.info!.client).toBe(a.info!.client);
    expect(got.every((s) => s.key === 'cursor')).toBe(true);
  });
});
