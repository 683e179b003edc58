export { Chorus, VERSION } from './client.js';
export type {
  ChorusOptions,
  ClientEvents,
  WebSocketLike,
  WebSocketConstructor,
  EventSourceLike,
  EventSourceConstructor,
} from './client.js';
export { Subscription } from './subscription.js';
export type { SubscribeOptions, SubscriptionEvents, SubscriptionState } from './subscription.js';
export type { PublishHandle, PublishStatus } from './publish.js';
export { ChorusError, DISCONNECTED, TIMEOUT, NOT_AVAILABLE, CLOSED } from './errors.js';
export { Interpolator, lerp } from './interpolate.js';
export type { InterpolatorOptions, NumericRecord } from './interpolate.js';
export { backoffDelay } from './backoff.js';
export { Throttle } from './throttle.js';
export type { Unsubscribe } from './emitter.js';
export type * from './types.js';
