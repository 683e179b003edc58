/** Where a channel's stream stands: `offset` counts its publications, `epoch` names the stream. */
export interface Position {
  offset: number;
  epoch: string;
}

/** A client as the server describes it (publisher info, presence entries). */
export interface ClientInfo {
  client: string;
  user: string;
  connInfo?: unknown;
  state?: unknown;
  clock?: number;
}

export interface Publication<T = unknown> {
  channel: string;
  /** 0 in channels without history. */
  offset: number;
  /** "" in channels without history. */
  epoch: string;
  /** Server time, ms since the Unix epoch (0 when the server did not say). */
  time: number;
  data: T;
  /** The publishing client; absent for publications by the server or the application. */
  info?: ClientInfo;
}

export type Status = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface StatusEvent {
  status: Status;
  previous: Status;
}

/** What the server said in the connect reply (or the SSE `ready` event). */
export interface ConnectInfo {
  client: string;
  user: string;
  /** Seconds between the server's pings. */
  ping: number;
  /** Seconds of silence after which a connection counts as dead. */
  timeout: number;
  node?: string;
  version?: string;
  limits?: Record<string, number>;
  /** Data from the application's connect hook. */
  data?: unknown;
  /** Seconds until the token expires. */
  expires?: number;
  transport: 'websocket' | 'sse';
}

export interface DisconnectEvent {
  code: number;
  reason: string;
  /** Whether the client will reconnect by itself. */
  reconnect: boolean;
}

export type ResyncReason = 'not-recovered' | 'epoch-changed' | 'gap';

/**
 * The client may have missed publications of `channel`: refetch its state. Live delivery
 * continues from `position`.
 */
export interface ResyncEvent {
  channel: string;
  reason: ResyncReason;
  position: Position;
  previous?: Position;
}

export interface PresenceEvent {
  channel: string;
  info: ClientInfo;
}

export interface SignalEvent<T = unknown> {
  channel: string;
  key: string;
  data: T;
  info?: ClientInfo;
}

export interface SubscribedEvent {
  channel: string;
  recovering: boolean;
  recovered: boolean;
  position: Position;
}

export interface UnsubscribedEvent {
  channel: string;
  code: number;
  reason: string;
}

export interface ErrorEvent {
  /** Where it happened: `frame` (a malformed server frame), `push`, `subscribe`, `token`, `transport`, ... */
  context: string;
  error: Error;
  channel?: string;
}

export interface HistoryOptions {
  since?: Position;
  limit?: number;
  reverse?: boolean;
}

export interface HistoryResult<T = unknown> {
  position: Position;
  publications: Publication<T>[];
}

export interface PresenceStats {
  clients: number;
  users: number;
}
