import { QueryClient } from '@tanstack/query-core';
import { describe, expect, test } from 'vitest';
import { bindQueries, upsertById } from '../src/tanstack-query.js';
import { client, control, env, uniq, waitFor } from './helpers.js';

interface Item {
  id: number;
  name: string;
}

describe('tanstack-query binding', () => {
  test('a list kept live: values go in with setQueryData, "changed" events and resyncs invalidate', async () => {
    const items = uniq('items');
    const c = client(env('CHORUS_RESTART_URL')).connect();
    const qc = new QueryClient();
    let fetches = 0;
    let server: Item[] = [{ id: 1, name: 'one' }];
    const observe = () =>
      qc.fetchQuery({ queryKey: ['items'], queryFn: async () => (fetches++, server.map((x) => ({ ...x }))), staleTime: Infinity });
    await observe();
    // an active observer so that invalidation refetches
    const { QueryObserver } = await import('@tanstack/query-core');
    const obs = new QueryObserver(qc, { queryKey: ['items'], queryFn: async () => (fetches++, server.map((x) => ({ ...x }))), staleTime: Infinity });
    const unobserve = obs.subscribe(() => {});
    const unbind = bindQueries(c, qc, [{ channel: items, queryKey: ['items'], update: upsertById<Item>((x) => x.id) }]);
    await waitFor(() => c.getSubscription(items)!.state === 'subscribed');
    const f0 = fetches;

    const pub = client(env('CHORUS_RESTART_URL')).connect();
    await pub.publish(items, { id: 2, name: 'two' }).confirmed;
    await pub.publish(items, { id: 1, name: 'ONE' }).confirmed;
    await waitFor(() => (qc.getQueryData<Item[]>(['items']) ?? []).length === 2 && qc.getQueryData<Item[]>(['items'])![0]!.name === 'ONE');
    expect(qc.getQueryData(['items'])).toEqual([{ id: 1, name: 'ONE' }, { id: 2, name: 'two' }]);
    await pub.publish(items, { deleted: 2 }).confirmed;
    await waitFor(() => qc.getQueryData<Item[]>(['items'])!.length === 1);
    expect(fetches).toBe(f0); // written directly, no refetch

    // "something changed" (no value): invalidate, and the active query refetches
    server = [{ id: 1, name: 'ONE' }, { id: 3, name: 'three' }];
    await pub.publish(items, { changed: true }).confirmed;
    await waitFor(() => fetches === f0 + 1 && qc.getQueryData<Item[]>(['items'])!.length === 2, 5000, 'a refetch');

    // a resync invalidates too
    server = [{ id: 9, name: 'after restart' }];
    await control('/restart');
    await waitFor(() => qc.getQueryData<Item[]>(['items'])![0]!.id === 9, 10000, 'a refetch after the resync');
    expect(fetches).toBe(f0 + 2);
    unbind();
    unobserve();
    expect(c.getSubscription(items)).toBeUndefined();
  });

  test('custom invalidate keys for "something changed" events', async () => {
    const ch = uniq('tickets');
    const c = client().connect();
    const qc = new QueryClient();
    qc.setQueryData(['tickets', 7], { id: 7 });
    qc.setQueryData(['tickets', 8], { id: 8 });
    bindQueries(c, qc, [{ channel: ch, queryKey: ['tickets'], invalidate: (p) => [['tickets', (p.data as { ticketId: number }).ticketId]] }]);
    await waitFor(() => c.getSubscription(ch)!.state === 'subscribed');
    await client().connect().publish(ch, { ticketId: 7 }).confirmed;
    await waitFor(() => qc.getQueryState(['tickets', 7])!.isInvalidated);
    expect(qc.getQueryState(['tickets', 8])!.isInvalidated).toBe(false);
  });
});
