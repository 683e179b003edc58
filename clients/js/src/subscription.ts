import { Emitter } from './emitter.js';
import type { PublishHandle } from './publish.js';
import { Throttle } from './throttle.js';
import type {
  ClientInfo,
  ErrorEvent,
  HistoryOptions,
  HistoryResult,
  Position,
  PresenceEvent,
  PresenceStats,
  Publication,
  ResyncEvent,
  ResyncReason,
  SignalEvent,
  SubscribedEvent,
  UnsubscribedEvent,
} from './types.js';

export interface SubscribeOptions {
  /** Receive `join`, `leave` and `presence` events and keep `members` up to date (default true). */
  joinLeave?: boolean;
  /** Start from this position (recover what came after it) instead of from now. */
  since?: Position;
  /** A subscription token for a private channel, or a function that fetches a fresh one. */
  token?: string | ((channel: string) => string | Promise<string>);
}

export type SubscriptionState = 'subscribing' | 'subscribed' | 'unsubscribed' | 'failed';

export interface SubscriptionEvents {
  publication: Publication;
  subscribed: SubscribedEvent;
  resync: ResyncEvent;
  join: PresenceEvent;
  leave: PresenceEvent;
  presence: PresenceEvent;
  /** `members` changed (after a join, leave, presence update or a fresh snapshot). */
  members: ReadonlyMap<string, ClientInfo>;
  signal: SignalEvent;
  unsubscribed: UnsubscribedEvent;
  error: ErrorEvent;
}

/** What a Subscription needs from the client (kept narrow so the two stay testable apart). */
export interface SubscriptionHost {
  _unsubscribe(sub: Subscription): void;
  _request(op: string, fields: Record<string, unknown>): Promise<Record<string, unknown>>;
  _signal(channel: string, key: string, data: unknown): void;
  _emitFromSub<K extends keyof SubscriptionEvents>(event: K, value: SubscriptionEvents[K]): void;
  publish<T>(channel: string, data: T, opts?: { key?: string }): PublishHandle<T>;
  history(channel: string, opts?: HistoryOptions): Promise<HistoryResult>;
  presence(channel: string): Promise<Record<string, ClientInfo>>;
  presenceStats(channel: string): Promise<PresenceStats>;
  readonly signalInterval: number;
}

/**
 * One channel subscription. It lives across reconnects: the client resubscribes with `position`
 * and either recovers what was missed or emits `resync`.
 */
export class Subscription extends Emitter<SubscriptionEvents> {
  state: SubscriptionState = 'subscribing';
  /** The last position seen (the subscribe reply's, then each publication's). */
  position?: Position;
  /** Who is here, by client id (needs presence on in the namespace and `joinLeave`). */
  readonly members = new Map<string, ClientInfo>();
  /** This client's own presence state, restored after every resubscribe. */
  presenceState?: unknown;
  /** Has been subscribed at least once (so the next subscribe is a resubscribe). */
  everSubscribed = false;
  /**
   * A publication without a position was seen: the namespace keeps no history, so nothing missed
   * can be recovered (the client resyncs after every resubscribe even if the server said otherwise).
   */
  historyless = false;
  private readonly throttle: Throttle<unknown>;

  constructor(
    private readonly host: SubscriptionHost,
    readonly channel: string,
    readonly options: SubscribeOptions,
  ) {
    super();
    this.position = options.since;
    this.throttle = new Throttle(host.signalInterval, (key, data) => host._signal(channel, key, data));
  }

  get joinLeave(): boolean {
    return this.options.joinLeave !== false;
  }

  publish<T>(data: T, opts?: { key?: string }): PublishHandle<T> {
    return this.host.publish(this.channel, data, opts);
  }

  history(opts?: HistoryOptions): Promise<HistoryResult> {
    return this.host.history(this.channel, opts);
  }

  /** Asks the server who is present. */
  presence(): Promise<Record<string, ClientInfo>> {
    return this.host.presence(this.channel);
  }

  presenceStats(): Promise<PresenceStats> {
    return this.host.presenceStats(this.channel);
  }

  /** Sets this client's presence state (kept and sent again after a reconnect). */
  async setPresence(state: unknown): Promise<{ clock: number }> {
    this.presenceState = state;
    const r = await this.host._request('presence_update', { channel: this.channel, state });
    return { clock: typeof r.clock === 'number' ? r.clock : 0 };
  }

