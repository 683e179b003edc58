import type { Chorus, EventSourceConstructor, EventSourceLike } from './client.js';
import { ChorusError, DISCONNECTED, NOT_AVAILABLE } from './errors.js';
import * as F from './frames.js';
import type { PublishHandleImpl } from './publish.js';
import type { Position } from './types.js';

/**
 * The fallback for networks that block WebSockets: an EventSource on /sse receives (the server
 * resumes it from Last-Event-ID), POST /publish sends. RPC, history, presence queries, presence
 * updates and signals need the WebSocket.
 */
export class SseTransport {
  private es?: EventSourceLike;
  private reopenQueued = false;
  private closed = false;

  constructor(
    private readonly client: Chorus,
    private readonly gen: number,
  ) {}

  private get live(): boolean {
    return !this.closed && this.client._gen === this.gen;
  }

  open(): void {
    if (!this.live) return;
    const subs = [...this.client._subs().values()];
    const o = this.client._options;
    if (subs.length === 0) {
      // nothing to stream; publishing over HTTP works without a stream
      this.client._sseReady({ client: '', user: '', ping: 0, timeout: 0, transport: 'sse' });
      return;
    }
    const ES = o.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
    if (!ES) {
      this.client._report('transport', new ChorusError(NOT_AVAILABLE, 'no EventSource implementation: pass options.EventSource'));
      this.client._sseStopped(0, 'no EventSource implementation', false);
      return;
    }
    const q = new URLSearchParams();
    let joinLeave = false;
    for (const s of subs) {
      q.append('channel', s.channel);
      if (s.joinLeave) joinLeave = true;
      if (typeof s.options.token === 'string') q.set(`sub_token.${s.channel}`, s.options.token);
    }
    if (joinLeave) q.set('joinLeave', 'true');
    const token = this.client._token;
    if (token !== undefined) q.set('token', token);
    if (this.client._sseLastId) q.set('lastEventId', this.client._sseLastId);
    let es: EventSourceLike;
    try {
      es = new ES(`${this.client.httpUrl}/sse?${q}`, { withCredentials: o.withCredentials !== false });
    } catch (e) {
      this.client._report('transport', e);
      this.client._sseStopped(0, 'cannot open the event stream', false);
      return;
    }
    this.es = es;
    const on = (type: string, fn: (d: F.Obj, ev: MessageEvent) => void) =>
      es.addEventListener(type, (ev: MessageEvent) => {
        if (!this.live || this.es !== es) return;
        if (ev.lastEventId) this.client._sseLastId = ev.lastEventId;
        let d: unknown;
        try {
          d = typeof ev.data === 'string' ? JSON.parse(ev.data) : undefined;
        } catch {
          d = undefined;
        }
        if (!F.isObj(d)) {
          // the browser's own 'error' events carry no data
          if (type !== 'error') this.client._report('frame', new ChorusError(107, `malformed '${type}' event`));
          return;
        }
        try {
          fn(d, ev);
        } catch (e) {
          this.client._report('push', e);
        }
      });
    on('ready', (d) => this.client._sseReady({ client: F.str(d.client), user: F.str(d.user), ping: 0, timeout: 0, transport: 'sse' }));
    on('message', (d) => {
      const channel = F.str(d.channel);
      this.client._onPush({ push: 'pub', channel, pub: d });
    });
    on('resync', (d) => {
      const sub = this.client._subs().get(F.str(d.channel));
      const pos = F.position(d);
      if (sub && pos) sub._onResync(pos);
    });
    for (const t of ['join', 'leave', 'presence', 'signal']) on(t, (d) => this.client._onPush({ ...d, push: t }));
    on('unsubscribed', (d) => this.client._onPush({ push: 'unsub', channel: d.channel, code: d.code, reason: d.reason, resubscribe: false }));
    on('disconnect', (d) => {
      const code = F.num(d.code, 4000);
      es.close();
      this.client._sseStopped(code, F.str(d.reason), d.reconnect === true);
    });
    on('error', (d) => {
      // a refusal after the stream started: the stream ends
      es.close();
      const err = F.isObj(d.error) ? d.error : d;
      this.client._report('push', new ChorusError(F.num(err.code, 100), F.str(err.message, 'stream refused')));
      this.client._sseStopped(F.num(err.code, 100), F.str(err.message), false);
    });
    es.onerror = () => {
      if (!this.live || this.es !== es) return;
      if (es.readyState === 2) {
        // a non-200 answer (refused, or the server is down): the browser gives up, we retry with backoff
        this.client._sseStopped(1006, 'event stream closed', true);
      } else {
        this.client._sseReconnecting();
      }
    };
  }

  /** Subscriptions changed: reopen the stream from the last event id (coalesced). */
  channelsChanged(): void {
    if (this.reopenQueued) return;
    this.reopenQueued = true;
    queueMicrotask(() => {
      this.reopenQueued = false;
      if (!this.live) return;
      this.es?.close();
      this.es = undefined;
      this.open();
    });
  }

  async publish(h: PublishHandleImpl<unknown>): Promise<Position> {
    const o = this.client._options;
    const f = o.fetch ?? globalThis.fetch;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const token = this.client._token;
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await f(`${this.client.httpUrl}/publish`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ channel: h.channel, data: h.data, key: h.key }),
        credentials: o.withCredentials === false ? 'same-origin' : 'include',
      });
    } catch (e) {
      throw new ChorusError(DISCONNECTED, `POST /publish failed: ${(e as Error)?.message ?? e}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    if (res.ok) {
      const pos = F.position(body);
      if (pos) return pos;
      throw new ChorusError(DISCONNECTED, 'POST /publish: malformed answer');
    }
    const err = F.isObj(body) && F.isObj(body.error) ? body.error : {};
    // 504: no answer in time, the publish may have happened: retrying with the same key is safe
    const code = res.status === 504 ? 100 : F.num(err.code, res.status >= 500 ? 100 : 107);
    throw new ChorusError(code, F.str(err.message, `POST /publish: HTTP ${res.status}`));
  }

  close(): void {
    this.closed = true;
    this.es?.close();
    this.es = undefined;
  }
}
