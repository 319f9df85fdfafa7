package io.keygate.token;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scope names and the one implication between them.
 *
 * <p>Names match {@code [a-z][a-z0-9_.:-]{0,63}}: the built-in {@code read}, {@code write} and {@code admin}
 * and custom names such as {@code reports:read}. Only {@code write} implies {@code read}; custom scopes imply
 * nothing, so a rule that asks for {@code reports:read} is met only by that exact scope.
 */
public final class Scopes {

    public static final String READ = "read";
    public static final String WRITE = "write";
    public static final String ADMIN = "admin";
    /** Lets a token call the introspection endpoint without full admin rights (RFC 7662 section 2.1). */
    public static final String INTROSPECT = "introspect";
    /**
     * Lets a global token hand over what a filter in remote mode counted (usage counts, failure summaries) through
     * {@code /keygate/verifier}; {@link #INTROSPECT} only reads, so a leaked read credential cannot forge counts or
     * audit events.
     */
    public static final String REPORT = "report";

    /**
     * Scopes an access token from {@code keygate.war}'s token endpoint never has, whatever its secret has: they are
     * for credentials an admin issued, and an access token must not administer or introspect. The endpoint refuses
     * to grant them, and the verifier leaves them out of an access token's scopes even if its row had them.
     */
    public static final Set<String> NEVER_GRANTED_TO_ACCESS_TOKENS = Set.of(ADMIN, INTROSPECT);

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");

    private Scopes() {
    }

    /** Whether {@code name} is a syntactically valid scope name. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Whether a token granted {@code granted} may do what {@code required} allows. */
    public static boolean satisfies(Collection<String> granted, String required) {
        return granted.contains(required) || (READ.equals(required) && granted.contains(WRITE));
    }

    /** The granted scopes plus those they imply ({@code read} for {@code write}), unmodifiable. */
    public static Set<String> withImplied(Collection<String> granted) {
        Set<String> effective = new LinkedHashSet<>(granted);
        if (effective.contains(WRITE)) {
            effective.add(READ);
        }
        return Collections.unmodifiableSet(effective);
    }
}
