// A Yjs provider over a Chorus client's connection: `doc_open` / `doc` / `doc_close` carry the
// y-protocols messages exactly as y-websocket frames them, base64 in `data` (docs/protocol.md).
// The sync and awareness logic is y-protocols'; this file only moves its messages and follows
// the client's connection.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { readAuthMessage } from 'y-protocols/auth';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { messageYjsSyncStep2, readSyncMessage, writeSyncStep1, writeUpdate } from 'y-protocols/sync';
import type * as Y from 'yjs';
import type { Chorus } from './client.js';
import { Emitter } from './emitter.js';
import type { ChorusError } from './errors.js';

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const QUERY_AWARENESS = 3;
/** The client's DISCONNECTED code: a request cut by a reconnect, which reopens the document anyway. */
const CUT = -1;

export type YjsProviderStatus = 'connecting' | 'connected' | 'disconnected';

export interface ChorusYjsProviderOptions {
  /** The awareness to carry (default: a new one for the document, destroyed with the provider). */
  awareness?: Awareness;
  /** Open read-only even when the token may write. */
  readOnly?: boolean;
}

export interface ChorusYjsProviderEvents {
  /** `connected` once the document is open on the current connection. */
  status: { status: YjsProviderStatus };
  /** true when the server's state has been merged in (after every (re)open), false when the connection drops. */
  synced: boolean;
  /** The server refused a write: this client may only read the document. Local edits stay local. */
  'permission-denied': { reason: string };
  /** A refused `doc_open` (e.g. no read permission) or `doc` message (107, 112). */
  error: ChorusError | Error;
}

/**
 * Syncs `doc` (and its awareness) as the document `name` through `client`'s connection, beside its
 * channels and presence. Opens the document whenever the client is connected and re-syncs after
 * every reconnect, so edits made offline merge both ways.
 */
export class ChorusYjsProvider extends Emitter<ChorusYjsProviderEvents> {
  readonly awareness: Awareness;
  private _status: YjsProviderStatus = 'disconnected';
  private _synced = false;
  private _readOnly = false;
  private open = false;
  /** Counts opens, so that a reply from an earlier connection is ignored. */
  private session = 0;
  private destroyed = false;
  private readonly ownAwareness: boolean;
  private readonly offs: Array<() => void> = [];

  constructor(
    readonly client: Chorus,
    readonly name: string,
    readonly doc: Y.Doc,
    private readonly options: ChorusYjsProviderOptions = {},
  ) {
    super();
    if (client._docs.has(name)) throw new Error(`document '${name}' already has a provider on this client`);
    this.ownAwareness = !options.awareness;
    this.awareness = options.awareness ?? new Awareness(doc);
    client._docs.set(name, this.onMessage);
    doc.on('update', this.onUpdate);
    this.awareness.on('update', this.onAwareness);
    this.offs.push(
      () => doc.off('update', this.onUpdate),
      () => this.awareness.off('update', this.onAwareness),
      client.on('connected', () => this.reopen()),
      client.on('status', ({ status }) => status !== 'connected' && this.dropped(status === 'disconnected')),
    );
    if (client.status === 'connected') this.reopen();
    else this.setStatus(client.status === 'disconnected' ? 'disconnected' : 'connecting');
  }

  get status(): YjsProviderStatus {
    return this._status;
  }

  get synced(): boolean {
    return this._synced;
  }

  /** Whether the server opened the document read-only (asked for, or the token may not write). */
  get readOnly(): boolean {
    return this._readOnly;
  }

