package io.keygate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.transport.IpRange;
import java.net.InetAddress;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

    @org.junit.jupiter.api.Test
    void parseAddressWhenIpv6ShapedButNotALiteralThenEmptyWithoutNameLookup() {
        for (String notLiteral : new String[] {".:", ".::1", "::g", "1:2:3:4:5:6:7:8:9"}) {
            org.junit.jupiter.api.Assertions.assertTrue(IpRange.parseAddress(notLiteral).isEmpty(), notLiteral);
        }
        org.junit.jupiter.api.Assertions.assertEquals("0:0:0:0:0:0:0:1",
                IpRange.parseAddress("::1").orElseThrow().getHostAddress());
    }

    private static InetAddress address(String literal) {
        return IpRange.parseAddress(literal).orElseThrow();
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.1.0/24, 192.168.1.254, true",
        "192.168.1.0/24, 192.168.2.1, false",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "192.0.2.7, 192.0.2.7, true",
        "192.0.2.7, 192.0.2.8, false",
        "192.0.2.7/32, 192.0.2.7, true",
        "0.0.0.0/0, 203.0.113.9, true",
        "10.1.2.3/8, 10.9.9.9, true",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "2001:db8::/33, 2001:db8:8000::1, false",
        "::1, ::1, true",
        "::1, 0:0:0:0:0:0:0:1, true",
        "::/0, 2001:db8::1, true",
        "::/0, 10.0.0.1, false",
        "10.0.0.0/8, ::1, false",
        "10.0.0.0/8, ::ffff:10.0.0.1, true",
        "10.0.0.0/8, [::ffff:10.0.0.1], true"
    })
    void containsThenCidrArithmetic(String range, String address, boolean expected) {
        assertEquals(expected, IpRange.parse(range).contains(address(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "proxy.example.com", "10.0.0", "10.0.0.256", "010.0.0.1", "1.2.3.4.5",
        "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8/8", "2001:db8::/129", "fe80::1%eth0", "1::2::3",
        "gggg::1", "[10.0.0.1]", "::1/abc", "0x7f.1", "127.1", " 10.0.0.1"})
    void parseWhenNotALiteralOrCidrThenRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse(text));
    }

    @Test
    void parseAddressWhenHostNameThenEmptyWithoutDnsLookup() {
        // A resolvable name must not resolve: only literals are addresses here.
        assertTrue(IpRange.parseAddress("localhost").isEmpty());
        assertTrue(IpRange.parseAddress("unknown").isEmpty());
        assertTrue(IpRange.parseAddress("abc:def:zz").isEmpty());
        assertTrue(IpRange.parseAddress("").isEmpty());
    }

    @Test
    void parseAddressWhenBracketedIpv6ThenParsed() {
        assertTrue(address("[::1]").isLoopbackAddress());
        assertFalse(address("[2001:db8::1]").isLoopbackAddress());
    }

    @Test
    void equalsWhenSameNetworkThenEqual() {
        assertEquals(IpRange.parse("10.1.2.3/8"), IpRange.parse("10.0.0.0/8"));
        assertEquals(IpRange.parse("10.1.2.3/8").hashCode(), IpRange.parse("10.0.0.0/8").hashCode());
    }

    /** The dotted-quad grammar the hand-written scanner replaced, as the reference. */
    private static final Pattern IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    @Test
    void ipv4BytesWhenEdgesThenDottedQuadWithoutLeadingZerosOnly() {
        assertEquals("0.0.0.0", address("0.0.0.0").getHostAddress());
        assertEquals("255.255.255.255", address("255.255.255.255").getHostAddress());
        assertEquals("127.0.0.1", address("127.0.0.1").getHostAddress());
        for (String bad : new String[] {"256.0.0.1", "1.2.3.04", "00.1.2.3", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4.",
            "1234.1.2.3", "1.2.3.4 ", "1.2.3.\u0664", "1.2.3.-1", "+1.2.3.4", "1.2.3.1000"}) {
            assertEquals(null, IpRange.ipv4Bytes(bad), bad);
        }
    }

    @Property(tries = 5000)
    void ipv4BytesWhenAnyTextThenSameAcceptanceAsTheRegexAndTheSameBytes(
            @ForAll("ipv4ish") String text) {
        byte[] bytes = IpRange.ipv4Bytes(text);
        assertEquals(IPV4.matcher(text).matches(), bytes != null, text);
        if (bytes != null) {
            String[] parts = text.split("\\.");
            for (int i = 0; i < 4; i++) {
                assertEquals(Integer.parseInt(parts[i]), bytes[i] & 0xff, text);
            }
        }
    }

    @Provide
    Arbitrary<String> ipv4ish() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 300).map(String::valueOf),
                Arbitraries.strings().withChars("0123456789").ofMaxLength(4),
                Arbitraries.strings().withChars("0123456789.:x- \u0664").ofMaxLength(4));
        return Arbitraries.oneOf(
                part.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join(".", parts)),
                Arbitraries.strings().withChars("0123456789.").ofMaxLength(20));
    }
}
