package dev.chorus.netty.internal;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The immutable table the {@link HttpRouter} consults: exact paths first, then the longest matching
 * prefix (for routes such as {@code /yjs/{room}}). Built once per transport and shared by every
 * channel.
 */
final class HttpRoutes {

    /** A route with the methods it allows. */
    record Entry(String path, Set<HttpMethod> methods, Route route) {
        /** The value of an {@code Allow} header for this route. */
        String allow() {
            return methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        }
    }

    private final Map<String, Entry> exact;
    /** Longest prefix first, so the most specific route wins. */
    private final List<Entry> prefixes;

    private HttpRoutes(Builder b) {
        this.exact = Map.copyOf(b.exact);
        List<Entry> p = new ArrayList<>(b.prefixes);
        p.sort((x, y) -> Integer.compare(y.path().length(), x.path().length()));
        this.prefixes = List.copyOf(p);
    }

    static Builder builder() {
        return new Builder();
    }

    /** The route for a path, or {@code null} when none matches. */
    Entry match(String path) {
        Entry e = exact.get(path);
        if (e != null) {
            return e;
        }
        for (Entry p : prefixes) {
            if (path.startsWith(p.path())) {
                return p;
            }
        }
        return null;
    }

    static final class Builder {
        private final Map<String, Entry> exact = new LinkedHashMap<>();
        private final List<Entry> prefixes = new ArrayList<>();

        private Builder() {
        }

        /** Routes exactly {@code path}. */
        Builder exact(String path, Set<HttpMethod> methods, Route route) {
            Entry e = entry(path, methods, route);
            if (exact.putIfAbsent(path, e) != null) {
                throw new IllegalArgumentException("duplicate route " + path);
            }
            return this;
        }

        /** Routes every path starting with {@code prefix}, which must end with {@code /}. */
        Builder prefix(String prefix, Set<HttpMethod> methods, Route route) {
            if (!prefix.endsWith("/")) {
                throw new IllegalArgumentException("a prefix route ends with '/': " + prefix);
            }
            if (prefixes.stream().anyMatch(p -> p.path().equals(prefix))) {
                throw new IllegalArgumentException("duplicate route " + prefix + "*");
            }
            prefixes.add(entry(prefix, methods, route));
            return this;
        }

        private static Entry entry(String path, Set<HttpMethod> methods, Route route) {
            Objects.requireNonNull(route, "route");
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("a route path starts with '/': " + path);
            }
            if (methods == null || methods.isEmpty()) {
                throw new IllegalArgumentException("a route allows at least one method: " + path);
            }
            return new Entry(path, Set.copyOf(methods), route);
        }

        HttpRoutes build() {
            return new HttpRoutes(this);
        }
    }
}
