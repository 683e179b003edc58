import { EventSource } from 'eventsource';
import { describe, expect, test } from 'vitest';
import { ChorusError, type EventSourceConstructor, type Publication, type ResyncEvent, type WebSocketConstructor } from '../src/index.js';
import { client, env, uniq, waitFor } from './helpers.js';

const ES = EventSource as unknown as EventSourceConstructor;

/** A WebSocket that never opens, as behind a proxy that blocks upgrades. */
class BlockedWebSocket {
  binaryType = 'arraybuffer';
  readyState = 0;
  onopen = null;
  onmessage = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor() {
    setTimeout(() => {
      this.readyState = 3;
      this.onerror?.({});
      this.onclose?.({ code: 1006, reason: '' });
    }, 5);
  }
  send() {}
  close() {}
}

describe('SSE fallback', () => {
  test('receives over /sse and publishes over POST /publish, optimistic handles included', async () => {
    const ch = uniq('feed');
    const c = client(env('CHORUS_URL'), { transport: 'sse', EventSource: ES });
    const got: Publication[] = [];
    c.subscribe(ch).on('publication', (p) => got.push(p));
    c.connect();
    await c.ready();
    expect(c.transport).toBe('sse');
    const ws = client().connect();
    await ws.publish(ch, { from: 'ws' }).confirmed;
    const h = c.publish(ch, { from: 'sse' }, { key: 'sse-key-1' });
    expect((await h.confirmed).offset).toBe(2);
    const again = await c.publish(ch, { from: 'sse' }, { key: 'sse-key-1' }).confirmed;
    expect(again.offset).toBe(2); // the same key never publishes twice
    await waitFor(() => got.length === 2, 5000, 'two publications');
    expect(got.map((p) => p.data)).toEqual([{ from: 'ws' }, { from: 'sse' }]);
    // a second subscription reopens the stream from the last event id: nothing lost or repeated
    const ch2 = uniq('feed');
    const got2: Publication[] = [];
    c.subscribe(ch2).on('publication', (p) => got2.push(p));
    await waitFor(() => c.status === 'connected' && c.getSubscription(ch2)!.state === 'subscribed');
    await ws.publish(ch, { from: 'ws', n: 3 }).confirmed;
    await ws.publish(ch2, { second: true }).confirmed;
    await waitFor(() => got.length === 3 && got2.length === 1, 5000, 'both channels');
    expect(got.map((p) => p.offset)).toEqual([1, 2, 3]);
    expect(await c.rpc('sum', { a: 1, b: 1 }).catch((e: ChorusError) => e.code)).toBeLessThan(0);
  });

  test("'auto' falls back to SSE when WebSockets cannot open", async () => {
    const ch = uniq('feed');
    const c = client(env('CHORUS_URL'), { transport: 'auto', WebSocket: BlockedWebSocket as unknown as WebSocketConstructor, EventSource: ES });
    const got: Publication[] = [];
    c.subscribe(ch).on('publication', (p) => got.push(p));
    c.connect();
    await c.ready();
    expect(c.transport).toBe('sse');
    await client().connect().publish(ch, { n: 1 }).confirmed;
    await waitFor(() => got.length === 1, 5000, 'a publication');
  });

  test('a stream that comes back after a restart with the history gone resyncs', async () => {
    const ch = uniq('feed');
    const c = client(env('CHORUS_RESTART_URL'), { transport: 'sse', EventSource: ES });
    const resyncs: ResyncEvent[] = [];
    const got: Publication[] = [];
    const s = c.subscribe(ch);
    s.on('resync', (e) => resyncs.push(e));
    s.on('publication', (p) => got.push(p));
    c.connect();
    await c.ready();
    const pub = client(env('CHORUS_RESTART_URL')).connect();
    await pub.publish(ch, { n: 1 }).confirmed;
    await waitFor(() => got.length === 1);
    const { control } = await import('./helpers.js');
    await control('/restart');
    await waitFor(() => resyncs.length === 1, 15000, 'a resync');
    expect(resyncs[0]!.channel).toBe(ch);
  });
});
