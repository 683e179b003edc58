import { backoffDelay } from './backoff.js';
import { type Codec, jsonCodec, msgpackCodec } from './codec.js';
import { Emitter } from './emitter.js';
import { ChorusError, CLOSED, DISCONNECTED, NOT_AVAILABLE, RETRYABLE, TIMEOUT } from './errors.js';
import * as F from './frames.js';
import { type PublishHandle, PublishHandleImpl, randomKey } from './publish.js';
import { SseTransport } from './sse.js';
import { type SubscribeOptions, Subscription, type SubscriptionEvents, type SubscriptionHost } from './subscription.js';
import type {
  ClientInfo,
  ConnectInfo,
  DisconnectEvent,
  ErrorEvent,
  HistoryOptions,
  HistoryResult,
  PresenceEvent,
  PresenceStats,
  Publication,
  ResyncEvent,
  SignalEvent,
  Status,
  StatusEvent,
  SubscribedEvent,
  UnsubscribedEvent,
} from './types.js';

/** The part of the WebSocket API the client uses (the browser's, Node's, or the `ws` package's). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface EventSourceLike {
  readonly readyState: number;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  addEventListener(type: string, fn: (ev: MessageEvent) => void): void;
  close(): void;
}
export type EventSourceConstructor = new (url: string, init?: { withCredentials?: boolean }) => EventSourceLike;

export interface ChorusOptions {
  /** A fixed connection token. */
  token?: string;
  /**
   * Fetches a connection token: called before the first connect, when the server closed with 4006
   * (token expired), and before the token's `expires` to `refresh` the connection.
   */
  getToken?: () => string | Promise<string>;
  /** `json` (default) or `msgpack` (subprotocol chorus.v1.msgpack, binary frames). */
  format?: 'json' | 'msgpack';
  /**
   * `websocket` (default); `sse` (EventSource on /sse, POST /publish); `auto`: WebSocket, falling
   * back to SSE when no WebSocket can be opened (two attempts in a row, or no WebSocket at all).
   */
  transport?: 'websocket' | 'sse' | 'auto';
  /** WebSocket implementation (default `globalThis.WebSocket`; in Node 20 pass `ws`'s). */
  WebSocket?: WebSocketConstructor;
  /** EventSource implementation (default `globalThis.EventSource`). */
  EventSource?: EventSourceConstructor;
  fetch?: typeof fetch;
  /** Base URL of the HTTP endpoints (/sse, /publish); default derived from the WebSocket URL. */
  httpUrl?: string;
  /** Send cookies with SSE and HTTP publish (default true). */
  withCredentials?: boolean;
  /** Backoff: first ceiling in ms (default 500) and largest ceiling (default 20000). */
  minReconnectDelay?: number;
  maxReconnectDelay?: number;
  /** Reply timeout for requests, in ms (default 10000). */
  requestTimeout?: number;
  /**
   * How long a publish is retried before it fails, in ms (default 60000). Keep it below the
   * namespace's `idempotency_window` (2 minutes by default), so a retry can never publish twice.
   */
  publishTimeout?: number;
  /** Client-side signal rate per channel and key, per second (default 20). */
  signalRate?: number;
  name?: string;
  version?: string;
  /** Random source for the backoff jitter (tests). */
  random?: () => number;
}

export interface ClientEvents {
  status: StatusEvent;
  connected: ConnectInfo;
  disconnected: DisconnectEvent;
  publication: Publication;
  subscribed: SubscribedEvent;
  resync: ResyncEvent;
  join: PresenceEvent;
  leave: PresenceEvent;
  presence: PresenceEvent;
  signal: SignalEvent;
  unsubscribed: UnsubscribedEvent;
  error: ErrorEvent;
}

