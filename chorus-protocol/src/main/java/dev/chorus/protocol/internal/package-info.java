/** Internal parts of the codecs. Not an API: may change without notice. */
package dev.chorus.protocol.internal;
