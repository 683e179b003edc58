package dev.chorus.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses configuration scalars: durations ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, plain seconds) and sizes ({@code 64KiB}). */
final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

    private Values() {
    }

    static Duration duration(String path, JsonNode n) {
        String text = n.isNumber() ? n.asText() : n.isTextual() ? n.asText().trim() : null;
        Matcher m = text == null ? null : DURATION.matcher(text);
        if (m == null || !m.matches()) {
            throw new ConfigException(path + ": cannot parse '" + n.asText() + "' as a duration (use e.g. 500ms, 10s, 2m, 1h)");
        }
        long v = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(v);
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            default -> Duration.ofSeconds(v);
        };
    }

    static long size(String path, JsonNode n) {
        String text = n.isNumber() ? n.asText() : n.isTextual() ? n.asText().trim() : null;
        Matcher m = text == null ? null : SIZE.matcher(text);
        if (m == null || !m.matches()) {
            throw new ConfigException(path + ": cannot parse '" + n.asText() + "' as a size in bytes (use e.g. 65536, 64KiB, 4MiB)");
        }
        long v;
        try {
            v = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new ConfigException(path + ": size '" + text + "' is too large");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long mult = switch (unit) {
            case "kib" -> 1024L;
            case "mib" -> 1024L * 1024;
            case "gib" -> 1024L * 1024 * 1024;
            case "kb" -> 1000L;
            case "mb" -> 1000L * 1000;
            case "gb" -> 1000L * 1000 * 1000;
            default -> 1L;
        };
        return Math.multiplyExact(v, mult);
    }

    static int integer(String path, JsonNode n) {
        if (n.isTextual()) {
            try {
                return Integer.parseInt(n.asText().trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(path + ": '" + n.asText() + "' is not an integer");
            }
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new ConfigException(path + ": '" + n.asText() + "' is not an integer");
        }
        return n.asInt();
    }

    static double number(String path, JsonNode n) {
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(path + ": '" + n.asText() + "' is not a number");
            }
        }
        if (!n.isNumber()) {
            throw new ConfigException(path + ": '" + n.asText() + "' is not a number");
        }
        return n.asDouble();
    }

    static boolean bool(String path, JsonNode n) {
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual()) {
            String t = n.asText().trim().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("yes") || t.equals("1")) {
                return true;
            }
            if (t.equals("false") || t.equals("no") || t.equals("0")) {
                return false;
            }
        }
        throw new ConfigException(path + ": '" + n.asText() + "' is not a boolean (true or false)");
    }

    /**
     * One of {@code type}'s constants, named in any case; anything else is refused with the
     * constants listed (lower case, in declaration order).
     */
    static <E extends Enum<E>> E oneOf(String path, JsonNode n, Class<E> type) {
        String s = string(path, n);
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder names = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                names.append(names.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException(path + ": '" + s + "' is not one of " + names);
        }
    }

    static String string(String path, JsonNode n) {
        if (!n.isValueNode() || n.isNull()) {
            throw new ConfigException(path + ": expected a text value");
        }
        return n.asText();
    }

    /**
     * A list of texts: a YAML list, or one text with comma-separated items (the form environment
     * variables give); blank items are dropped.
     */
    static java.util.List<String> strings(String path, JsonNode n) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                out.add(string(path + "[" + i + "]", n.get(i)).trim());
            }
        } else {
            for (String part : string(path, n).split(",")) {
                out.add(part.trim());
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }
}