interface Inflight {
  resolve: (r: F.Obj) => void;
  reject: (e: ChorusError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Close codes after which the client stops (docs/protocol.md): the app must act first. */
const FINAL = new Set([1009, 4003, 4005, 4007]);
export const VERSION = '0.1.0';
const FORWARDED = new Set(['publication', 'subscribed', 'resync', 'join', 'leave', 'presence', 'signal', 'unsubscribed', 'error']);

/**
 * A connection to Chorus: one WebSocket (or SSE stream) carrying every subscription. Reconnects by
 * itself with backoff, resubscribes from the last positions and retries pending publishes.
 */
export class Chorus extends Emitter<ClientEvents> implements SubscriptionHost {
  readonly url: string;
  readonly signalInterval: number;
  private readonly o: ChorusOptions;
  private _status: Status = 'disconnected';
  private _info?: ConnectInfo;
  private ws?: WebSocketLike;
  private sse?: SseTransport;
  private codec: Codec = jsonCodec;
  private gen = 0;
  private nextId = 1;
  private attempt = 0;
  private wsFailures = 0;
  private useSse: boolean;
  private stopped = true;
  private token?: string;
  private freshToken = false;
  private readonly inflight = new Map<number, Inflight>();
  private readonly subs = new Map<string, Subscription>();
  private readonly pending = new Map<string, PublishHandleImpl<unknown>>();
  private waiters: Array<() => void> = [];
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private deadTimer?: ReturnType<typeof setTimeout>;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private deadAfter = 0;

  constructor(url: string, options: ChorusOptions = {}) {
    super();
    this.url = url;
    this.o = options;
    this.token = options.token;
    this.signalInterval = 1000 / (options.signalRate ?? 20);
    this.useSse = options.transport === 'sse';
  }

  get status(): Status {
    return this._status;
  }

  /** The connect reply of the current connection, while connected. */
  get info(): ConnectInfo | undefined {
    return this._info;
  }

  get transport(): 'websocket' | 'sse' {
    return this.useSse ? 'sse' : 'websocket';
  }

  /** The HTTP base URL (for /sse and /publish). */
  get httpUrl(): string {
    return (this.o.httpUrl ?? this.url.replace(/^ws/, 'http').replace(/\/ws\/?(\?.*)?$/, '')).replace(/\/$/, '');
  }

  /** Starts connecting (and keeps reconnecting until `disconnect()` or a final close code). */
  connect(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.attempt = 0;
    this.wsFailures = 0;
    this.useSse = this.o.transport === 'sse';
    this.setStatus('connecting');
    void this.open();
    return this;
  }

  /** Closes the connection and stops reconnecting. Subscriptions and pending publishes are kept for a later `connect()`. */
  disconnect(): void {
    this.stopped = true;
    this.teardown(1000, 'client closed');
    this.setStatus('disconnected');
  }

  /** Resolves when connected (now or after the next successful connect). */
  ready(timeout = this.o.requestTimeout ?? 10000): Promise<void> {
    if (this._status === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new ChorusError(TIMEOUT, `not connected within ${timeout} ms`));
      }, timeout);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  subscribe(channel: string, options: SubscribeOptions = {}): Subscription {
    const existing = this.subs.get(channel);
    if (existing) return existing;
    const sub = new Subscription(this, channel, options);
    this.subs.set(channel, sub);
    if (this._status === 'connected') {
      if (this.useSse) this.sse?.channelsChanged();
      else this.sendSubscribe(sub, this.gen);
    }
    return sub;
  }

  getSubscription(channel: string): Subscription | undefined {
    return this.subs.get(channel);
  }

  subscriptions(): Subscription[] {
    return [...this.subs.values()];
  }

  /**
   * Publishes optimistically: returns a handle at once, `pending` until confirmed with its position.
   * Retried across reconnects with the same idempotency key (give your own `key` to make retries
   * across page loads idempotent as well).
   */
  publish<T>(channel: string, data: T, opts: { key?: string } = {}): PublishHandle<T> {
    const key = opts.key ?? randomKey();
    const already = this.pending.get(key);
    if (already) return already as PublishHandleImpl<T>;
    const h = new PublishHandleImpl<T>(channel, data, key);
    this.pending.set(key, h as PublishHandleImpl<unknown>);
    h.on('change', () => this.pending.delete(key));
    h.timer = setTimeout(
      () => h.fail(new ChorusError(TIMEOUT, `publish not confirmed within ${this.o.publishTimeout ?? 60000} ms`)),
      this.o.publishTimeout ?? 60000,
    );
    this.sendPublish(h as PublishHandleImpl<unknown>);
    return h;
  }

  /** Publications not yet confirmed. */
  pendingPublishes(): PublishHandle[] {
    return [...this.pending.values()];
  }

  async rpc<R = unknown>(method: string, data: unknown = null): Promise<R> {
    const r = await this._request('rpc', { method, data });
    return (r.data === undefined ? null : r.data) as R;
  }

  async history(channel: string, opts: HistoryOptions = {}): Promise<HistoryResult> {
    const fields: Record<string, unknown> = { channel };
    if (opts.since) fields.since = opts.since;
    if (opts.limit !== undefined) fields.limit = opts.limit;
    if (opts.reverse) fields.reverse = true;
    const r = await this._request('history', fields);
    return { position: F.position(r) ?? { offset: 0, epoch: '' }, publications: F.publications(channel, r.publications) };
  }

  async presence(channel: string): Promise<Record<string, ClientInfo>> {
    const r = await this._request('presence', { channel });
    return F.clients(r.clients);
  }

  async presenceStats(channel: string): Promise<PresenceStats> {
    const r = await this._request('presence_stats', { channel });
    return { clients: F.num(r.clients), users: F.num(r.users) };
  }

  /** Sets this client's presence state in a subscribed channel. */
  setPresence(channel: string, state: unknown): Promise<{ clock: number }> {
    const sub = this.subs.get(channel);
    if (!sub) return Promise.reject(new ChorusError(110, `not subscribed to ${channel}`));
    return sub.setPresence(state);
  }

  /** Sends a throttled signal in a subscribed channel (see Subscription.signal). */
  signal(channel: string, key: string, data: unknown): void {
    this.subs.get(channel)?.signal(key, data);
  }

  // ---- SubscriptionHost ----

  /** Sends a request once connected; rejects after the request timeout. */
  async _request(op: string, fields: Record<string, unknown>): Promise<F.Obj> {
    if (this.useSse) throw new ChorusError(NOT_AVAILABLE, `'${op}' is not available over SSE`);
    if (this.stopped) throw new ChorusError(CLOSED, 'the client is not connected (call connect())');
    await this.ready();
    return this.call(op, fields, this.gen);
  }

  _signal(channel: string, key: string, data: unknown): void {
    const sub = this.subs.get(channel);
    if (this.useSse || this._status !== 'connected' || sub?.state !== 'subscribed') return;
    this.send({ op: 'signal', channel, key, data });
  }

  _unsubscribe(sub: Subscription): void {
    if (this.subs.get(sub.channel) !== sub) return;
    this.subs.delete(sub.channel);
    sub._ended({ channel: sub.channel, code: 0, reason: 'unsubscribed by the client' });
    if (this._status !== 'connected') return;
    if (this.useSse) this.sse?.channelsChanged();
    else this.call('unsubscribe', { channel: sub.channel }, this.gen).catch(() => {});
  }

  _emitFromSub<K extends keyof SubscriptionEvents>(event: K, value: SubscriptionEvents[K]): void {
    if (FORWARDED.has(event)) this.emit(event as keyof ClientEvents, value as never);
  }

  // ---- connection ----

  private setStatus(s: Status): void {
    if (s === this._status) return;
    const previous = this._status;
    this._status = s;
    this.emit('status', { status: s, previous });
  }

  private report(context: string, error: unknown, channel?: string): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.emit('error', channel ? { context, error: err, channel } : { context, error: err });
  }

