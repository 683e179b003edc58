// Against a scripted WebSocket server: malformed frames and each close code's effect on reconnecting.
import { describe, expect, test } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { ChorusError, type Publication, type Status } from '../src/index.js';
import { client, onCleanup, sleep, waitFor } from './helpers.js';

type Script = (ws: ServerSocket, frame: any, n: number) => void;

async function fake(script: Script): Promise<{ url: string; connections: () => number; sockets: ServerSocket[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.on('listening', () => r()));
  let n = 0;
  const sockets: ServerSocket[] = [];
  wss.on('connection', (ws) => {
    const k = ++n;
    sockets.push(ws);
    ws.on('message', (d, binary) => {
      let f: any;
      try {
        f = JSON.parse(binary ? '' : d.toString());
      } catch {
        return;
      }
      script(ws, f, k);
    });
  });
  onCleanup(() => new Promise<void>((r) => { for (const s of sockets) s.terminate(); wss.close(() => r()); }));
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`, connections: () => n, sockets };
}

const connectReply = (ws: ServerSocket, f: any, extra: object = {}) =>
  ws.send(JSON.stringify({ id: f.id, result: { client: 'c1', user: '', ping: 10, timeout: 30, ...extra } }));

describe('malformed server frames', () => {
  test('are reported and skipped; the client keeps working', async () => {
    const junk: Array<string | Buffer> = [
      'not json', '[1,2,3]', '"a string"', '42', 'null', '{}', '{"id":"x","result":{}}', '{"id":999,"result":{}}',
      '{"id":1.5}', '{"push":7}', '{"push":"pub"}', '{"push":"pub","channel":5}', '{"push":"pub","channel":"room","pub":null}',
      '{"push":"pub","channel":"room","pub":{"offset":"7"}}', '{"push":"pub","channel":"room","pub":{"offset":-3,"epoch":"e"}}',
      '{"push":"join","channel":"room","info":"bob"}', '{"push":"leave","channel":"room"}', '{"push":"presence","channel":"room","info":{"client":3}}',
      '{"push":"signal","channel":"room"}', '{"push":"unsub","channel":"nope"}', '{"push":"error"}', '{"push":"error","error":"x"}',
      '{"push":"brand-new-push","channel":"room"}', '{"push":"pub","channel":"room","pub":{"offset":1e400}}', Buffer.from([0xc1, 0xff, 0x00]),
      '{"push":"pub","channel":"room","pub":{"offset":1,"epoch":"e","data":{"n":1},"info":{"client":"x","user":5,"clock":"y"}}}',
      '{"push":"pub","channel":"room","pub":{"offset":1,"epoch":"e","data":{"n":1}}}',
    ];
    const server = await fake((ws, f) => {
      if (f.op === 'connect') connectReply(ws, f, { ping: 'soon', timeout: -4, limits: 'none', expires: 'never' });
      if (f.op === 'subscribe') {
        ws.send(JSON.stringify({ id: f.id, result: { offset: 0, epoch: 'e', recovered: false, recovering: false, publications: 'x', presence: [1] } }));
        for (const j of junk) ws.send(j);
        ws.send(JSON.stringify({ push: 'pub', channel: 'room', pub: { offset: 2, epoch: 'e', data: { n: 2 } } }));
      }
      if (f.op === 'rpc') ws.send(JSON.stringify({ id: f.id, error: { code: 'bad', message: 7 } }));
    });
    const c = client(server.url);
    const errors: string[] = [];
    c.on('error', (e) => errors.push(e.error.message));
    const got: Publication[] = [];
    c.subscribe('room').on('publication', (p) => got.push(p));
    c.connect();
    await waitFor(() => got.length === 2, 5000, 'two publications');
    expect(got.map((p) => p.data)).toEqual([{ n: 1 }, { n: 2 }]); // the duplicate offset 1 was dropped
    expect(got[0]!.info).toEqual({ client: 'x', user: '' });
    expect(c.status).toBe('connected');
    expect(c.info!.timeout).toBe(30); // a nonsense timeout falls back to the default
    expect(errors.length).toBeGreaterThanOrEqual(15);
    const e = (await c.rpc('x').catch((err: unknown) => err)) as ChorusError;
    expect(e).toBeInstanceOf(ChorusError);
    expect(e.code).toBe(100);
    expect(server.connections()).toBe(1);
  });
});

describe('close codes', () => {
  async function closeAfterConnect(code: number, opts: { getToken?: () => Promise<string> } = {}) {
    const tokens: unknown[] = [];
    const server = await fake((ws, f, n) => {
      if (f.op !== 'connect') return;
      tokens.push(f.token);
      connectReply(ws, f);
      if (n === 1) setTimeout(() => ws.close(code, 'test'), 20);
    });
    const c = client(server.url, opts);
    const statuses: Status[] = [];
    c.on('status', (e) => statuses.push(e.status));
    c.connect();
    return { c, server, statuses, tokens };
  }

  for (const code of [4000, 4001, 4002, 4004, 4008, 1011]) {
    test(`${code} reconnects`, async () => {
      const { c, server, statuses } = await closeAfterConnect(code);
      await waitFor(() => server.connections() === 2 && c.status === 'connected', 5000, 'reconnected');
      expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    });
  }

  for (const code of [4003, 4005, 4007, 1009]) {
    test(`${code} stops`, async () => {
      const { c, server, statuses } = await closeAfterConnect(code);
      const h = await waitFor(() => statuses.includes('disconnected') && c.publish('x', 1), 5000, 'stopped');
      await sleep(300);
      expect(server.connections()).toBe(1);
      expect(statuses).toEqual(['connecting', 'connected', 'disconnected']);
      // nothing will send it any more
      expect(h.status).toBe('pending');
    });
  }

  test('4006 asks getToken for a fresh token, then reconnects with it', async () => {
    let n = 0;
    const { c, server, tokens } = await closeAfterConnect(4006, { getToken: async () => `t${++n}` });
    await waitFor(() => server.connections() === 2 && c.status === 'connected', 5000, 'reconnected');
    expect(tokens).toEqual(['t1', 't2']);
  });

  test('4006 without getToken stops', async () => {
    const { statuses } = await closeAfterConnect(4006);
    await waitFor(() => statuses.includes('disconnected'), 5000, 'stopped');
    expect(statuses).toEqual(['connecting', 'connected', 'disconnected']);
  });

  test('pending publishes fail when the connection stops for good', async () => {
    const server = await fake((ws, f) => {
      if (f.op === 'connect') connectReply(ws, f);
      if (f.op === 'publish') ws.close(4003, 'violations');
    });
    const c = client(server.url);
    c.connect();
    const h = c.publish('room', { a: 1 });
    await expect(h.confirmed).rejects.toBeInstanceOf(ChorusError);
    expect(h.status).toBe('failed');
  });

  test('a server that stops talking is detected within the timeout and the client reconnects', async () => {
    const server = await fake((ws, f) => {
      if (f.op === 'connect') connectReply(ws, f, { ping: 1, timeout: 1 });
      // never pings: the socket looks dead
    });
    const c = client(server.url);
    const errors: string[] = [];
    c.on('error', (e) => errors.push(e.context));
    c.connect();
    await waitFor(() => server.connections() >= 2, 5000, 'a second connection');
    expect(errors).toContain('heartbeat');
  });

  test('answers the server ping with pong', async () => {
    let pongs = 0;
    const server = await fake((ws, f) => {
      if (f.op === 'connect') {
        connectReply(ws, f);
        ws.send('{"push":"ping"}');
      }
      if (f.op === 'pong') pongs++;
    });
    client(server.url).connect();
    await waitFor(() => pongs === 1, 3000, 'a pong');
  });
});
