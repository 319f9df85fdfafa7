package io.keygate.server.audit;

import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.AuditStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records who changed what (OWASP ASVS 5.0 V16): every admin action on tenants and tokens, with actor, time,
 * target and client address, written right after the change it describes. Authentication failures go through
 * {@link FailureSummaries} instead, so an attack cannot flood the log. No event ever holds a token.
 *
 * <p>An audit write that fails is logged (without secrets) and does not undo the change: the change is already
 * committed, and refusing to answer would hide it from the admin who made it.
 */
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());

    private final AuditStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong sequence = new AtomicLong();

    public AuditTrail(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param tenant  the tenant concerned, or {@code null} for a global action
     * @param actor   the admin token id that acted
     * @param action  e.g. {@code token.revoke}
     * @param target  slug or token id
     * @param client  the client's address
     * @param detail  a short summary, or {@code null}
     */
    public void record(String tenant, String actor, String action, String target, String client, String detail) {
        try {
            store.append(List.of(event(tenant, actor, action, target, client, detail)));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not write the audit event {0} {1} by {2}: {3}",
                    new Object[] {action, target, actor, e.getMessage()});
        }
    }

    AuditEvent event(String tenant, String actor, String action, String target, String client, String detail) {
        Instant now = clock.instant();
        return new AuditEvent(newId(now), now, tenant, actor, action, cut(target, 100), cut(client, 64),
                cut(detail, 300));
    }

    /**
     * Ids that sort like the events happened: the time, then a sequence number for events of the same
     * millisecond, then randomness so that two servers sharing a store never collide.
     */
    private String newId(Instant now) {
        byte[] noise = new byte[4];
        random.nextBytes(noise);
        return String.format("evt_%012x%08x%s", now.toEpochMilli(), sequence.incrementAndGet() & 0xffffffffL,
                HexFormat.of().formatHex(noise));
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