  private async open(): Promise<void> {
    const gen = ++this.gen;
    try {
      if (this.o.getToken && (this.token === undefined || this.freshToken)) {
        this.token = await this.o.getToken();
        this.freshToken = false;
      }
    } catch (e) {
      this.report('token', e);
      if (gen === this.gen && !this.stopped) this.scheduleReconnect({ code: 0, reason: 'getToken failed', reconnect: true });
      return;
    }
    if (gen !== this.gen || this.stopped) return;
    const WS = this.o.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!this.useSse && !WS && this.o.transport === 'auto') this.useSse = true;
    if (this.useSse) {
      this.sse = new SseTransport(this, gen);
      this.sse.open();
      return;
    }
    if (!WS) {
      this.report('transport', new ChorusError(NOT_AVAILABLE, 'no WebSocket implementation: pass options.WebSocket'));
      this.stop({ code: 0, reason: 'no WebSocket implementation', reconnect: false });
      return;
    }
    try {
      this.codec = this.o.format === 'msgpack' ? await msgpackCodec() : jsonCodec;
    } catch (e) {
      this.report('transport', e);
      this.stop({ code: 0, reason: 'MessagePack codec unavailable', reconnect: false });
      return;
    }
    if (gen !== this.gen || this.stopped) return;
    let ws: WebSocketLike;
    try {
      ws = new WS(this.url, this.codec.subprotocol);
    } catch (e) {
      this.report('transport', e);
      this.stop({ code: 0, reason: 'bad URL', reconnect: false });
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    // a handshake that never completes (its answer lost) counts as a dead connection too
    this.armDead(this.o.requestTimeout ?? 10000);
    let opened = false;
    ws.onopen = () => {
      if (gen !== this.gen) return;
      opened = true;
      this.wsFailures = 0;
      this.armDead(this.o.requestTimeout ?? 10000);
      const fields: Record<string, unknown> = { name: this.o.name ?? 'chorus-js', version: this.o.version ?? VERSION };
      if (this.token !== undefined) fields.token = this.token;
      // a refused connect is followed by the server's close code, which decides what happens next
      this.call('connect', fields, gen).then((r) => this.onConnected(gen, r), () => {});
    };
    ws.onmessage = (ev) => {
      if (gen === this.gen) this.onFrame(ev.data);
    };
    ws.onclose = (ev) => {
      if (gen !== this.gen) return;
      if (!opened && this.o.transport === 'auto' && ++this.wsFailures >= 2) this.useSse = true;
      this.onClosed(typeof ev?.code === 'number' ? ev.code : 1006, typeof ev?.reason === 'string' ? ev.reason : '');
    };
    ws.onerror = () => {};
  }

