/**
 * `@chorus/client/zustand`: a vanilla Zustand store bound to one channel (its messages with
 * optimistic entries, its presence and the connection status). Use it in React with
 * `useStore(store, selector)` from `zustand`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Chorus } from './client.js';
import type { PublishHandle } from './publish.js';
import type { SubscribeOptions, Subscription } from './subscription.js';
import type { ClientInfo, Publication, ResyncEvent, Status } from './types.js';

export interface ChannelMessage<T> {
  /** The idempotency key for your own messages, `epoch:offset` for everyone's confirmed ones. */
  id: string;
  data: T;
  status: 'pending' | 'confirmed' | 'failed';
  offset?: number;
  epoch?: string;
  time?: number;
  info?: ClientInfo;
  /** This client published it. */
  mine: boolean;
  error?: string;
}

export interface ChannelState<T> {
  channel: string;
  status: Status;
  /** Confirmed messages in offset order, then this client's pending and failed ones. */
  messages: ChannelMessage<T>[];
  /** Present clients by client id. */
  members: Record<string, ClientInfo>;
  /** How many times the channel had to resync (a reload from history followed each). */
  resyncs: number;
  /** Publishes optimistically: the message shows at once as `pending`. */
  publish(data: T): PublishHandle<T>;
  /** Drops a failed message from the list. */
  dismiss(id: string): void;
  setPresence(state: unknown): Promise<{ clock: number }>;
  /** Unsubscribes and stops following the client. */
  destroy(): void;
}

export interface ChannelStoreOptions<T> extends SubscribeOptions {
  /** Keep at most this many confirmed messages (default 200). */
  maxMessages?: number;
  /**
   * Called on resync (and once after the first subscribe) to load the channel's state. The default
   * loads the last `maxMessages` publications from the channel's history; return the messages'
   * data as publications, or `undefined` to keep what the store has.
   */
  load?: (sub: Subscription) => Promise<Publication<T>[] | undefined>;
  /** Called on every resync, after the reload. */
  onResync?: (ev: ResyncEvent) => void;
}

const idOf = (p: { offset?: number; epoch?: string }) => `${p.epoch}:${p.offset}`;

export function createChannelStore<T = unknown>(client: Chorus, channel: string, options: ChannelStoreOptions<T> = {}): StoreApi<ChannelState<T>> {
  const max = options.maxMessages ?? 200;
  const sub = client.subscribe(channel, options);
  const offs: Array<() => void> = [];

  const fromPub = (p: Publication<T>, mine = false): ChannelMessage<T> => {
    const m: ChannelMessage<T> = { id: idOf(p), data: p.data, status: 'confirmed', offset: p.offset, epoch: p.epoch, time: p.time, mine };
    if (p.info) m.info = p.info;
    return m;
  };

  /** Puts confirmed messages in order, drops duplicates by position, trims, and keeps pending ones last. */
  const merge = (list: ChannelMessage<T>[], add: ChannelMessage<T>[]): ChannelMessage<T>[] => {
    const confirmed = new Map<string, ChannelMessage<T>>();
    const others: ChannelMessage<T>[] = [];
    for (const m of [...list, ...add]) {
      if (m.status !== 'confirmed' || !m.epoch) others.push(m);
      else {
        const old = confirmed.get(m.id);
        confirmed.set(m.id, old ? { ...old, ...m, info: m.info ?? old.info, time: m.time ?? old.time, mine: m.mine || old.mine } : m);
      }
    }
    const sorted = [...confirmed.values()].sort((a, b) => (a.epoch === b.epoch ? a.offset! - b.offset! : 0)).slice(-max);
    return [...sorted, ...others];
  };

  const store = createStore<ChannelState<T>>()((set, get) => ({
    channel,
    status: client.status,
    messages: [],
    members: Object.fromEntries(sub.members),
    resyncs: 0,
    publish(data: T) {
      const h = client.publish(channel, data);
      const pending: ChannelMessage<T> = { id: h.key, data, status: 'pending', mine: true };
      set({ messages: [...get().messages, pending] });
      h.onChange(() => {
        const without = get().messages.filter((m) => m.id !== h.key);
        if (h.status === 'confirmed' && h.position) {
          const p = h.position;
          const m: ChannelMessage<T> = { id: idOf(p), data, status: 'confirmed', offset: p.offset, epoch: p.epoch, mine: true };
          // without history (epoch "") there is no position to match the echo: keep the entry under its key
          if (!p.epoch) set({ messages: [...without, { ...m, id: h.key }] });
          else set({ messages: merge(without, [m]) });
        } else if (h.status === 'failed') {
          set({ messages: get().messages.map((m) => (m.id === h.key ? { ...m, status: 'failed' as const, error: h.error?.message } : m)) });
        }
      });
      return h;
    },
    dismiss(id: string) {
      set({ messages: get().messages.filter((m) => m.id !== id || m.status !== 'failed') });
    },
    setPresence: (state: unknown) => sub.setPresence(state),
    destroy() {
      for (const off of offs) off();
      sub.unsubscribe();
    },
  }));

  const load =
    options.load ??
    (async (s: Subscription) => {
      const h = await s.history({ limit: max, reverse: true });
      return (h.publications as Publication<T>[]).reverse();
    });

  let loads = 0;
  const reload = async (ev?: ResyncEvent) => {
    const n = ++loads;
    try {
      const pubs = await load(sub);
      if (n !== loads || pubs === undefined) return;
      const keep = store.getState().messages.filter((m) => m.status !== 'confirmed');
      set((s) => ({ messages: merge(keep, pubs.map((p) => fromPub(p))), resyncs: ev ? s.resyncs + 1 : s.resyncs }));
    } catch {
      // history off or not reachable: live messages still arrive
      if (ev) set((s) => ({ resyncs: s.resyncs + 1 }));
    }
    if (ev) options.onResync?.(ev);
  };
  const set = store.setState;

  offs.push(
    client.on('status', (e) => set({ status: e.status })),
    sub.on('publication', (p) => {
      // our own publication echoed before or after the confirmation: merge dedupes by position
      set({ messages: merge(store.getState().messages, [fromPub(p as Publication<T>)]) });
    }),
    sub.on('members', (m) => set({ members: Object.fromEntries(m) })),
    sub.on('resync', (ev) => void reload(ev)),
  );
  let first = true;
  offs.push(
    sub.on('subscribed', (e) => {
      if (first && !e.recovering) void reload();
      first = false;
    }),
  );
  if (sub.state === 'subscribed') void reload();
  return store;
}
