package io.keygate.server.audit;

import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.AuditStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The audit log without a database, for tests of what reaches it: the events appended, and the
 * {@link FailureSummaries} that write into it, on a fixed clock.
 */
public final class RecordedAudit {

    /** The clock of the audit trail and the summaries: 2026-01-01T00:00:00Z. */
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final AuditStore store = new AuditStore(null) {
        @Override
        public void append(Collection<AuditEvent> appended) {
            events.addAll(appended);
        }
    };
    private final FailureSummaries summaries = new FailureSummaries(new AuditTrail(store, CLOCK), store, CLOCK);

    /** What the audit log received, in order. */
    public List<AuditEvent> events() {
        return events;
    }

    /** The failure summaries, which write into this log when flushed. */
    public FailureSummaries summaries() {
        return summaries;
    }
}