  private onConnected(gen: number, r: F.Obj): void {
    if (gen !== this.gen) return;
    const ping = F.num(r.ping, 10);
    const timeout = F.num(r.timeout, 30);
    const info: ConnectInfo = {
      client: F.str(r.client),
      user: F.str(r.user),
      ping: ping > 0 ? ping : 10,
      timeout: timeout > 0 ? timeout : 30,
      transport: 'websocket',
    };
    if (typeof r.node === 'string') info.node = r.node;
    if (typeof r.version === 'string') info.version = r.version;
    if (F.isObj(r.limits)) info.limits = r.limits as Record<string, number>;
    if (r.data !== undefined) info.data = r.data;
    if (typeof r.expires === 'number' && r.expires >= 0) info.expires = r.expires;
    this.deadAfter = info.timeout * 1000;
    this.armDead(this.deadAfter);
    this.scheduleRefresh(info.expires, gen);
    for (const sub of this.subs.values()) this.sendSubscribe(sub, gen);
    this._connected(info);
    for (const h of this.pending.values()) this.sendPublish(h);
  }

  /** Common to both transports: the session is up. */
  _connected(info: ConnectInfo): void {
    this._info = info;
    this.attempt = 0;
    this.setStatus('connected');
    this.emit('connected', info);
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private scheduleRefresh(expires: number | undefined, gen: number): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    if (expires === undefined || !this.o.getToken) return;
    // refresh at 80% of the lifetime, but at least 2 s before the end when possible
    const ms = Math.max(0, Math.min(expires * 800, expires * 1000 - 2000));
    this.refreshTimer = setTimeout(() => void this.refresh(gen), ms);
  }

  private async refresh(gen: number): Promise<void> {
    if (gen !== this.gen || !this.o.getToken) return;
    try {
      const token = await this.o.getToken();
      if (gen !== this.gen) return;
      this.token = token;
      const r = await this.call('refresh', { token }, gen);
      this.scheduleRefresh(typeof r.expires === 'number' ? r.expires : undefined, gen);
    } catch (e) {
      if (gen !== this.gen) return;
      this.report('refresh', e);
      // try again shortly; if the token runs out first, the server closes with 4006 and we reconnect with a fresh one
      this.refreshTimer = setTimeout(() => void this.refresh(gen), 1000 + Math.random() * 2000);
    }
  }

