/** Netty transports: WebSocket at /ws, Server-Sent Events at /sse, POST /publish, the HTTP server API under /api/, /health, /ready, /metrics. */
package dev.chorus.netty;
