package io.keygate.server.audit;

import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.AuditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Failed authentications, counted per tenant, token prefix and client address and written as one audit event
 * per key and period ({@code auth.failure}, "N failed authentications"), so that a flood of bad tokens costs
 * a bounded number of rows (OWASP API4:2023): at most {@value #MAX_KEYS} keys per period; failures beyond that
 * are counted under one overflow event.
 *
 * <p>The prefix is the first characters of what was presented, cut to the non-secret length of a listing's
 * {@code prefix} and to letters, digits and {@code _}: a mistyped real token reveals no more than its listing.
 */
public class FailureSummaries {

    static final int MAX_KEYS = 1000;
    private static final int PREFIX_LENGTH = 8;
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_]");
    private static final Logger LOG = Logger.getLogger(FailureSummaries.class.getName());

    private record Key(String tenant, String prefix, String client) {
    }

    private final AuditTrail trail;
    private final AuditStore store;
    private volatile Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong overflow = new AtomicLong();
    private volatile Instant periodStart = Instant.now();

    public FailureSummaries(AuditTrail trail, AuditStore store) {
        this.trail = trail;
        this.store = store;
    }

    /**
     * Counts one failed authentication.
     *
     * @param tenant    the token's tenant when known (revoked or expired token), else {@code null}
     * @param presented what was presented as a token; only its sanitised prefix is kept
     * @param client    the client's address
     */
    public void failed(String tenant, String presented, String client) {
        String prefix = UNSAFE.matcher(presented.length() > PREFIX_LENGTH
                ? presented.substring(0, PREFIX_LENGTH) : presented).replaceAll("?");
        Map<Key, AtomicLong> current = counts;
        AtomicLong count = current.get(new Key(tenant, prefix, client));
        if (count == null) {
            if (current.size() >= MAX_KEYS) {
                overflow.incrementAndGet();
                return;
            }
            count = current.computeIfAbsent(new Key(tenant, prefix, client), k -> new AtomicLong());
        }
        count.incrementAndGet();
    }

    /** Writes one event per key counted since the last call; failures to write are logged and dropped. */
    public void flush() {
        Map<Key, AtomicLong> period = counts;
        long overflowed = overflow.get();
        if (period.isEmpty() && overflowed == 0) {
            return; // nothing to write, and nothing to load while the application may be undeploying
        }
        counts = new ConcurrentHashMap<>();
        overflow.addAndGet(-overflowed);
        Instant start = periodStart;
        periodStart = Instant.now();
        List<AuditEvent> events = new ArrayList<>();
        String since = " since " + start;
        for (Map.Entry<Key, AtomicLong> entry : period.entrySet()) {
            Key key = entry.getKey();
            events.add(trail.event(key.tenant(), "anonymous", "auth.failure", key.prefix(), key.client(),
                    entry.getValue().get() + " failed authentications" + since));
        }
        if (overflowed > 0) {
            events.add(trail.event(null, "anonymous", "auth.failure", null, null,
                    overflowed + " more failed authentications from other prefixes and addresses" + since));
        }
        try {
            store.append(events);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not write {0} authentication failure summaries: {1}",
                    new Object[] {events.size(), e.getMessage()});
        }
    }
}