  private sendSubscribe(sub: Subscription, gen: number): void {
    const resubscribe = sub.everSubscribed;
    const fields: Record<string, unknown> = { channel: sub.channel };
    if (sub.position) fields.since = sub.position;
    if (sub.joinLeave) {
      fields.joinLeave = true;
      fields.presence = true;
    }
    const token = sub.options.token;
    const go = (t?: string) => {
      if (t !== undefined) fields.token = t;
      this.call('subscribe', fields, gen).then(
        (r) => {
          if (this.subs.get(sub.channel) !== sub) return;
          const pos = F.position(r) ?? { offset: 0, epoch: '' };
          sub._onSubscribed(pos, F.bool(r.recovering), F.bool(r.recovered), F.publications(sub.channel, r.publications),
            r.presence !== undefined ? F.clients(r.presence) : undefined);
          if (resubscribe && sub.presenceState !== undefined) {
            this.call('presence_update', { channel: sub.channel, state: sub.presenceState }, gen).catch((e) => this.report('presence', e, sub.channel));
          }
        },
        (e: ChorusError) => {
          if (this.subs.get(sub.channel) !== sub || e.code === DISCONNECTED) return;
          if (e.code === 108 && fields.joinLeave) {
            // presence or join/leave off in this namespace: subscribe without them
            delete fields.joinLeave;
            delete fields.presence;
            go(t);
          } else if (RETRYABLE.has(e.code) || e.code === TIMEOUT || (e.code === 109 && typeof token === 'function')) {
            setTimeout(() => {
              if (gen === this.gen && this.subs.get(sub.channel) === sub) this.sendSubscribe(sub, gen);
            }, backoffDelay(1, 500, 2000, this.o.random));
          } else {
            this.subs.delete(sub.channel);
            sub._failed(e);
          }
        },
      );
    };
    if (typeof token === 'function') {
      Promise.resolve()
        .then(() => token(sub.channel))
        .then(go, (e) => this.report('token', e, sub.channel));
    } else go(token);
  }

  private sendPublish(h: PublishHandleImpl<unknown>): void {
    if (h.sent || h.status !== 'pending' || this._status !== 'connected') return;
    h.sent = true;
    h.attempts++;
    const gen = this.gen;
    const retry = () => {
      h.sent = false;
      h.retryTimer = setTimeout(() => this.sendPublish(h), backoffDelay(h.attempts, 500, 5000, this.o.random));
    };
    if (this.useSse) {
      this.sse!.publish(h).then(
        (pos) => h.confirm(pos),
        (e: ChorusError) => (e.code === DISCONNECTED || RETRYABLE.has(e.code) ? retry() : h.fail(e)),
      );
      return;
    }
    this.call('publish', { channel: h.channel, data: h.data, key: h.key }, gen).then(
      (r) => h.confirm(F.position(r) ?? { offset: 0, epoch: '' }),
      (e: ChorusError) => {
        if (e.code === DISCONNECTED) h.sent = false; // sent again after the reconnect, with the same key
        else if (RETRYABLE.has(e.code) || e.code === TIMEOUT) retry();
        else h.fail(e);
      },
    );
  }

  /** Writes a request on the current socket and waits for its reply. */
  private call(op: string, fields: Record<string, unknown>, gen: number): Promise<F.Obj> {
    return new Promise((resolve, reject) => {
      if (gen !== this.gen || !this.ws) {
        reject(new ChorusError(DISCONNECTED, 'the connection closed'));
        return;
      }
      const id = this.nextId++;
      const timeout = this.o.requestTimeout ?? 10000;
      const timer = setTimeout(() => {
        this.inflight.delete(id);
        reject(new ChorusError(TIMEOUT, `no reply to '${op}' within ${timeout} ms`));
        if (op === 'connect') this.onClosed(4001, 'no reply to connect');
      }, timeout);
      this.inflight.set(id, { resolve, reject, timer });
      if (!this.send({ id, op, ...fields })) {
        clearTimeout(timer);
        this.inflight.delete(id);
        reject(new ChorusError(DISCONNECTED, 'the connection closed'));
      }
    });
  }

