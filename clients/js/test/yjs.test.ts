import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Chorus, Publication } from '../src/index.js';
import { ChorusYjsProvider, type ChorusYjsProviderOptions } from '../src/yjs.js';
import { client, env, onCleanup, Proxy, sleep, token, uniq, waitFor } from './helpers.js';

function provider(c: Chorus, name: string, opts?: ChorusYjsProviderOptions, doc = new Y.Doc()): ChorusYjsProvider {
  const p = new ChorusYjsProvider(c, name, doc, opts);
  onCleanup(() => {
    p.destroy();
    p.doc.destroy();
  });
  return p;
}

const text = (p: { doc: Y.Doc }) => p.doc.getText('text').toString();
const json = (doc: Y.Doc) => ({ text: doc.getText('text').toString(), map: doc.getMap('map').toJSON(), array: doc.getArray('array').toJSON() });

/** JSON with sorted keys: a Y.Map's key order is each replica's own insertion order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));

async function converged(a: Y.Doc, b: Y.Doc, what = 'both documents to converge'): Promise<void> {
  await waitFor(() => canonical(json(a)) === canonical(json(b)), 12000, what);
}

describe('Yjs provider', () => {
  test('two providers on two clients converge on text, map and array, concurrent edits included', async () => {
    const room = uniq('room');
    const a = provider(client().connect(), room);
    const b = provider(client().connect(), room);
    const statuses: string[] = [];
    a.on('status', (e) => statuses.push(e.status));
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    expect(a.status).toBe('connected');
    expect(a.readOnly).toBe(false);

    a.doc.getText('text').insert(0, 'hello');
    a.doc.getMap('map').set('a', 1);
    a.doc.getArray('array').push(['from a']);
    await waitFor(() => text(b) === 'hello', 5000, 'b to see a\'s text');

    // what b sends: one sync update for its own edit, nothing back for a's
    const sentByB: string[] = [];
    const callNow = b.client._callNow.bind(b.client);
    b.client._callNow = (op, fields) => {
      if (op === 'doc') sentByB.push(Buffer.from(fields.data as string, 'base64').subarray(0, 2).toString('hex'));
      return callNow(op, fields);
    };
    a.doc.getText('text').insert(0, '!');
    await waitFor(() => text(b) === '!hello', 5000, 'a\'s second edit at b');
    await sleep(100);
    expect(sentByB).toEqual([]); // a remote update is not echoed
    b.doc.getText('text').delete(0, 1);
    await waitFor(() => text(a) === 'hello', 5000, 'b\'s delete at a');
    expect(sentByB).toEqual(['0002']); // sync (0), update (2)

    // concurrent: both edit before seeing the other's change
    a.doc.transact(() => {
      a.doc.getText('text').insert(5, ' world');
      a.doc.getMap('map').set('k', 'a');
      a.doc.getArray('array').push([1, 2]);
    });
    b.doc.transact(() => {
      b.doc.getText('text').insert(0, '> ');
      b.doc.getMap('map').set('k', 'b');
      b.doc.getMap('map').set('b', { nested: true });
      b.doc.getArray('array').insert(0, ['from b']);
    });
    await converged(a.doc, b.doc);
    const s = json(a.doc);
    expect(s.text).toBe('> hello world');
    expect(s.map).toMatchObject({ a: 1, b: { nested: true } });
    expect(['a', 'b']).toContain(s.map.k);
    expect(s.array).toHaveLength(4);
    expect(s.array).toEqual(expect.arrayContaining(['from a', 'from b', 1, 2]));
    expect(statuses).toEqual(['connected']); // and never dropped
  });

  test('a provider and a stock y-websocket WebsocketProvider on /yjs share the document and awareness', async () => {
    const room = uniq('room');
    const ours = provider(client().connect(), room);
    ours.doc.getText('text').insert(0, 'native ');
    ours.awareness.setLocalState({ user: 'ann' });
    await ours.whenSynced();

    const doc = new Y.Doc();
    const yws = new WebsocketProvider(env('CHORUS_URL').replace(/\/ws$/, '/yjs'), room, doc, {
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
    });
    onCleanup(() => {
      yws.destroy();
      doc.destroy();
    });
    await waitFor(() => yws.synced, 8000, 'the y-websocket provider to sync');
    await waitFor(() => doc.getText('text').toString() === 'native ', 5000, 'y-websocket to see the native edit');

    doc.getText('text').insert(7, 'and y-websocket');
    doc.getMap('map').set('from', 'y-websocket');
    ours.doc.getArray('array').push(['from chorus']);
    await converged(ours.doc, doc);
    expect(json(doc)).toEqual({ text: 'native and y-websocket', map: { from: 'y-websocket' }, array: ['from chorus'] });

    yws.awareness.setLocalState({ user: 'bob' });
    await waitFor(() => (ours.awareness.getStates().get(doc.clientID) as { user?: string } | undefined)?.user === 'bob', 5000, 'bob in our awareness');
    await waitFor(() => (yws.awareness.getStates().get(ours.doc.clientID) as { user?: string } | undefined)?.user === 'ann', 5000, 'ann in y-websocket\'s awareness');
  });

  test('edits made while the connection is cut, and while disconnected, merge both ways after the reconnect', async () => {
    const room = uniq('room');
    const proxy = await Proxy.start(env('CHORUS_URL'));
    const ca = client(proxy.url).connect();
    const a = provider(ca, room);
    const b = provider(client().connect(), room);
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    a.doc.getText('text').insert(0, 'base');
    await waitFor(() => text(b) === 'base', 5000, 'the base text at b');

    // cut: a's edit goes into a dying socket (or nowhere) and must come back with the re-sync
    let unsynced = 0;
    a.on('synced', (s) => !s && unsynced++);
    proxy.cutAll();
    a.doc.getMap('map').set('a-cut', 1);
    b.doc.getArray('array').push(['b while a was cut']);
    await waitFor(() => unsynced === 1, 5000, 'a to notice the cut');
    await a.whenSynced();
    await converged(a.doc, b.doc, 'convergence after the cut');
    expect(b.doc.getMap('map').toJSON()).toEqual({ 'a-cut': 1 });
    expect(a.doc.getArray('array').toJSON()).toEqual(['b while a was cut']);

    // offline for a while: both sides edit the same text
    ca.disconnect();
    await waitFor(() => a.status === 'disconnected', 2000, 'a disconnected');
    expect(a.synced).toBe(false);
    a.doc.getText('text').insert(4, ' offline-a');
    b.doc.getText('text').insert(0, 'online-b ');
    await sleep(200);
    expect(text(b)).toBe('online-b base'); // a's offline edit has not gone anywhere
    expect(text(a)).toBe('base offline-a');
    ca.connect();
    await a.whenSynced();
    await converged(a.doc, b.doc, 'convergence after the reconnect');
    expect(text(a)).toBe('online-b base offline-a');
  });

  test('awareness appears at the other side, goes with a dropped connection, comes back after the reconnect, and goes on destroy', async () => {
    const room = uniq('room');
    const proxy = await Proxy.start(env('CHORUS_URL'));
    const ca = client(proxy.url).connect();
    const doc = new Y.Doc();
    const a = provider(ca, room, { awareness: new Awareness(doc) }, doc); // the app's own: destroy() must clear its state
    const b = provider(client().connect(), room);
    a.awareness.setLocalState({ user: 'ann', cursor: 3 });
    const stateAtB = () => b.awareness.getStates().get(a.doc.clientID) as { user?: string; cursor?: number } | undefined;
    await waitFor(() => stateAtB()?.user === 'ann', 5000, 'ann at b');

    a.awareness.setLocalStateField('cursor', 7);
    await waitFor(() => stateAtB()?.cursor === 7, 5000, 'the cursor update at b');
    b.awareness.setLocalState({ user: 'bob' });
    await waitFor(() => (a.awareness.getStates().get(b.doc.clientID) as { user?: string } | undefined)?.user === 'bob', 5000, 'bob at a');

    proxy.dropDown = proxy.dropUp = true; // hold the reconnect back until we looked
    proxy.cutAll();
    await waitFor(() => stateAtB() === undefined, 8000, 'the server to remove ann when her connection dropped');
    expect(a.awareness.getStates().has(b.doc.clientID)).toBe(false); // a forgot the others while offline
    proxy.dropDown = proxy.dropUp = false;
    proxy.cutAll(); // the connection made meanwhile heard nothing: let the client make a fresh one
    await waitFor(() => stateAtB()?.cursor === 7, 8000, 'ann back at b after the reconnect');
    await waitFor(() => a.awareness.getStates().has(b.doc.clientID), 5000, 'bob back at a');

    a.destroy();
    await waitFor(() => stateAtB() === undefined, 5000, 'ann gone at b after destroy');
    expect(a.awareness.getLocalState()).toBeNull();
    expect(a.status).toBe('disconnected');
  });

  test('the same socket carries channel publications while the document syncs', async () => {
    const room = uniq('room');
    const ch = uniq('chat');
    const proxy = await Proxy.start(env('CHORUS_URL'));
    const ca = client(proxy.url).connect();
    const got: Publication[] = [];
    const sub = ca.subscribe(ch);
    sub.on('publication', (p) => got.push(p));
    const a = provider(ca, room);
    const other = client().connect();
    const b = provider(other, room);
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    await waitFor(() => sub.state === 'subscribed', 5000, 'subscribed');

    for (let i = 0; i < 20; i++) {
      other.publish(ch, { i });
      b.doc.getArray('array').push([i]);
      a.doc.getText('text').insert(a.doc.getText('text').length, String(i % 10));
    }
    await waitFor(() => got.length === 20, 8000, '20 publications');
    expect(got.map((p) => (p.data as { i: number }).i)).toEqual([...Array(20).keys()]);
    await converged(a.doc, b.doc);
    expect(a.doc.getArray('array').toJSON()).toEqual([...Array(20).keys()]);
    expect(text(b)).toBe('01234567890123456789');
    expect(proxy.connections).toBe(1);
  });

  test('a read-only token reads the document, and its writes are refused with permission denied', async () => {
    const room = uniq('room');
    const url = env('CHORUS_AUTH_URL');
    const secret = env('CHORUS_AUTH_SECRET');
    const writer = provider(client(url, { token: token('writer') }).connect(), room);
    const reader = provider(
      client(url, { token: token('reader', 3600, secret, { channels: { subscribe: ['doc:*'], publish: [] } }) }).connect(),
      room,
    );
    const denied: string[] = [];
    reader.on('permission-denied', (e) => denied.push(e.reason));
    await Promise.all([writer.whenSynced(), reader.whenSynced()]);
    expect(writer.readOnly).toBe(false);
    expect(reader.readOnly).toBe(true);

    writer.doc.getText('text').insert(0, 'by the writer');
    await waitFor(() => text(reader) === 'by the writer', 5000, 'the reader to receive the writer\'s edit');

    reader.doc.getMap('map').set('sneaky', true);
    await waitFor(() => denied.length > 0, 5000, 'permission denied');
    expect(denied[0]).toContain(room);
    // a round trip after the refusal: the writer's next edit reaches the reader, the reader's never reached the writer
    writer.doc.getArray('array').push(['after']);
    await waitFor(() => reader.doc.getArray('array').length === 1, 5000, 'the writer\'s second edit');
    expect(writer.doc.getMap('map').toJSON()).toEqual({});
    const fresh = provider(client(url, { token: token('third') }).connect(), room);
    await fresh.whenSynced();
    expect(json(fresh.doc)).toEqual({ text: 'by the writer', map: {}, array: ['after'] });
  });

  test('readOnly: true opens read-only even when the client may write', async () => {
    const room = uniq('room');
    const writer = provider(client().connect(), room);
    const viewer = provider(client().connect(), room, { readOnly: true });
    const denied: string[] = [];
    viewer.on('permission-denied', (e) => denied.push(e.reason));
    await Promise.all([writer.whenSynced(), viewer.whenSynced()]);
    expect(viewer.readOnly).toBe(true);
    viewer.doc.getText('text').insert(0, 'nope');
    await waitFor(() => denied.length > 0, 5000, 'permission denied');
    writer.doc.getText('text').insert(0, 'yes');
    await waitFor(() => text(viewer).includes('yes'), 5000, 'the viewer to receive the writer\'s edit');
    expect(text(writer)).toBe('yes');
  });

  test('destroy closes the document: later edits stay local and the client can open it again', async () => {
    const room = uniq('room');
    const ca = client().connect();
    const a = provider(ca, room);
    const b = provider(client().connect(), room);
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    expect(() => new ChorusYjsProvider(ca, room, new Y.Doc())).toThrow(/already has a provider/);
    a.destroy();
    a.doc.getText('text').insert(0, 'after destroy');
    await sleep(300);
    expect(text(b)).toBe('');

    const errors: unknown[] = [];
    const again = provider(ca, room);
    again.on('error', (e) => errors.push(e));
    await again.whenSynced();
    b.doc.getText('text').insert(0, 'hi');
    await waitFor(() => text(again) === 'hi', 5000, 'the reopened document to sync');

    // destroyed while its doc_open is still in flight: the document is closed all the same
    const quick = new ChorusYjsProvider(ca, room + '-2', new Y.Doc());
    quick.destroy();
    const reopened = provider(ca, room + '-2');
    reopened.on('error', (e) => errors.push(e));
    await reopened.whenSynced();
    expect(errors).toEqual([]);
  });
});
