package dev.chorus.bench;

/** Cheap field extraction from known frame shapes. */
final class Strings {
    private Strings() {
    }

    static long longAfter(String s, String marker, int from) {
        int i = s.indexOf(marker, from);
        if (i < 0) {
            return -1;
        }
        i += marker.length();
        long v = 0;
        boolean any = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            any = true;
            i++;
        }
        return any ? v : -1;
    }

    static String stringAfter(String s, String marker) {
        int i = s.indexOf(marker);
        if (i < 0) {
            return "";
        }
        i += marker.length();
        int end = s.indexOf('"', i);
        return end < 0 ? "" : s.substring(i, end);
    }
}
