/** chorus-yjs against yjs in Node, in one run: the editing traces, parsing, encoding, memory. */
package dev.chorus.bench.yjs;
