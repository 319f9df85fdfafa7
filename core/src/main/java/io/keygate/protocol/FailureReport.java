package io.keygate.protocol;

import static io.keygate.protocol.VerifierProtocol.APPLICATION;
import static io.keygate.protocol.VerifierProtocol.CLIENT;
import static io.keygate.protocol.VerifierProtocol.COUNT;
import static io.keygate.protocol.VerifierProtocol.FAILURES;
import static io.keygate.protocol.VerifierProtocol.OVERFLOW;
import static io.keygate.protocol.VerifierProtocol.PREFIX;
import static io.keygate.protocol.VerifierProtocol.REASON;
import static io.keygate.protocol.VerifierProtocol.SINCE;
import static io.keygate.protocol.VerifierProtocol.TENANT;
import static io.keygate.protocol.VerifierProtocol.UNTIL;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The argument of {@link VerifierProtocol#RECORD_FAILURES}: the authentications a filter refused in a window,
 * summarised for the audit log. Never a token or a hash: every field is checked when the report is made, on either
 * side, and a prefix must have the exact shape of a listing's prefix, so that nothing else of a token can reach the
 * audit log even from a faulty caller. The filter writes it with {@link #toWire()}, the verifier reads it with
 * {@link #fromWire}.
 *
 * @param application the refusing WAR's context path, {@code ""} for the root context
 * @param since       start of the window, epoch milliseconds
 * @param until       end of the window, epoch milliseconds, not before {@code since}
 * @param failures    at most {@link VerifierProtocol#MAX_FAILURE_ENTRIES} summaries
 * @param overflow    failures counted but not itemised within that bound
 */
public record FailureReport(String application, long since, long until, List<Failure> failures, long overflow) {

    /** A context path: empty, or {@code /} and printable ASCII. */
    private static final Pattern APPLICATION_PATH = Pattern.compile("(/[\\x21-\\x7e]{0,199})?");
    /** Exactly a listing's prefix: {@code kg_} and five base62 characters, nothing more of a token. */
    private static final Pattern PREFIX_SHAPE = Pattern.compile("kg_[0-9A-Za-z]{5}");
    /** An IPv4 or IPv6 literal (with a zone), or {@code unknown}. */
    private static final Pattern CLIENT_SHAPE = Pattern.compile("[0-9A-Za-z.:%_-]{1,64}");
    private static final Pattern REASON_SHAPE = Pattern.compile("[a-z_]{1,32}");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> REPORT_KEYS = Set.of(APPLICATION, SINCE, UNTIL, FAILURES, OVERFLOW);
    private static final Set<String> FAILURE_KEYS = Set.of(PREFIX, CLIENT, REASON, COUNT, TENANT);

    /**
     * One summary: how many times {@code client} was refused for {@code reason}.
     *
     * @param prefix the token's non-secret prefix ({@code kg_} and five characters), or {@code null}
     * @param client the client address as the filter decided it, or {@code unknown}
     * @param reason {@code malformed}, {@code checksum}, {@code invalid}, {@code expired}, {@code throttled} or
     *               {@code address}
     * @param count  at least 1
     * @param tenant the token's tenant where the filter knew the token as valid, or {@code null}
     */
    public record Failure(String prefix, String client, String reason, long count, String tenant) {
        public Failure {
            check(prefix == null || PREFIX_SHAPE.matcher(prefix).matches(), PREFIX);
            check(client != null && CLIENT_SHAPE.matcher(client).matches(), CLIENT);
            check(reason != null && REASON_SHAPE.matcher(reason).matches(), REASON);
            check(count >= 1, COUNT);
            check(tenant == null || SLUG.matcher(tenant).matches(), TENANT);
        }

        Map<String, Object> toWire() {
            Map<String, Object> wire = new HashMap<>();
            wire.put(CLIENT, client);
            wire.put(REASON, reason);
            wire.put(COUNT, count);
            if (prefix != null) {
                wire.put(PREFIX, prefix);
            }
            if (tenant != null) {
                wire.put(TENANT, tenant);
            }
            return wire;
        }
    }

    public FailureReport {
        check(application != null && APPLICATION_PATH.matcher(application).matches(), APPLICATION);
        check(since >= 0, SINCE);
        check(until >= since, UNTIL);
        check(overflow >= 0, OVERFLOW);
        failures = List.copyOf(failures);
        check(failures.size() <= VerifierProtocol.MAX_FAILURE_ENTRIES, FAILURES);
    }

    /**
     * {@code contextPath} as a report names it: a context path outside printable ASCII (or longer than the
     * protocol takes) has its other characters as {@code ?} and is cut, so that its failures are still reported.
     */
    public static String application(String contextPath) {
        String printable = contextPath.replaceAll("[^\\x21-\\x7e]", "?");
        return printable.length() > 200 ? printable.substring(0, 200) : printable;
    }

    public Map<String, Object> toWire() {
        List<Map<String, Object>> wire = new ArrayList<>(failures.size());
        failures.forEach(failure -> wire.add(failure.toWire()));
        return Map.of(APPLICATION, application, SINCE, since, UNTIL, until, FAILURES, wire, OVERFLOW, overflow);
    }

    /** Reads a report; empty when anything in it is outside the protocol. */
    public static Optional<FailureReport> fromWire(Object argument) {
        try {
            if (!(argument instanceof Map<?, ?> map) || !REPORT_KEYS.equals(map.keySet())
                    || !(map.get(FAILURES) instanceof List<?> list)) {
                return Optional.empty();
            }
            List<Failure> failures = new ArrayList<>(list.size());
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> failure) || !FAILURE_KEYS.containsAll(failure.keySet())) {
                    return Optional.empty();
                }
                failures.add(new Failure(optional(failure.get(PREFIX)), (String) failure.get(CLIENT),
                        (String) failure.get(REASON), (Long) failure.get(COUNT), optional(failure.get(TENANT))));
            }
            return Optional.of(new FailureReport((String) map.get(APPLICATION), (Long) map.get(SINCE),
                    (Long) map.get(UNTIL), failures, (Long) map.get(OVERFLOW)));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            // A field of another type (ClassCastException), a missing count (NullPointerException on unboxing) or a
            // value off the protocol (IllegalArgumentException): the report is refused as a whole.
            return Optional.empty();
        }
    }

    /** An optional string field: absent is {@code null}, anything else but a string is off the protocol. */
    private static String optional(Object value) {
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("not a string");
        }
        return (String) value;
    }

    private static void check(boolean holds, String field) {
        if (!holds) {
            throw new IllegalArgumentException("a failure report's " + field + " is outside the protocol");
        }
    }
}
