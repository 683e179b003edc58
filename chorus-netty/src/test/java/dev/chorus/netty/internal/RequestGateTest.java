package dev.chorus.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pipelined requests wait behind one that is answered later, and go on in order. */
class RequestGateTest {

    @Test
    void holdsRequestsBehindAnAsyncOneAndReleasesThemInOrder() {
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new RequestGate(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if ("async".equals(msg)) {
                    RequestGate.hold(ctx.channel());
                }
            }
        });
        ch.writeInbound("async", "b", "c");
        assertThat(seen).containsExactly("async");
        RequestGate.resume(ch);
        assertThat(seen).containsExactly("async", "b", "c");
        ch.writeInbound("d");
        assertThat(seen).containsExactly("async", "b", "c", "d");
        ch.finishAndReleaseAll();
    }

    @Test
    void tooManyWaitingClosesTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestGate(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                RequestGate.hold(ctx.channel());
            }
        });
        for (int i = 0; i <= RequestGate.MAX_WAITING + 1; i++) {
            ch.writeInbound("r" + i);
        }
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }
}
