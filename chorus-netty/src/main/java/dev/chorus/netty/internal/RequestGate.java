package dev.chorus.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Keeps HTTP responses in request order on a keep-alive connection: while a route answers
 * asynchronously (the engine or the server API completes later), requests pipelined behind it wait
 * here instead of overtaking it. At most {@link #MAX_WAITING} may wait; a client pipelining more
 * is disconnected. Sits between the aggregator and the router; loop-only.
 */
final class RequestGate extends ChannelInboundHandlerAdapter {
    static final int MAX_WAITING = 16;
    private static final AttributeKey<RequestGate> KEY = AttributeKey.valueOf(RequestGate.class, "gate");

    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean held;

    /** Holds the requests after the current one until {@link #resume}; a no-op without a gate. Event loop only. */
    static void hold(Channel ch) {
        RequestGate g = ch.attr(KEY).get();
        if (g != null) {
            g.held = true;
        }
    }

    /** Lets waiting requests through again. Event loop only. */
    static void resume(Channel ch) {
        RequestGate g = ch.attr(KEY).get();
        if (g != null) {
            g.held = false;
            g.drain();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().attr(KEY).set(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!held && waiting.isEmpty()) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (waiting.size() >= MAX_WAITING) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        waiting.add(msg);
    }

    private void drain() {
        Object next;
        while (!held && ctx.channel().isActive() && (next = waiting.poll()) != null) {
            ctx.fireChannelRead(next);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseWaiting();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.channel().attr(KEY).set(null);
    }

    private void releaseWaiting() {
        Object m;
        while ((m = waiting.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }
}
