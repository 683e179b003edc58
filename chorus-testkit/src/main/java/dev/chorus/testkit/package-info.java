/**
 * Test helpers shared by the modules' tests (use in test scope): the SPI contract suites
 * {@link dev.chorus.testkit.BrokerContract}, {@link dev.chorus.testkit.PresenceStoreContract} and
 * {@link dev.chorus.testkit.DocumentStoreContract},
 * run against every backend, and {@link dev.chorus.testkit.TestClient}, a real {@code chorus/1}
 * WebSocket client for integration tests.
 */
package dev.chorus.testkit;
