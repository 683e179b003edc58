import { describe, expect, test } from 'vitest';
import { createChannelStore } from '../src/zustand.js';
import { client, control, env, Proxy, uniq, waitFor } from './helpers.js';

type Msg = { text: string };

describe('zustand binding', () => {
  test('chat: optimistic message pending, then confirmed once, with the backlog, presence and status', async () => {
    const ch = uniq('chat');
    const other = client().connect();
    await other.publish(ch, { text: 'earlier' }).confirmed;
    let stored = 0;
    other.subscribe(ch).on('publication', () => stored++);
    await waitFor(() => other.getSubscription(ch)!.state === 'subscribed');

    const proxy = await Proxy.start(env('CHORUS_URL'));
    const c = client(proxy.url);
    const store = createChannelStore<Msg>(c, ch);
    expect(store.getState().status).toBe('disconnected');
    c.connect();
    await waitFor(() => store.getState().messages.length === 1, 5000, 'the backlog');
    expect(store.getState().status).toBe('connected');
    expect(store.getState().messages[0]).toMatchObject({ data: { text: 'earlier' }, status: 'confirmed', mine: false });
    await waitFor(() => Object.keys(store.getState().members).length === 2, 5000, 'two members');
    expect(Object.keys(store.getState().members).sort()).toEqual([c.info!.client, other.info!.client].sort());

    proxy.dropDown = true; // the reply will be lost: the message stays pending across a reconnect
    const h = store.getState().publish({ text: 'mine' });
    expect(store.getState().messages.map((m) => [m.data.text, m.status])).toEqual([['earlier', 'confirmed'], ['mine', 'pending']]);
    await waitFor(() => stored === 1, 5000, 'the server to store it');
    expect(store.getState().messages[1]!.status).toBe('pending');
    proxy.cutAll();
    proxy.dropDown = false;
    await waitFor(() => store.getState().status === 'reconnecting' || store.getState().status === 'connected');
    await h.confirmed;
    await waitFor(() => store.getState().messages.every((m) => m.status === 'confirmed'));
    await other.publish(ch, { text: 'later' }).confirmed;
    await waitFor(() => store.getState().messages.length === 3, 5000, 'three messages');
    expect(store.getState().messages.map((m) => [m.data.text, m.offset, m.mine])).toEqual([
      ['earlier', 1, false],
      ['mine', 2, true],
      ['later', 3, false],
    ]);
    store.getState().destroy();
  });

  test('a failed publish stays visible as failed until dismissed', async () => {
    const c = client().connect();
    const store = createChannelStore<Msg>(c, 'no spaces allowed');
    const h = store.getState().publish({ text: 'x' });
    await h.confirmed.catch(() => {});
    const m = store.getState().messages.find((x) => x.id === h.key)!;
    expect(m.status).toBe('failed');
    expect(m.error).toBeTruthy();
    store.getState().dismiss(h.key);
    expect(store.getState().messages).toEqual([]);
  });

  test('resync reloads the messages from history', async () => {
    const ch = uniq('chat');
    const c = client(env('CHORUS_RESTART_URL')).connect();
    const store = createChannelStore<Msg>(c, ch);
    const pub = client(env('CHORUS_RESTART_URL')).connect();
    await pub.publish(ch, { text: 'old epoch' }).confirmed;
    await waitFor(() => store.getState().messages.length === 1);
    await control('/restart');
    await waitFor(() => store.getState().resyncs === 1, 10000, 'a resync');
    // the history is gone: the old message is dropped, not kept as if still current
    expect(store.getState().messages).toEqual([]);
    await pub.ready();
    await pub.publish(ch, { text: 'new epoch' }).confirmed;
    await waitFor(() => store.getState().messages.length === 1 && store.getState().messages[0]!.data.text === 'new epoch');
  });
});
