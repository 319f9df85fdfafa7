package io.keygate.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.bearer.BearerErrors;
import io.keygate.server.store.TokenLimits;
import io.keygate.transport.IpRange;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A token's allowlist and rate at keygate.war's endpoints: the filter's answers and headers. */
class TokenLimitsGateTest {

    private final AtomicLong millis = new AtomicLong(1_767_225_600_000L); // epoch milliseconds, at the start of a minute
    private final TokenLimitsGate gate = new TokenLimitsGate(new io.keygate.limits.CountBoard(), millis::get);

    private static ClientAddress client(String address) {
        return new ClientAddress(IpRange.parseAddress(address));
    }

    @Test
    void addressOutsideTheAllowlistThen403AndInsideAdmitted() {
        TokenLimits limits = new TokenLimits(null, List.of("192.0.2.0/24", "2001:db8::1"));

        TokenLimitsGate.Admission outside = gate.admit("t1", limits, client("198.51.100.1"));
        assertEquals(BearerErrors.ADDRESS_NOT_ALLOWED_ERROR, outside.refusal());
        assertTrue(outside.addressRefused());
        assertTrue(gate.admit("t1", limits, client("192.0.2.10")).admitted());
        assertTrue(gate.admit("t1", limits, client("2001:db8::1")).admitted());
        assertFalse(gate.admit("t1", limits, new ClientAddress(Optional.empty())).admitted(), "unknown: closed");
        assertTrue(gate.admit("t1", TokenLimits.NONE, new ClientAddress(Optional.empty())).admitted());
    }

    @Test
    void rateSpentThen429WithRetryAfterAndRateLimitHeaders() {
        TokenLimits limits = new TokenLimits(new TokenLimits.Rate(2, 60), null);

        TokenLimitsGate.Admission first = gate.admit("t1", limits, client("192.0.2.10"));
        assertTrue(first.admitted());
        assertEquals("1", first.headers().get("RateLimit-Remaining"));
        assertTrue(gate.admit("t1", limits, client("192.0.2.11")).admitted());
        TokenLimitsGate.Admission third = gate.admit("t1", limits, client("192.0.2.10"));

        assertEquals(BearerErrors.RATE_LIMITED_ERROR, third.refusal());
        assertEquals(429, third.refusal().status());
        assertEquals("60", third.headers().get("Retry-After"));
        assertEquals("0", third.headers().get("RateLimit-Remaining"));
        assertEquals("2", third.headers().get("RateLimit-Limit"));
        assertTrue(gate.admit("t2", limits, client("192.0.2.10")).admitted(), "per token");
    }
}
