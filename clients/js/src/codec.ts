import { ChorusError } from './errors.js';

/** How frames are written and read on one WebSocket (chosen by subprotocol). */
export interface Codec {
  readonly subprotocol: string;
  encode(frame: object): string | Uint8Array;
  decode(data: unknown): unknown;
}

const malformed = (m: string) => new ChorusError(107, m);

export const jsonCodec: Codec = {
  subprotocol: 'chorus.v1.json',
  encode: (frame) => JSON.stringify(frame),
  decode(data) {
    if (typeof data !== 'string') throw malformed('binary frame on a JSON connection');
    return JSON.parse(data);
  },
};

let msgpack: Promise<Codec> | undefined;

/**
 * The MessagePack codec, loaded on first use so that JSON-only apps do not ship the library
 * (bundlers split the dynamic import into its own chunk).
 */
export function msgpackCodec(): Promise<Codec> {
  return (msgpack ??= import('@msgpack/msgpack').then(({ Encoder, Decoder }) => {
    const encoder = new Encoder({ ignoreUndefined: true });
    const decoder = new Decoder();
    return {
      subprotocol: 'chorus.v1.msgpack',
      encode: (frame: object) => encoder.encode(frame),
      decode(data: unknown) {
        if (data instanceof ArrayBuffer) return decoder.decode(new Uint8Array(data));
        if (ArrayBuffer.isView(data)) return decoder.decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        throw malformed('text frame on a MessagePack connection');
      },
    };
  }));
}
