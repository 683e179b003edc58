import { describe, expect, test } from 'vitest';
import type { DisconnectEvent, Status } from '../src/index.js';
import { client, env, sleep, token, waitFor } from './helpers.js';

describe('tokens', () => {
  test('refreshes before the token expires and keeps the same connection', async () => {
    let calls = 0;
    const c = client(env('CHORUS_AUTH_URL'), { getToken: () => (++calls, token('ann', 3)) }).connect();
    await c.ready();
    expect(c.info!.user).toBe('ann');
    expect(c.info!.expires).toBeLessThanOrEqual(3);
    const id = c.info!.client;
    const drops: DisconnectEvent[] = [];
    c.on('disconnected', (e) => drops.push(e));
    await sleep(4500);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(drops).toEqual([]);
    expect(c.status).toBe('connected');
    expect(c.info!.client).toBe(id);
    expect(await c.rpc('whoami').catch((e) => e.code)).toBe(114); // this server has no such method, but still answers
  });

  test('an expired token (4006) makes the client ask getToken for a fresh one', async () => {
    const tokens = [token('bob', -60), token('bob', 3600)];
    let calls = 0;
    const c = client(env('CHORUS_AUTH_URL'), { getToken: () => tokens[Math.min(calls++, 1)]! });
    const closes: DisconnectEvent[] = [];
    c.on('disconnected', (e) => closes.push(e));
    c.connect();
    await waitFor(() => c.status === 'connected', 8000, 'connected');
    expect(calls).toBe(2);
    expect(closes.map((e) => e.code)).toEqual([4006]);
    expect(c.info!.user).toBe('bob');
  });

  test('a refused token (4005) stops: no reconnect loop', async () => {
    const c = client(env('CHORUS_AUTH_URL'), { token: token('eve', 3600, 'a-wrong-secret-of-at-least-32-bytes-long!') });
    const seen: Status[] = [];
    c.on('status', (e) => seen.push(e.status));
    const closes: DisconnectEvent[] = [];
    c.on('disconnected', (e) => closes.push(e));
    c.connect();
    await waitFor(() => c.status === 'disconnected', 5000, 'stopped');
    await sleep(300);
    expect(closes).toEqual([{ code: 4005, reason: expect.any(String), reconnect: false }]);
    expect(seen).toEqual(['connecting', 'disconnected']);
  });
});