  /**
   * Sends an ephemeral signal (cursor, typing) to the other subscribers, throttled per key to the
   * client's signal rate (default 20 Hz) with a trailing edge: the last value always goes out.
   * Dropped while not connected.
   */
  signal(key: string, data: unknown): void {
    this.throttle.push(key, data);
  }

  unsubscribe(): void {
    if (this.state === 'unsubscribed') return;
    this.throttle.clear();
    this.host._unsubscribe(this);
  }

  // ---- called by the client ----

  _ended(ev: UnsubscribedEvent): void {
    this.state = 'unsubscribed';
    this.throttle.clear();
    this.emit2('unsubscribed', ev);
  }

  _failed(error: Error): void {
    this.state = 'failed';
    this.emit2('error', { context: 'subscribe', error, channel: this.channel });
  }

  _onSubscribed(pos: Position, recovering: boolean, recovered: boolean, pubs: Publication[], members?: Record<string, ClientInfo>): void {
    const previous = this.position;
    this.state = 'subscribed';
    this.everSubscribed = true;
    if (members) {
      this.members.clear();
      for (const [k, v] of Object.entries(members)) this.members.set(k, v);
      this.emit2('members', this.members);
    }
    if (recovering && recovered && this.historyless) recovered = false;
    if (recovering && !recovered) {
      this.position = pos;
      this.emit2('subscribed', { channel: this.channel, recovering, recovered, position: pos });
      this.resync(previous && previous.epoch !== '' && previous.epoch !== pos.epoch ? 'epoch-changed' : 'not-recovered', pos, previous);
      return;
    }
    if (!this.position || !recovering) this.position = pos;
    for (const p of pubs) this._onPub(p);
    // the reply's position is authoritative for where live delivery starts
    if (!this.position || this.position.epoch !== pos.epoch || this.position.offset < pos.offset) this.position = pos;
    this.emit2('subscribed', { channel: this.channel, recovering, recovered, position: pos });
  }

  _onPub(pub: Publication): void {
    const pos = this.position;
    if (pub.epoch === '' && pub.offset === 0) this.historyless = true;
    if (pub.epoch !== '' && pub.offset > 0) {
      if (pos && pos.epoch === pub.epoch) {
        if (pub.offset <= pos.offset) return; // already delivered
        if (pub.offset > pos.offset + 1) {
          this.position = { offset: pub.offset, epoch: pub.epoch };
          this.resync('gap', this.position, pos);
        }
      } else if (pos && pos.epoch !== '') {
        this.position = { offset: pub.offset, epoch: pub.epoch };
        this.resync('epoch-changed', this.position, pos);
      }
      this.position = { offset: pub.offset, epoch: pub.epoch };
    }
    this.emit2('publication', pub);
  }

  /** The server (SSE) says the position could not be recovered. */
  _onResync(pos: Position): void {
    const previous = this.position;
    this.position = pos;
    this.resync(previous && previous.epoch !== '' && previous.epoch !== pos.epoch ? 'epoch-changed' : 'not-recovered', pos, previous);
  }

  _onJoin(info: ClientInfo): void {
    this.members.set(info.client, info);
    this.emit2('join', { channel: this.channel, info });
    this.emit2('members', this.members);
  }

  _onLeave(info: ClientInfo): void {
    this.members.delete(info.client);
    this.emit2('leave', { channel: this.channel, info });
    this.emit2('members', this.members);
  }

  _onPresence(info: ClientInfo): void {
    const old = this.members.get(info.client);
    if (old && (old.clock ?? 0) > (info.clock ?? 0)) return; // older than what we have
    this.members.set(info.client, { ...old, ...info });
    this.emit2('presence', { channel: this.channel, info });
    this.emit2('members', this.members);
  }

  _onSignal(ev: SignalEvent): void {
    this.emit2('signal', ev);
  }

  _disconnected(): void {
    if (this.state === 'subscribed') this.state = 'subscribing';
  }

  private resync(reason: ResyncReason, position: Position, previous?: Position): void {
    this.emit2('resync', { channel: this.channel, reason, position, previous });
  }

  /** Emits on the subscription and on the client. */
  private emit2<K extends keyof SubscriptionEvents>(event: K, value: SubscriptionEvents[K]): void {
    this.emit(event, value);
    this.host._emitFromSub(event, value);
  }
}
