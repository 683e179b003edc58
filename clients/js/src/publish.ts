import { Emitter, type Unsubscribe } from './emitter.js';
import type { ChorusError } from './errors.js';
import type { Position } from './types.js';

export type PublishStatus = 'pending' | 'confirmed' | 'failed';

/**
 * An optimistic publication: `pending` until the server confirms it with its position
 * (`confirmed`), or gives up (`failed`). While pending it is retried across reconnects with the same
 * idempotency `key`, so it is published at most once.
 */
export interface PublishHandle<T = unknown> {
  readonly channel: string;
  readonly data: T;
  /** The idempotency key sent with every attempt. */
  readonly key: string;
  readonly status: PublishStatus;
  /** Set once confirmed. */
  readonly position?: Position;
  /** Set once failed. */
  readonly error?: ChorusError;
  /** Resolves with the position once confirmed; rejects once failed. */
  readonly confirmed: Promise<Position>;
  /** Calls `fn` on every status change (once, since a handle changes status once). */
  onChange(fn: (h: PublishHandle<T>) => void): Unsubscribe;
}

export class PublishHandleImpl<T> extends Emitter<{ change: PublishHandle<T> }> implements PublishHandle<T> {
  status: PublishStatus = 'pending';
  position?: Position;
  error?: ChorusError;
  readonly confirmed: Promise<Position>;
  /** An attempt is on the wire. */
  sent = false;
  timer?: ReturnType<typeof setTimeout>;
  retryTimer?: ReturnType<typeof setTimeout>;
  attempts = 0;
  private resolve!: (p: Position) => void;
  private reject!: (e: ChorusError) => void;

  constructor(
    readonly channel: string,
    readonly data: T,
    readonly key: string,
  ) {
    super();
    this.confirmed = new Promise<Position>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    // a handle whose failure nobody awaits must not become an unhandled rejection
    this.confirmed.catch(() => {});
  }

  onChange(fn: (h: PublishHandle<T>) => void): Unsubscribe {
    return this.on('change', fn);
  }

  confirm(p: Position): void {
    if (this.status !== 'pending') return;
    this.clearTimers();
    this.status = 'confirmed';
    this.position = p;
    this.resolve(p);
    this.emit('change', this);
  }

  fail(e: ChorusError): void {
    if (this.status !== 'pending') return;
    this.clearTimers();
    this.status = 'failed';
    this.error = e;
    this.reject(e);
    this.emit('change', this);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }
}

/** A random idempotency key (UUID where the platform has one). */
export function randomKey(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  let s = '';
  for (let i = 0; i < 4; i++) s += Math.floor(Math.random() * 2 ** 32).toString(36);
  return s;
}
