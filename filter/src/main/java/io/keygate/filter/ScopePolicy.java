package io.keygate.filter;

import io.keygate.token.Scopes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which scope a request needs: the {@code keygate.scope-rules} in order, first match wins, then the default
 * method rule ({@code GET}, {@code HEAD}, {@code OPTIONS} need {@code read}; every other method needs
 * {@code write}).
 *
 * <pre>
 * keygate.scope-rules = GET /api/reports/** = reports:read; POST,PUT,DELETE /api/reports/** = reports:write
 * </pre>
 *
 * <p>A rule is {@code METHODS PATTERN = SCOPE}: comma-separated method names (case-insensitive, written
 * upper-case internally) or {@code *} for any method, a {@link PathPattern}, and a scope name. {@code HEAD}
 * always follows the rules for {@code GET} (RFC 9110 section 9.3.2: same semantics, no body), so a request
 * {@code HEAD} is matched as {@code GET}, and a rule may list {@code HEAD} only next to {@code GET}. Empty
 * rules (a trailing {@code ;}) are ignored.
 */
final class ScopePolicy {

    /** Methods that only read (RFC 9110 section 9.2.1, "safe" methods Keygate knows). */
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]+|\\*");
    private static final String ANY_METHOD = "*";

    /** What the method rule asks, as {@link #requiredScopes} returns it (no list allocated per request). */
    private static final List<String> READ_ONLY = List.of(Scopes.READ);
    private static final List<String> WRITE_ONLY = List.of(Scopes.WRITE);

    /** The default method rule alone. */
    static final ScopePolicy DEFAULT = new ScopePolicy(List.of());

    private final List<Rule> rules;

    private ScopePolicy(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Parses {@code keygate.scope-rules}.
     *
     * @throws IllegalArgumentException saying which rule is wrong and why
     */
    static ScopePolicy parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String rule : text.split(";")) {
            if (!rule.isBlank()) {
                rules.add(parseRule(rule.trim()));
            }
        }
        return new ScopePolicy(rules);
    }

    /**
     * The scopes the request needs, each of which must be satisfied: one scope for a normal path; for an
     * {@link RequestPath#UNSAFE unsafe} path, whose rule cannot be known, every scope that a rule for this
     * method could ask, plus the method rule's (fail closed).
     */
    List<String> requiredScopes(String method, RequestPath path) {
        String effective = "HEAD".equals(method) ? "GET" : method;
        if (!path.isSafe()) {
            Set<String> all = new LinkedHashSet<>();
            for (Rule rule : rules) {
                if (rule.appliesTo(effective)) {
                    all.add(rule.scope());
                }
            }
            all.add(methodScope(effective));
            return List.copyOf(all);
        }
        for (Rule rule : rules) {
            if (rule.appliesTo(effective) && rule.pattern().matches(path)) {
                return List.of(rule.scope());
            }
        }
        return Scopes.READ.equals(methodScope(effective)) ? READ_ONLY : WRITE_ONLY;
    }

    /** The default method rule. Method names are case-sensitive (RFC 9110 section 9.1): {@code get} writes. */
    static String methodScope(String method) {
        return READ_METHODS.contains(method) ? Scopes.READ : Scopes.WRITE;
    }

    @Override
    public String toString() {
        return rules.toString();
    }

    private static Rule parseRule(String text) {
        int equals = text.indexOf('=');
        if (equals < 0 || equals != text.lastIndexOf('=')) {
            throw new IllegalArgumentException("rule \"" + text + "\" must read METHODS PATTERN = SCOPE");
        }
        String scope = text.substring(equals + 1).trim();
        String[] left = text.substring(0, equals).trim().split("\\s+");
        if (left.length != 2) {
            throw new IllegalArgumentException("rule \"" + text + "\" must read METHODS PATTERN = SCOPE");
        }
        if (!Scopes.isValidName(scope)) {
            throw new IllegalArgumentException("rule \"" + text + "\" names scope \"" + scope
                    + "\", which does not match [a-z][a-z0-9_.:-]{0,63}");
        }
        PathPattern pattern;
        try {
            pattern = PathPattern.parse(left[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rule \"" + text + "\": " + e.getMessage(), e);
        }
        return new Rule(parseMethods(text, left[0]), pattern, scope);
    }

    private static Set<String> parseMethods(String rule, String text) {
        Set<String> methods = new LinkedHashSet<>();
        for (String method : text.split(",", -1)) {
            if (!METHOD.matcher(method).matches()) {
                throw new IllegalArgumentException("rule \"" + rule + "\" has method \"" + method
                        + "\", expected names such as GET or POST, comma-separated, or *");
            }
            methods.add(method.toUpperCase(Locale.ROOT));
        }
        if (methods.contains(ANY_METHOD) && methods.size() > 1) {
            throw new IllegalArgumentException("rule \"" + rule + "\" mixes * with method names");
        }
        if (methods.contains("HEAD") && !methods.contains("GET")) {
            throw new IllegalArgumentException("rule \"" + rule + "\" lists HEAD without GET;"
                    + " HEAD always follows the rules for GET");
        }
        methods.remove("HEAD");
        return Set.copyOf(methods);
    }

    private record Rule(Set<String> methods, PathPattern pattern, String scope) {

        boolean appliesTo(String method) {
            return methods.contains(ANY_METHOD) || methods.contains(method);
        }

        @Override
        public String toString() {
            return String.join(",", methods) + " " + pattern + " = " + scope;
        }
    }
}
