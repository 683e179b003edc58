package dev.chorus.yjs;

import dev.chorus.yjs.lib0.Lib0Reader;

/** The two Yjs update encodings. */
enum UpdateFormat {
  V1 {
    @Override
    UpdateDecoder decoder(Lib0Reader reader) {
      return new UpdateDecoderV1(reader);
    }

    @Override
    UpdateEncoder encoder() {
      return new UpdateEncoderV1();
    }

    @Override
    byte[] fromV1(byte[] v1) {
      return v1;
    }
  },
  V2 {
    @Override
    UpdateDecoder decoder(Lib0Reader reader) {
      return new UpdateDecoderV2(reader);
    }

    @Override
    UpdateEncoder encoder() {
      return new UpdateEncoderV2();
    }

    @Override
    byte[] fromV1(byte[] v1) {
      return Updates.convert(v1, V1, V2);
    }
  };

  abstract UpdateDecoder decoder(Lib0Reader reader);

  abstract UpdateEncoder encoder();

  /** Re-encodes a v1 update (kept internally, e.g. pending structs) in this format. */
  abstract byte[] fromV1(byte[] v1);
}
