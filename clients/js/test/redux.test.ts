import { configureStore } from '@reduxjs/toolkit';
import { describe, expect, test } from 'vitest';
import { chorusActions, chorusReducer, createChorusMiddleware, type ChorusState } from '../src/redux.js';
import { client, control, env, uniq, waitFor } from './helpers.js';

interface Todo {
  id: string;
  title: string;
}

/** An app reducer whose actions are shared with the other clients of the channel. */
function todos(state: Todo[] = [], action: { type: string; payload?: unknown }): Todo[] {
  if (action.type === 'todos/added') return [...state, action.payload as Todo];
  return state;
}

function makeStore(url: string, ch: string) {
  const c = client(url);
  const store = configureStore({
    reducer: { chorus: chorusReducer, todos },
    middleware: (gdm) => gdm({ serializableCheck: false }).concat(createChorusMiddleware(c, { channels: [ch], outbound: { 'todos/added': ch } })),
  });
  c.connect();
  return { c, store, state: () => store.getState() as { chorus: ChorusState; todos: Todo[] } };
}

describe('redux binding', () => {
  test('outbound actions go out, remote ones come in once; status, presence and publications mirrored', async () => {
    const ch = uniq('todos');
    const a = makeStore(env('CHORUS_URL'), ch);
    const b = makeStore(env('CHORUS_URL'), ch);
    await waitFor(() => a.state().chorus.status === 'connected' && b.state().chorus.status === 'connected');
    await waitFor(() => Object.keys(a.state().chorus.channels[ch]?.members ?? {}).length === 2, 5000, 'both present');

    a.store.dispatch({ type: 'todos/added', payload: { id: '1', title: 'milk' } });
    expect(a.state().todos).toEqual([{ id: '1', title: 'milk' }]); // applied locally at once
    expect(Object.values(a.state().chorus.channels[ch]!.pending).map((p) => p.status)).toEqual(['pending']);
    await waitFor(() => b.state().todos.length === 1, 5000, 'the remote action');
    expect(b.state().todos).toEqual([{ id: '1', title: 'milk' }]);
    await waitFor(() => a.state().chorus.channels[ch]!.messages.length === 1);
    expect(a.state().todos).toHaveLength(1); // its own echo is not applied twice
    // the echo may come before the reply: pending clears once the reply confirms it
    await waitFor(() => Object.keys(a.state().chorus.channels[ch]!.pending).length === 0, 5000, 'the confirmation');

    b.store.dispatch(chorusActions.publish({ channel: ch, data: { note: 'plain data' } }));
    await waitFor(() => a.state().chorus.channels[ch]!.messages.length === 2);
    expect(a.state().chorus.channels[ch]!.messages[1]!.data).toEqual({ note: 'plain data' });
    expect(a.state().todos).toHaveLength(1);
    expect(a.state().chorus.channels[ch]!.position!.offset).toBe(2);
  });

  test('a refused publish is marked failed; a resync is counted', async () => {
    const ch = uniq('todos');
    const a = makeStore(env('CHORUS_RESTART_URL'), ch);
    await waitFor(() => a.state().chorus.status === 'connected');
    a.store.dispatch(chorusActions.publish({ channel: 'bad name!', data: 1 }));
    await waitFor(() => Object.values(a.state().chorus.channels['bad name!']?.pending ?? {}).some((p) => p.status === 'failed'));
    await a.c.publish(ch, { x: 1 }).confirmed;
    await waitFor(() => a.state().chorus.channels[ch]?.messages.length === 1);
    await control('/restart');
    await waitFor(() => a.state().chorus.channels[ch]!.resyncs === 1, 10000, 'a resync');
    expect(a.state().chorus.channels[ch]!.messages).toEqual([]);
  });
});
