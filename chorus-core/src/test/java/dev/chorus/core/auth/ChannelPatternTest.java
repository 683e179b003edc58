package dev.chorus.core.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "chat:lobby, chat:lobby, true",
        "chat:lobby, chat:lobby2, false",
        "chat:lobby, chat:lobb, false",
        "chat:lobby, Chat:lobby, false",
        "chat:*, chat:lobby, true",
        "chat:*, chat:, true",
        "chat:*, chat:a:b, true",
        "chat:*, chat, false",
        "chat:*, news:chat:x, false",
        "*, anything, true",
        "*, '', true",
        "**, x, true",
        "*:lobby, chat:lobby, true",
        "*:lobby, chat:lobby:x, false",
        "doc:*:comments, doc:42:comments, true",
        "doc:*:comments, doc::comments, true",
        "doc:*:comments, doc:42:comment, false",
        "doc:*:comments, doc:comments, false",
        "a*a, a, false",
        "a*a, aa, true",
        "a*a, aba, true",
        "ab*ab, ab, false",
        "ab*ab, abab, true",
        "*ab*ab*, xabyab, true",
        "*ab*ab*, xaab, false",
        "*ab*ab*, abab, true",
        "*ab*ab*, aba, false",
        "a*b*c, abc, true",
        "a*b*c, acb, false",
        "a*b*c, aXbYbZc, true",
        "user.*, user.1, true",
        "user.*, userX1, false",
        "[a], [a], true",
        "a+, aa, false",
        "?, x, false",
        "?, ?, true",
    })
    void matches(String pattern, String channel, boolean expected) {
        assertThat(ChannelPattern.compile(pattern).matches(channel)).isEqualTo(expected);
    }

    @Test
    void nullChannelNeverMatches() {
        assertThat(ChannelPattern.compile("*").matches(null)).isFalse();
    }

    @Test
    void refusesEmptyNullAndOverLongPatterns() {
        assertThatThrownBy(() -> ChannelPattern.compile("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> ChannelPattern.compile(null)).isInstanceOf(IllegalArgumentException.class);
        String longest = "a".repeat(ChannelPattern.MAX_LENGTH);
        assertThat(ChannelPattern.compile(longest).matches(longest)).isTrue();
        assertThatThrownBy(() -> ChannelPattern.compile(longest + "*"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }

    @Test
    void valueSemantics() {
        assertThat(ChannelPattern.compile("chat:*")).isEqualTo(ChannelPattern.compile("chat:*"))
                .hasSameHashCodeAs(ChannelPattern.compile("chat:*"))
                .isNotEqualTo(ChannelPattern.compile("chat:"));
        assertThat(ChannelPattern.compile("chat:*").pattern()).isEqualTo("chat:*");
        assertThat(ChannelPattern.compile("chat:*")).hasToString("chat:*");
    }

    /** Many-star patterns against long inputs: the answer must be right (no backtracking shortcuts). */
    @Test
    void pathologicalPatterns() {
        String as = "a".repeat(1000);
        assertThat(ChannelPattern.compile("*a*a*a*a*a*a*a*a*b").matches(as)).isFalse();
        assertThat(ChannelPattern.compile("*a*a*a*a*a*a*a*a*b").matches(as + "b")).isTrue();
        assertThat(ChannelPattern.compile("a*".repeat(500)).matches(as)).isTrue();
        assertThat(ChannelPattern.compile("a*".repeat(500)).matches(as.substring(1, 500))).isFalse();
    }

    /**
     * Property: agrees with a regular-expression translation of the glob on random patterns and
     * channels over a small alphabet (so that matches are frequent). Seeded: failures reproduce.
     */
    @Test
    void agreesWithRegexReference() {
        Random rnd = new Random(0xC40B05L);
        char[] patternChars = {'a', 'b', ':', '*', '.', '?'};
        char[] channelChars = {'a', 'b', ':', '.', '?', '*'};
        int matched = 0;
        for (int i = 0; i < 20_000; i++) {
            String pattern = random(rnd, patternChars, 1 + rnd.nextInt(8));
            // half the channels are made from the pattern (stars filled in), so matches are frequent
            String channel = rnd.nextBoolean() ? random(rnd, channelChars, rnd.nextInt(10))
                    : fill(rnd, pattern, channelChars);
            boolean expected = reference(pattern).matcher(channel).matches();
            assertThat(ChannelPattern.compile(pattern).matches(channel))
                    .as("pattern %s, channel %s", pattern, channel).isEqualTo(expected);
            if (expected) {
                matched++;
            }
        }
        // the generator must exercise both outcomes substantially
        assertThat(matched).isBetween(5_000, 15_000);
    }

    private static String fill(Random rnd, String pattern, char[] alphabet) {
        StringBuilder b = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                b.append(random(rnd, alphabet, rnd.nextInt(3)));
            } else if (rnd.nextInt(20) != 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String random(Random rnd, char[] alphabet, int len) {
        StringBuilder b = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            b.append(alphabet[rnd.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    private static Pattern reference(String glob) {
        StringBuilder re = new StringBuilder();
        String[] parts = glob.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