  /** Resolves once synced (now, or after the next sync). */
  whenSynced(): Promise<void> {
    if (this._synced) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on('synced', (s) => s && (off(), resolve()));
    });
  }

  /** Removes the local awareness state (the others see it go), closes the document and stops syncing. */
  destroy(): void {
    if (this.destroyed) return;
    removeAwarenessStates(this.awareness, [this.awareness.clientID], 'local');
    this.destroyed = true;
    for (const off of this.offs) off();
    if (this.client._docs.get(this.name) === this.onMessage) this.client._docs.delete(this.name);
    // also when the open is still in flight (requests are handled in order); a 110 (not open) is harmless
    if (this.client.status === 'connected') this.client._callNow('doc_close', { doc: this.name }).catch(() => {});
    this.open = false;
    this.session++;
    if (this.ownAwareness) this.awareness.destroy();
    this.setStatus('disconnected');
    this.setSynced(false);
  }

  private reopen(): void {
    if (this.destroyed) return;
    const session = ++this.session;
    this.open = false;
    this.setStatus('connecting');
    this.client._callNow('doc_open', { doc: this.name, readOnly: this.options.readOnly === true }).then(
      (r) => {
        if (session !== this.session) return;
        this.open = true;
        this._readOnly = r.readOnly === true;
        this.setStatus('connected');
        // the others may hold a removal of our state (sent when our last connection closed) with
        // our last clock + 1: announce with a clock above it, or they would ignore us until the renewal
        const state = this.awareness.getLocalState();
        if (state !== null) {
          this.open = false;
          this.awareness.setLocalState(state);
          this.awareness.setLocalState(state);
          this.open = true;
        }
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, SYNC);
        writeSyncStep1(e, this.doc);
        this.send(encoding.toUint8Array(e));
        if (state !== null) this.sendAwareness([this.awareness.clientID]);
      },
      (err: ChorusError) => {
        if (session !== this.session || err.code === CUT) return;
        this.setStatus('disconnected');
        this.emit('error', err);
      },
    );
  }

  /** The connection is gone: forget who else was there until the next open tells again. */
  private dropped(stopped: boolean): void {
    if (this.destroyed) return;
    this.session++;
    this.open = false;
    this.setStatus(stopped ? 'disconnected' : 'connecting');
    this.setSynced(false);
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.awareness.clientID);
    removeAwarenessStates(this.awareness, others, this);
    // forget their clocks too: the removal raised them, and the states the server sends on the next
    // open still carry the old ones, which would be ignored until each peer's next renewal
    for (const id of others) this.awareness.meta.delete(id);
  }

  private readonly onMessage = (data: string): void => {
    if (this.destroyed) return;
    try {
      const d = decoding.createDecoder(fromBase64(data));
      const reply = encoding.createEncoder();
      switch (decoding.readVarUint(d)) {
        case SYNC: {
          encoding.writeVarUint(reply, SYNC);
          // applies the server's step 2 / updates with this provider as the origin (so they are not sent back)
          // and writes the answer to its step 1: what the server misses, offline edits included
          const type = readSyncMessage(d, reply, this.doc, this);
          if (type === messageYjsSyncStep2) this.setSynced(true);
          if (encoding.length(reply) > 1) this.send(encoding.toUint8Array(reply));
          return;
        }
        case AWARENESS:
          applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(d), this);
          return;
        case AUTH:
          readAuthMessage(d, this.doc, (_doc, reason) => {
            this._readOnly = true;
            this.emit('permission-denied', { reason });
          });
          return;
        case QUERY_AWARENESS:
          this.sendAwareness([...this.awareness.getStates().keys()]);
          return;
        default:
        // a message type from a newer server: ignore
      }
    } catch (e) {
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
    }
  };

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this || !this.open) return; // remote updates are not echoed; offline edits go with the next sync
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, SYNC);
    writeUpdate(e, update);
    this.send(encoding.toUint8Array(e));
  };

  private readonly onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === this || !this.open) return;
    this.sendAwareness([...added, ...updated, ...removed]);
  };

  private sendAwareness(clients: number[]): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, AWARENESS);
    encoding.writeVarUint8Array(e, encodeAwarenessUpdate(this.awareness, clients));
    this.send(encoding.toUint8Array(e));
  }

  private send(message: Uint8Array): void {
    const session = this.session;
    this.client._callNow('doc', { doc: this.name, data: toBase64(message) }).catch((err: ChorusError) => {
      // cut by a reconnect: the next open's sync carries it again
      if (session === this.session && err.code !== CUT) this.emit('error', err);
    });
  }

  private setStatus(status: YjsProviderStatus): void {
    if (status === this._status) return;
    this._status = status;
    this.emit('status', { status });
  }

  private setSynced(synced: boolean): void {
    if (synced === this._synced) return;
    this._synced = synced;
    this.emit('synced', synced);
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