  private send(frame: object): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return false;
    try {
      ws.send(this.codec.encode(frame));
      return true;
    } catch (e) {
      this.report('send', e);
      return false;
    }
  }

  private armDead(ms: number): void {
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.deadTimer = setTimeout(() => {
      this.report('heartbeat', new ChorusError(4001, `nothing received for ${ms} ms: the connection is dead`));
      this.onClosed(4001, 'no frame from the server within the timeout');
    }, ms);
  }

  private onFrame(data: unknown): void {
    if (this.deadAfter > 0) this.armDead(this.deadAfter);
    let frame: unknown;
    try {
      frame = this.codec.decode(data);
    } catch (e) {
      this.report('frame', e instanceof ChorusError ? e : new ChorusError(107, `malformed frame: ${(e as Error)?.message ?? e}`));
      return;
    }
    if (!F.isObj(frame)) {
      this.report('frame', new ChorusError(107, 'a frame must be an object'));
      return;
    }
    if (frame.id !== undefined && frame.push === undefined) {
      const id = frame.id;
      const req = typeof id === 'number' ? this.inflight.get(id) : undefined;
      if (!req) {
        this.report('frame', new ChorusError(107, `reply to an unknown request id ${String(id)}`));
        return;
      }
      this.inflight.delete(id as number);
      clearTimeout(req.timer);
      if (frame.error !== undefined) {
        const err = F.isObj(frame.error) ? frame.error : {};
        req.reject(new ChorusError(F.num(err.code, 100), F.str(err.message, 'error')));
      } else {
        req.resolve(F.isObj(frame.result) ? frame.result : {});
      }
      return;
    }
    try {
      this.onPush(frame);
    } catch (e) {
      this.report('push', e);
    }
  }

  /** Handles one push (also used by the SSE transport, whose events carry the same fields). */
  _onPush(frame: F.Obj): void {
    this.onPush(frame);
  }

  private onPush(p: F.Obj): void {
    const type = p.push;
    if (type === 'ping') {
      this.send({ op: 'pong' });
      return;
    }
    if (type === 'error') {
      const err = F.isObj(p.error) ? p.error : {};
      this.report('push', new ChorusError(F.num(err.code, 100), F.str(err.message, 'error')));
      return;
    }
    if (type === 'doc') {
      // for the Yjs provider (@chorus/client/yjs); a document nobody opened here is ignored
      const handler = typeof p.doc === 'string' ? this._docs.get(p.doc) : undefined;
      if (handler && typeof p.data === 'string') handler(p.data);
      else if (handler) this.report('frame', new ChorusError(107, 'malformed doc push'));
      return;
    }
    const channel = p.channel;
    const sub = typeof channel === 'string' ? this.subs.get(channel) : undefined;
    if (typeof type !== 'string' || !sub) {
      if (typeof type !== 'string') this.report('frame', new ChorusError(107, 'a frame with neither id nor push'));
      return;
    }
    switch (type) {
      case 'pub': {
        const pub = F.publication(sub.channel, p.pub);
        if (pub) sub._onPub(pub);
        else this.report('frame', new ChorusError(107, 'malformed pub push'), sub.channel);
        return;
      }
      case 'join':
      case 'leave':
      case 'presence': {
        const info = F.clientInfo(p.info);
        if (!info) return this.report('frame', new ChorusError(107, `malformed ${type} push`), sub.channel);
        if (type === 'join') sub._onJoin(info);
        else if (type === 'leave') sub._onLeave(info);
        else sub._onPresence(info);
        return;
      }
      case 'signal': {
        const ev: SignalEvent = { channel: sub.channel, key: F.str(p.key), data: p.data === undefined ? null : p.data };
        const info = F.clientInfo(p.info);
        if (info) ev.info = info;
        sub._onSignal(ev);
        return;
      }
      case 'unsub': {
        if (p.resubscribe === true && !this.useSse) {
          sub._disconnected();
          this.sendSubscribe(sub, this.gen);
        } else {
          this.subs.delete(sub.channel);
          sub._ended({ channel: sub.channel, code: F.num(p.code), reason: F.str(p.reason) });
        }
        return;
      }
      default:
      // unknown pushes come from newer servers: ignore
    }
  }

  /** The connection is gone: decide between reconnecting and stopping. */
  _closed(code: number, reason: string): void {
    this.onClosed(code, reason);
  }

  private onClosed(code: number, reason: string): void {
    if (this.stopped) return;
    this.teardown(4000, 'reconnecting');
    const ev: DisconnectEvent = { code, reason, reconnect: true };
    if (FINAL.has(code) || (code === 4006 && !this.o.getToken)) {
      ev.reconnect = false;
      this.stop(ev);
      return;
    }
    if (code === 4006) this.freshToken = true;
    this.scheduleReconnect(ev);
  }

  private scheduleReconnect(ev: DisconnectEvent): void {
    this.emit('disconnected', ev);
    this.setStatus('reconnecting');
    const delay = backoffDelay(this.attempt++, this.o.minReconnectDelay ?? 500, this.o.maxReconnectDelay ?? 20000, this.o.random);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped) void this.open();
    }, delay);
  }

  private stop(ev: DisconnectEvent): void {
    this.stopped = true;
    this.teardown(1000, 'stopped');
    this.emit('disconnected', ev);
    this.setStatus('disconnected');
    const err = new ChorusError(CLOSED, `connection closed for good (${ev.code} ${ev.reason})`);
    for (const h of [...this.pending.values()]) h.fail(err);
  }

  /** Drops the socket or stream and everything tied to it. */
  private teardown(code: number, reason: string): void {
    this.gen++;
    for (const t of [this.deadTimer, this.refreshTimer, this.reconnectTimer]) if (t) clearTimeout(t);
    this.deadTimer = this.refreshTimer = this.reconnectTimer = undefined;
    this.deadAfter = 0;
    this._info = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      // the ws package reports closing a socket that is still connecting as an error event: keep a listener
      ws.onerror = () => {};
      try {
        const t = (ws as { terminate?: () => void }).terminate;
        if (code === 4000 && typeof t === 'function') t.call(ws);
        else ws.close(code, reason);
      } catch {
        // already closed
      }
    }
    this.sse?.close();
    this.sse = undefined;
    const inflight = [...this.inflight.values()];
    this.inflight.clear();
    for (const r of inflight) {
      clearTimeout(r.timer);
      r.reject(new ChorusError(DISCONNECTED, 'the connection closed'));
    }
    for (const h of this.pending.values()) h.sent = false;
    for (const sub of this.subs.values()) sub._disconnected();
  }

  // ---- for the Yjs provider ----

  /** @internal handlers of `doc` pushes, by document name (one provider per document and client) */
  readonly _docs = new Map<string, (data: string) => void>();

  /** @internal sends a request on the current connection only: rejects with DISCONNECTED when there is none */
  _callNow(op: string, fields: Record<string, unknown>): Promise<F.Obj> {
    if (this.useSse) return Promise.reject(new ChorusError(NOT_AVAILABLE, `'${op}' is not available over SSE`));
    if (this._status !== 'connected') return Promise.reject(new ChorusError(DISCONNECTED, 'not connected'));
    return this.call(op, fields, this.gen);
  }

  // ---- for the SSE transport ----

  /** @internal the last SSE event id: where a new stream resumes */
  _sseLastId?: string;

  /** @internal */
  get _gen(): number {
    return this.gen;
  }
  /** @internal */
  get _options(): ChorusOptions {
    return this.o;
  }
  /** @internal */
  get _token(): string | undefined {
    return this.token;
  }
  /** @internal */
  _subs(): Map<string, Subscription> {
    return this.subs;
  }
  /** @internal */
  _report(context: string, e: unknown, channel?: string): void {
    this.report(context, e, channel);
  }
  /** @internal the SSE stream is (re)established */
  _sseReady(info: ConnectInfo): void {
    this._connected(info);
    for (const sub of this.subs.values()) if (sub.state === 'subscribing') sub.state = 'subscribed';
    for (const h of this.pending.values()) this.sendPublish(h);
  }
  /** @internal the browser is re-opening the stream by itself */
  _sseReconnecting(): void {
    if (this._status === 'connected') {
      this._info = undefined;
      for (const h of this.pending.values()) h.sent = false;
      this.emit('disconnected', { code: 1006, reason: 'stream interrupted', reconnect: true });
      this.setStatus('reconnecting');
    }
  }
  /** @internal the stream ended for good (with a close code) */
  _sseStopped(code: number, reason: string, reconnect: boolean): void {
    if (!reconnect) this.stop({ code, reason, reconnect: false });
    else this.onClosed(code, reason);
  }
}
