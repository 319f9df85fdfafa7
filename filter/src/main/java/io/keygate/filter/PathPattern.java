package io.keygate.filter;

/**
 * One path pattern of {@code keygate.public-paths} or {@code keygate.scope-rules}, matched against a
 * {@link RequestPath}.
 *
 * <ul>
 * <li>{@code /health}: exactly that path (a trailing {@code /} on the request makes no difference);</li>
 * <li>{@code /open/*}: exactly one segment below {@code /open}: {@code /open/a}, not {@code /open} and not
 * {@code /open/a/b}; {@code /*} is any one-segment path;</li>
 * <li>{@code /open/**}: {@code /open} itself and everything below it, at any depth; {@code /**} is every
 * path.</li>
 * </ul>
 * A wildcard is only allowed as the whole last segment; a pattern is written in normalised form (starts with
 * {@code /}, no empty, {@code .} or {@code ..} segment, no {@code ;}, {@code %}, backslash, whitespace or
 * trailing {@code /}), so that what an administrator reads is what is matched.
 */
record PathPattern(String text, String base, Kind kind) {

    enum Kind { EXACT, ONE_SEGMENT, ANY_DEPTH }

    /**
     * Parses one pattern.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static PathPattern parse(String text) {
        if (text.isEmpty() || text.charAt(0) != '/') {
            throw new IllegalArgumentException("a path pattern must start with /");
        }
        Kind kind = Kind.EXACT;
        String base = text;
        if (text.endsWith("/**")) {
            kind = Kind.ANY_DEPTH;
            base = text.substring(0, text.length() - 3);
        } else if (text.endsWith("/*")) {
            kind = Kind.ONE_SEGMENT;
            base = text.substring(0, text.length() - 2);
        } else if (text.equals("/")) {
            return new PathPattern(text, "/", Kind.EXACT);
        }
        checkBase(base);
        return new PathPattern(text, base, kind);
    }

    /** Whether {@code path} is matched; an unsafe path never is. */
    boolean matches(RequestPath path) {
        if (!path.isSafe()) {
            return false;
        }
        String value = path.value();
        return switch (kind) {
            case EXACT -> value.equals(base);
            case ONE_SEGMENT -> value.length() > base.length() + 1 && value.startsWith(base + "/")
                    && value.indexOf('/', base.length() + 1) < 0;
            case ANY_DEPTH -> base.isEmpty() || value.equals(base) || value.startsWith(base + "/");
        };
    }

    @Override
    public String toString() {
        return text;
    }

    private static void checkBase(String base) {
        if (base.isEmpty()) {
            return;
        }
        if (base.endsWith("/")) {
            throw new IllegalArgumentException("a path pattern must not end with / (write /a or /a/**)");
        }
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (c == '*') {
                throw new IllegalArgumentException("* and ** are only allowed as the whole last segment");
            }
            if (c == ';' || c == '%' || c == '\\' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("a path pattern must not contain ';', '%', '\\' or spaces");
            }
        }
        for (String segment : base.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("a path pattern must not contain //, /./ or /../");
            }
        }
    }
}
