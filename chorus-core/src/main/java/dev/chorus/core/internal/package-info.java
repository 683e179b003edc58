/** Internal helpers of the engine. Not an API: may change without notice. */
package dev.chorus.core.internal;
