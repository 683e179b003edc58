/**
 * `@chorus/client/redux`: a slice that mirrors channels (publications in, presence, resyncs, the
 * connection status and optimistic publishes) and a middleware that sends actions out.
 *
 * Actions out: dispatch `chorusActions.publish({channel, data})`, or list action types in
 * `outbound` to publish those actions themselves (`{type, payload}`) to a channel; they still reach
 * your reducers locally first (optimistic). Publications in: every publication becomes a
 * `chorus/publicationReceived` action, and a publication carrying an `outbound` action from another
 * client is dispatched as that action with `meta.remote = true`.
 */
import { createSlice, type Middleware, type PayloadAction } from '@reduxjs/toolkit';
import type { Chorus } from './client.js';
import { randomKey } from './publish.js';
import type { ClientInfo, Position, Publication, ResyncEvent, Status } from './types.js';

export interface PendingPublish {
  key: string;
  data: unknown;
  status: 'pending' | 'confirmed' | 'failed';
  position?: Position;
  error?: string;
}

export interface ChorusChannelState {
  position?: Position;
  /** The latest publications (at most `maxMessages`). */
  messages: Publication[];
  members: Record<string, ClientInfo>;
  resyncs: number;
  /** This client's publishes by key, until confirmed (then removed) or failed. */
  pending: Record<string, PendingPublish>;
}

export interface ChorusState {
  status: Status;
  channels: Record<string, ChorusChannelState>;
}

const emptyChannel = (): ChorusChannelState => ({ messages: [], members: {}, resyncs: 0, pending: {} });

export function createChorusSlice(opts: { name?: string; maxMessages?: number } = {}) {
  const max = opts.maxMessages ?? 200;
  const initialState: ChorusState = { status: 'disconnected', channels: {} };
  const ch = (s: ChorusState, c: string) => (s.channels[c] ??= emptyChannel());
  return createSlice({
    name: opts.name ?? 'chorus',
    initialState,
    reducers: {
      statusChanged(s, a: PayloadAction<Status>) {
        s.status = a.payload;
      },
      publicationReceived(s, a: PayloadAction<Publication>) {
        const c = ch(s, a.payload.channel);
        const p = a.payload;
        if (p.epoch && c.messages.some((m) => m.epoch === p.epoch && m.offset === p.offset)) return;
        c.messages.push(p);
        if (c.messages.length > max) c.messages.splice(0, c.messages.length - max);
        if (p.epoch) c.position = { offset: p.offset, epoch: p.epoch };
      },
      resynced(s, a: PayloadAction<ResyncEvent>) {
        const c = ch(s, a.payload.channel);
        c.resyncs++;
        c.position = a.payload.position;
        // what is kept may have gaps: start over from the live stream (apps refetch in their own listener)
        c.messages = [];
      },
      membersChanged(s, a: PayloadAction<{ channel: string; members: Record<string, ClientInfo> }>) {
        ch(s, a.payload.channel).members = a.payload.members;
      },
      publishPending(s, a: PayloadAction<{ channel: string; key: string; data: unknown }>) {
        ch(s, a.payload.channel).pending[a.payload.key] = { key: a.payload.key, data: a.payload.data, status: 'pending' };
      },
      publishConfirmed(s, a: PayloadAction<{ channel: string; key: string; position: Position }>) {
        delete ch(s, a.payload.channel).pending[a.payload.key];
      },
      publishFailed(s, a: PayloadAction<{ channel: string; key: string; error: string }>) {
        const p = ch(s, a.payload.channel).pending[a.payload.key];
        if (p) {
          p.status = 'failed';
          p.error = a.payload.error;
        }
      },
      /** Handled by the middleware (which publishes); reducers see it as a no-op. */
      publish(_s, _a: PayloadAction<{ channel: string; data: unknown; key?: string }>) {},
    },
  });
}

/** The default slice, mounted at `state.chorus`. */
export const chorusSlice = createChorusSlice();
export const chorusActions = chorusSlice.actions;
export const chorusReducer = chorusSlice.reducer;

export interface ChorusMiddlewareOptions {
  /** Channels to subscribe to and mirror. */
  channels?: string[];
  /** Action types published as they are: `{ 'todos/added': 'todos:list' }` (or a function of the action). */
  outbound?: Record<string, string | ((action: { type: string; payload?: unknown }) => string | undefined)>;
  /** The slice's actions (when you made your own with `createChorusSlice`). */
  actions?: typeof chorusActions;
}

interface RemoteAction {
  type: string;
  payload?: unknown;
  meta?: { origin?: string; [k: string]: unknown };
}

export function createChorusMiddleware(client: Chorus, opts: ChorusMiddlewareOptions = {}): Middleware {
  const acts = opts.actions ?? chorusActions;
  const outbound = opts.outbound ?? {};
  // marks this store's own actions, so their echo (also after a reconnect, under a new client id) is not applied twice
  const origin = randomKey();
  return (api) => {
    const send = (channel: string, data: unknown, key?: string) => {
      const h = client.publish(channel, data, key === undefined ? {} : { key });
      api.dispatch(acts.publishPending({ channel, key: h.key, data }));
      h.confirmed.then(
        (position) => api.dispatch(acts.publishConfirmed({ channel, key: h.key, position })),
        (e: Error) => api.dispatch(acts.publishFailed({ channel, key: h.key, error: e.message })),
      );
      return h;
    };
    client.on('status', (e) => api.dispatch(acts.statusChanged(e.status)));
    client.on('resync', (e) => api.dispatch(acts.resynced(e)));
    for (const channel of opts.channels ?? []) {
      const sub = client.subscribe(channel);
      sub.on('members', (m) => api.dispatch(acts.membersChanged({ channel, members: Object.fromEntries(m) })));
      sub.on('publication', (p) => {
        api.dispatch(acts.publicationReceived(p));
        const d = p.data as RemoteAction | null;
        if (d && typeof d === 'object' && typeof d.type === 'string' && d.type in outbound && d.meta?.origin !== origin) {
          const target = outbound[d.type];
          const ch = typeof target === 'function' ? target(d) : target;
          if (ch === channel) api.dispatch({ type: d.type, payload: d.payload, meta: { ...d.meta, remote: true, offset: p.offset } });
        }
      });
    }
    queueMicrotask(() => api.dispatch(acts.statusChanged(client.status)));
    return (next) => (action) => {
      const a = action as RemoteAction;
      if (acts.publish.match(action)) {
        send(action.payload.channel, action.payload.data, action.payload.key);
        return next(action);
      }
      if (a && typeof a.type === 'string' && a.type in outbound && !(a.meta as { remote?: boolean } | undefined)?.remote) {
        const target = outbound[a.type];
        const channel = typeof target === 'function' ? target(a) : target;
        if (channel) send(channel, { type: a.type, payload: a.payload, meta: { origin } });
      }
      return next(action);
    };
  };
}
