/** Netty handlers of the transport. Internal: not an API, may change without notice. */
package dev.chorus.netty.internal;
