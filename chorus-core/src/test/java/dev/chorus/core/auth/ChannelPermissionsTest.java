package dev.chorus.core.auth;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelPermissionsTest {

    @Test
    void nullListSaysNothingAboutThatActionOnly() {
        ChannelPermissions p = ChannelPermissions.of(List.of("chat:*"), null, null);
        assertThat(p.subscribe("chat:lobby")).isTrue();
        assertThat(p.subscribe("news:x")).isFalse();
        assertThat(p.publish("chat:lobby")).isNull();
        assertThat(p.presence("chat:lobby")).isNull();
    }

    @Test
    void emptyListAllowsNothing() {
        ChannelPermissions p = ChannelPermissions.of(List.of(), List.of(), List.of());
        assertThat(p.subscribe("chat:lobby")).isFalse();
        assertThat(p.publish("chat:lobby")).isFalse();
        assertThat(p.presence("chat:lobby")).isFalse();
    }

    @Test
    void anyPatternOfTheListMatches() {
        ChannelPermissions p = ChannelPermissions.of(null, List.of("chat:lobby", "doc:*"), List.of("*"));
        assertThat(p.subscribe("chat:lobby")).isNull();
        assertThat(p.publish("chat:lobby")).isTrue();
        assertThat(p.publish("doc:7")).isTrue();
        assertThat(p.publish("chat:other")).isFalse();
        assertThat(p.presence("whatever")).isTrue();
    }

    @Test
    void actionsAreIndependent() {
        ChannelPermissions p = ChannelPermissions.of(List.of("a"), List.of("b"), List.of("c"));
        assertThat(List.of(p.subscribe("a"), p.publish("a"), p.presence("a"))).containsExactly(true, false, false);
        assertThat(List.of(p.subscribe("b"), p.publish("b"), p.presence("b"))).containsExactly(false, true, false);
        assertThat(List.of(p.subscribe("c"), p.publish("c"), p.presence("c"))).containsExactly(false, false, true);
    }

    @Test
    void badPatternsAreRefusedNamingTheAction() {
        assertThatThrownBy(() -> ChannelPermissions.of(null, List.of("ok", ""), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("publish");
        assertThatThrownBy(() -> ChannelPermissions.of(Arrays.asList("ok", null), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("subscribe");
    }

    @Test
    void isImmutable() {
        List<String> list = new java.util.ArrayList<>(List.of("a"));
        ChannelPermissions p = ChannelPermissions.of(list, null, null);
        list.set(0, "b");
        list.add("c");
        assertThat(p.subscribe("a")).isTrue();
        assertThat(p.subscribe("b")).isFalse();
        assertThat(p.subscribe("c")).isFalse();
    }

    @Test
    void valueSemantics() {
        assertThat(ChannelPermissions.of(List.of("a"), null, List.of()))
                .isEqualTo(ChannelPermissions.of(List.of("a"), null, List.of()))
                .isNotEqualTo(ChannelPermissions.of(List.of("a"), List.of(), List.of()));
    }
}
