package io.keygate.server.audit;

import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.AuditStore;
import io.keygate.token.TokenFormat;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Failed authentications, counted per tenant, application, token prefix and client address and written as one
 * audit event per key and period ({@code auth.failure}, "N failed authentications … from … to …"), so that a
 * flood of bad tokens costs a bounded number of rows (OWASP API4:2023): at most {@value #MAX_KEYS} keys per
 * period; failures beyond that are counted under one overflow event.
 *
 * <p>Two sources: {@code keygate.war}'s own endpoints ({@link #failed}: the admin API, the token endpoints), and the
 * reports of every protected WAR's filter ({@link #report}, from the verifier protocol's {@code recordFailures}),
 * which name the application and why each request was refused.
 *
 * <p>The prefix is kept only for what has a Keygate token's shape ({@link TokenFormat#loggablePrefix}): then it is
 * what the token's listing shows, so a mistyped real token reveals no more than its listing. Anything else
 * presented (a user's password sent to the password grant, a bootstrap admin token of another form) may be a
 * secret of its own, and none of it is kept. Of a filter's report, only a prefix that is exactly a listing's is
 * kept (the filter applies the same rule before it counts).
 * An event has a tenant only where the failure is known to concern one; the others are in the global log only.
 */
public class FailureSummaries {

    static final int MAX_KEYS = 1000;
    /** Longest application name an event shows (the detail column holds 300 characters). */
    private static final int APPLICATION_LENGTH = 80;
    private static final Pattern UNPRINTABLE = Pattern.compile("[^\\x21-\\x7e]");
    private static final Logger LOG = Logger.getLogger(FailureSummaries.class.getName());

    /**
     * Failures a filter counted under one key of its report.
     *
     * @param tenant the token's tenant where the filter knew it, else {@code null}
     * @param prefix the token's non-secret prefix, or {@code null}
     * @param client the client's address
     * @param reason why the filter refused ({@code invalid}, {@code expired}, …)
     * @param count  how many, at least 1
     */
    public record Failure(String tenant, String prefix, String client, String reason, long count) {
    }

    private record Key(String tenant, String application, String prefix, String client) {
    }

    /** The failures of one key in the current period. */
    private static final class Tally {
        private long count;
        private final Map<String, Long> reasons = new TreeMap<>();
        private Instant first;
        private Instant last;

        synchronized void add(String reason, long failures, Instant from, Instant to) {
            count = plus(count, failures);
            if (reason != null) {
                reasons.merge(reason, failures, FailureSummaries::plus);
            }
            first = first == null || from.isBefore(first) ? from : first;
            last = last == null || to.isAfter(last) ? to : last;
        }

        synchronized String detail(String application) {
            StringBuilder detail = new StringBuilder().append(count).append(" failed authentications");
            if (application != null) {
                detail.append(" at ").append(application);
            }
            if (!reasons.isEmpty()) {
                List<String> each = new ArrayList<>();
                reasons.forEach((reason, failures) -> each.add(reason + " " + failures));
                detail.append(" (").append(String.join(", ", each)).append(')');
            }
            return detail.append(" from ").append(first).append(" to ").append(last).toString();
        }
    }

    private final AuditTrail trail;
    private final AuditStore store;
    private final Clock clock;
    /** Held shared while counting and exclusively to swap the period, so that no count falls between two. */
    private final ReentrantReadWriteLock period = new ReentrantReadWriteLock();
    private Map<Key, Tally> counts = new ConcurrentHashMap<>();
    private final AtomicLong overflow = new AtomicLong();
    private Instant periodStart;
    private boolean closed;

    public FailureSummaries(AuditTrail trail, AuditStore store) {
        this(trail, store, Clock.systemUTC());
    }

    public FailureSummaries(AuditTrail trail, AuditStore store, Clock clock) {
        this.trail = trail;
        this.store = store;
        this.clock = clock;
        this.periodStart = clock.instant();
    }

    /**
     * Counts one failed authentication at {@code keygate.war} itself.
     *
     * @param tenant    the token's tenant when known (revoked or expired token), else {@code null}
     * @param presented what was presented as a token; only a Keygate token's listing prefix is kept of it
     * @param client    the client's address
     */
    public void failed(String tenant, String presented, String client) {
        Instant now = clock.instant();
        period.readLock().lock();
        try {
            add(new Key(tenant, null, TokenFormat.loggablePrefix(presented), client), null, 1, now, now);
        } finally {
            period.readLock().unlock();
        }
    }

    /**
     * Counts what a protected WAR's filter refused between {@code since} and {@code until}.
     *
     * @param application the WAR's context path ({@code ""} for the root context)
     * @param overflowed  failures the filter counted without itemising them
     * @return whether the report was taken; {@code false} once {@link #close} has written the last summaries
     */
    public boolean report(String application, Instant since, Instant until, List<Failure> failures, long overflowed) {
        String name = application(application);
        period.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            for (Failure failure : failures) {
                Key key = new Key(failure.tenant(), name, listingPrefix(failure.prefix()), failure.client());
                add(key, failure.reason(), failure.count(), since, until);
            }
            if (overflowed > 0) {
                overflow.accumulateAndGet(overflowed, FailureSummaries::plus);
            }
            return true;
        } finally {
            period.readLock().unlock();
        }
    }

    /** Writes one event per key counted since the last call; failures to write are logged and dropped. */
    public void flush() {
        Map<Key, Tally> ended;
        long overflowed;
        Instant start;
        period.writeLock().lock();
        try {
            if (counts.isEmpty() && overflow.get() == 0) {
                return; // nothing to write, and nothing to load while the application may be undeploying
            }
            ended = counts;
            counts = new ConcurrentHashMap<>();
            overflowed = overflow.getAndSet(0);
            start = periodStart;
            periodStart = clock.instant();
        } finally {
            period.writeLock().unlock();
        }
        List<AuditEvent> events = new ArrayList<>();
        for (Map.Entry<Key, Tally> entry : ended.entrySet()) {
            Key key = entry.getKey();
            events.add(trail.event(key.tenant(), "anonymous", "auth.failure", key.prefix(), key.client(),
                    entry.getValue().detail(key.application())));
        }
        if (overflowed > 0) {
            events.add(trail.event(null, "anonymous", "auth.failure", null, null,
                    overflowed + " more failed authentications from other prefixes and addresses since " + start));
        }
        try {
            store.append(events);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not write {0} authentication failure summaries: {1}",
                    new Object[] {events.size(), e.getMessage()});
        }
    }

    /** Writes the last summaries; reports after this are refused, so that their filters keep them for later. */
    public void close() {
        period.writeLock().lock();
        try {
            closed = true;
        } finally {
            period.writeLock().unlock();
        }
        flush();
    }

    /** Under the read lock. */
    private void add(Key key, String reason, long failures, Instant from, Instant to) {
        Tally tally = counts.get(key);
        if (tally == null) {
            if (counts.size() >= MAX_KEYS) {
                overflow.accumulateAndGet(failures, FailureSummaries::plus);
                return;
            }
            tally = counts.computeIfAbsent(key, k -> new Tally());
        }
        tally.add(reason, failures, from, to);
    }

    /** A filter's reported prefix when it is exactly a listing's, else nothing of it. */
    private static String listingPrefix(String reported) {
        return TokenFormat.isDisplayPrefix(reported) ? reported : null;
    }

    /** The context path as an event shows it: {@code /} for the root, printable, cut. */
    private static String application(String contextPath) {
        String name = contextPath == null || contextPath.isEmpty() ? "/" : contextPath;
        name = UNPRINTABLE.matcher(name).replaceAll("?");
        return name.length() <= APPLICATION_LENGTH ? name : name.substring(0, APPLICATION_LENGTH - 1) + "…";
    }

    /** A sum of counts that cannot turn negative. */
    private static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
