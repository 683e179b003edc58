/**
 * `@chorus/client/tanstack-query`: keeps TanStack Query caches live. Publications that carry the
 * new value go into the cache with `setQueryData` ("here is exactly what changed"); the others,
 * "something changed" events, call `invalidateQueries`, and so does every resync, since the client
 * may have missed publications.
 */
import type { QueryClient, QueryKey } from '@tanstack/query-core';
import type { Chorus } from './client.js';
import type { Unsubscribe } from './emitter.js';
import type { SubscribeOptions } from './subscription.js';
import type { Publication } from './types.js';

export interface QueryBinding<TData = unknown> {
  channel: string;
  /** The query this channel keeps live (invalidated on resync). */
  queryKey: QueryKey;
  /**
   * Computes the new cached value from a publication that carries it; return `undefined` when
   * the publication only says that something changed (the query is then invalidated).
   */
  update?: (old: TData | undefined, pub: Publication) => TData | undefined;
  /** Which queries a "something changed" publication invalidates (default: `queryKey`). */
  invalidate?: (pub: Publication) => QueryKey[];
  subscribe?: SubscribeOptions;
}

/** Binds channels to queries; returns a function that unbinds (and unsubscribes). */
export function bindQueries(client: Chorus, queryClient: QueryClient, bindings: QueryBinding<any>[]): Unsubscribe {
  const offs: Unsubscribe[] = [];
  for (const b of bindings) {
    const sub = client.subscribe(b.channel, b.subscribe);
    offs.push(
      sub.on('publication', (pub) => {
        let wrote = false;
        if (b.update) {
          const old = queryClient.getQueryData(b.queryKey);
          const next = b.update(old, pub);
          if (next !== undefined) {
            queryClient.setQueryData(b.queryKey, next);
            wrote = true;
          }
        }
        if (!wrote) for (const queryKey of b.invalidate ? b.invalidate(pub) : [b.queryKey]) void queryClient.invalidateQueries({ queryKey });
      }),
      sub.on('resync', () => void queryClient.invalidateQueries({ queryKey: b.queryKey })),
      () => sub.unsubscribe(),
    );
  }
  return () => offs.forEach((f) => f());
}

/**
 * An `update` for lists of items with ids: a publication whose data is an item replaces the item
 * with the same id or appends it; `{deleted: id}` removes one. Before the list was fetched
 * (`old` undefined) it returns undefined, so the query is invalidated (and fetched) instead.
 */
export function upsertById<T>(idOf: (item: T) => unknown): (old: T[] | undefined, pub: Publication) => T[] | undefined {
  return (old, pub) => {
    if (old === undefined) return undefined;
    const d = pub.data as (T & { deleted?: unknown }) | null;
    if (d === null || typeof d !== 'object') return undefined;
    if ('deleted' in d && Object.keys(d).length === 1) return old.filter((x) => idOf(x) !== d.deleted);
    const id = idOf(d);
    if (id === undefined) return undefined;
    const i = old.findIndex((x) => idOf(x) === id);
    if (i < 0) return [...old, d];
    const copy = old.slice();
    copy[i] = d;
    return copy;
  };
}
