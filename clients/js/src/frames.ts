// Defensive readers for server frames: a field of the wrong type is treated as absent, and a frame
// that cannot be understood is dropped (and reported), never thrown into the client's state.
import type { ClientInfo, Position, Publication } from './types.js';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
export const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
export const bool = (v: unknown): boolean => v === true;

export function position(o: unknown): Position | undefined {
  if (!isObj(o)) return undefined;
  const offset = o.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return undefined;
  return { offset, epoch: str(o.epoch) };
}

export function clientInfo(o: unknown): ClientInfo | undefined {
  if (!isObj(o) || typeof o.client !== 'string') return undefined;
  const info: ClientInfo = { client: o.client, user: str(o.user) };
  if (o.connInfo !== undefined && o.connInfo !== null) info.connInfo = o.connInfo;
  if (o.state !== undefined) info.state = o.state;
  if (typeof o.clock === 'number' && Number.isFinite(o.clock)) info.clock = o.clock;
  return info;
}

export function publication(channel: string, o: unknown): Publication | undefined {
  if (!isObj(o)) return undefined;
  const offset = o.offset === undefined ? 0 : o.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return undefined;
  const pub: Publication = {
    channel,
    offset,
    epoch: str(o.epoch),
    time: num(o.time),
    data: o.data === undefined ? null : o.data,
  };
  const info = clientInfo(o.info);
  if (info) pub.info = info;
  return pub;
}

export function publications(channel: string, list: unknown): Publication[] {
  if (!Array.isArray(list)) return [];
  const out: Publication[] = [];
  for (const p of list) {
    const pub = publication(channel, p);
    if (pub) out.push(pub);
  }
  return out;
}

export function clients(o: unknown): Record<string, ClientInfo> {
  const out: Record<string, ClientInfo> = {};
  if (!isObj(o)) return out;
  for (const [k, v] of Object.entries(o)) {
    const info = clientInfo(v);
    if (info) out[k] = info;
  }
  return out;
}
