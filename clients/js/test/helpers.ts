import { createHmac, randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { Chorus, type ChorusOptions, type WebSocketConstructor } from '../src/index.js';

/** Set by the JUnit harness (e2e JsClientTest), which starts the servers. */
export function env(name: 'CHORUS_URL' | 'CHORUS_RESTART_URL' | 'CHORUS_AUTH_URL' | 'CHORUS_AUTH_SECRET' | 'CHORUS_CONTROL'): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these tests through the e2e module's JsClientTest, which starts Chorus`);
  return v;
}

export const WS = WebSocket as unknown as WebSocketConstructor;

const clients: Chorus[] = [];
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const f of cleanups.splice(0)) await f();
});

export function onCleanup(f: () => void | Promise<void>): void {
  cleanups.push(f);
}

/** A client with fast reconnects for tests, disconnected after each test. */
export function client(url = env('CHORUS_URL'), opts: ChorusOptions = {}): Chorus {
  const c = new Chorus(url, { WebSocket: WS, minReconnectDelay: 20, maxReconnectDelay: 200, ...opts });
  clients.push(c);
  return c;
}

export const uniq = (prefix = 'test') => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function waitFor<T>(f: () => T | undefined | false | null, timeout = 8000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function control(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${env('CHORUS_CONTROL')}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`control ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** An HS256 token as the application's auth service would mint it. */
export function token(sub: string, ttlSeconds = 3600, secret = env('CHORUS_AUTH_SECRET'), claims: Record<string, unknown> = {}): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, sub, exp: Math.floor(Date.now() / 1000) + ttlSeconds })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/**
 * A TCP proxy in front of a server, so a test can cut connections (the client sees 1006), stop
 * forwarding one direction (a dead network: the server closes with 4001, or replies get lost).
 */
export class Proxy {
  private server = net.createServer((c) => this.accept(c));
  private pairs = new Set<{ client: net.Socket; upstream: net.Socket; mutedUp: boolean }>();
  /** Drop what the client sends (the server hears nothing). */
  dropUp = false;
  /** Drop what the server sends (replies and pushes never arrive). */
  dropDown = false;
  port = 0;

  constructor(private readonly target: URL) {}

  static async start(wsUrl: string): Promise<Proxy> {
    const p = new Proxy(new URL(wsUrl));
    await new Promise<void>((r) => p.server.listen(0, '127.0.0.1', r));
    p.port = (p.server.address() as net.AddressInfo).port;
    onCleanup(() => p.close());
    return p;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}${this.target.pathname}`;
  }

  get connections(): number {
    return this.pairs.size;
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(Number(this.target.port), this.target.hostname);
    const pair = { client, upstream, mutedUp: false };
    this.pairs.add(pair);
    client.on('data', (d) => {
      if (!this.dropUp && !pair.mutedUp) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!this.dropDown) client.write(d);
    });
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }

  /**
   * Drops what the client sends on the connections open now (the server hears nothing from them);
   * connections made later pass, so a reconnect is never caught by it.
   */
  muteUpCurrent(): void {
    for (const p of this.pairs) p.mutedUp = true;
  }

  /** Cuts every connection at once, without a close frame. */
  cutAll(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
