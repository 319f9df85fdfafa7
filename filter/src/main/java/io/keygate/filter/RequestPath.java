package io.keygate.filter;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path inside the application (servlet path + path info) in the one canonical form that patterns are
 * matched against, or {@link #UNSAFE} when no such form can be trusted.
 *
 * <p>Path tricks are the classic way past a path-based authorisation check: {@code /public/../api/x},
 * {@code /public;x=y/../api/x}, {@code //public/status}. Normalisation therefore:
 * <ul>
 * <li>strips {@code ;params} from every segment (RFC 3986 section 3.3) before anything else, so
 * {@code ..;x=y} is seen as {@code ..};</li>
 * <li>drops empty segments ({@code //}) and {@code .}, and resolves {@code ..} (RFC 3986 section 5.2.4);</li>
 * <li>drops a trailing {@code /}, so {@code /a/b/} and {@code /a/b} are one path for every rule (an
 * application framework that treats them alike cannot be used to dodge a scope rule);</li>
 * <li>refuses ({@link #UNSAFE}) a {@code ..} that would climb above the root, any {@code %} (the container
 * has already decoded the path once, so a {@code %} that is left is double encoding such as
 * {@code %2e%2e} or {@code %2f}), any backslash and any control character.</li>
 * </ul>
 * An unsafe path never matches a pattern: it is never public, and it must satisfy every scope rule that could
 * apply (see {@link ScopePolicy}). Fail closed.
 */
record RequestPath(String value) {

    /** A path that cannot be normalised safely. */
    static final RequestPath UNSAFE = new RequestPath(null);

    /** The normalised {@code servletPath + pathInfo}; either may be {@code null}. */
    static RequestPath of(String servletPath, String pathInfo) {
        return normalise((servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo));
    }

    /** The normalised form of an application-relative path; empty means the root. */
    static RequestPath normalise(String raw) {
        if (raw.isEmpty()) {
            return new RequestPath("/");
        }
        if (raw.charAt(0) != '/' || hasForbiddenCharacter(raw)) {
            return UNSAFE;
        }
        if (isCanonical(raw)) {
            return new RequestPath(raw);
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.split("/", -1)) {
            int parameters = segment.indexOf(';');
            String name = parameters < 0 ? segment : segment.substring(0, parameters);
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (segments.isEmpty()) {
                    return UNSAFE;
                }
                segments.removeLast();
            } else {
                segments.addLast(name);
            }
        }
        return new RequestPath("/" + String.join("/", segments));
    }

    /** Whether the path could be normalised; only then can it match a pattern. */
    boolean isSafe() {
        return value != null;
    }

    /**
     * Whether {@code raw} (which starts with {@code /}) is already in canonical form, so that normalising it
     * would give it back unchanged: every segment non-empty, neither {@code .} nor {@code ..}, without
     * {@code ;}, and no trailing {@code /}. The common case, checked without splitting the path.
     */
    private static boolean isCanonical(String raw) {
        int segment = 1;
        for (int i = 1; i <= raw.length(); i++) {
            char c = i < raw.length() ? raw.charAt(i) : '/';
            if (c == ';') {
                return false;
            }
            if (c == '/') {
                int length = i - segment;
                if (length == 0 || raw.charAt(segment) == '.'
                        && (length == 1 || length == 2 && raw.charAt(segment + 1) == '.')) {
                    return false;
                }
                segment = i + 1;
            }
        }
        return true;
    }

    private static boolean hasForbiddenCharacter(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' || c == '\\' || c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
