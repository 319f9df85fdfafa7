package io.keygate.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address or CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}) from
 * {@code keygate.trusted-proxies}, and the parser for the literal addresses it is compared with.
 *
 * <p>Only literals are accepted, and they are checked before {@link InetAddress#getByName} sees them: that
 * method resolves anything that does not look like a literal through DNS, and a security decision must never
 * wait for, or be steered by, a name server. IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) compare as
 * their IPv4 address. Zone ids ({@code fe80::1%eth0}) are not accepted.
 */
public record IpRange(byte[] network, int prefixLength, String text) {

    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    /**
     * Parses an address (a block of one) or {@code address/prefix}.
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static IpRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = parseAddress(address).map(InetAddress::getAddress)
                .orElseThrow(() -> new IllegalArgumentException("not an IP address literal: " + address));
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bytes.length * 8) {
                throw new IllegalArgumentException("not a prefix length for this address: /" + length);
            }
            prefix = Integer.parseInt(length);
        }
        return new IpRange(mask(bytes, prefix), prefix, text);
    }

    /**
     * The address a literal denotes, without any DNS look-up; empty for anything that is not an IPv4
     * dotted quad or an IPv6 literal (optionally in brackets, as in {@code X-Forwarded-For}).
     */
    public static Optional<InetAddress> parseAddress(String literal) {
        boolean bracketed = literal.length() > 2 && literal.startsWith("[") && literal.endsWith("]");
        String candidate = bracketed ? literal.substring(1, literal.length() - 1) : literal;
        try {
            byte[] ipv4 = bracketed ? null : ipv4Bytes(candidate);
            if (ipv4 != null) {
                return Optional.of(InetAddress.getByAddress(ipv4));
            }
            if (isIpv6Shaped(candidate)) {
                // In brackets getByName accepts an IPv6 literal or throws; it never asks DNS (unbracketed, a
                // candidate such as ".:" that does not start like a literal would be looked up as a name).
                return Optional.of(InetAddress.getByName("[" + candidate + "]"));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefixLength), network);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpRange range && range.prefixLength == prefixLength
                && Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * The four bytes of a dotted quad: four decimal numbers 0-255 without leading zeros (some parsers read
     * those as octal), separated by single dots; {@code null} for anything else. A hand-written scan, not a
     * regular expression: it runs on every request from a client whose address is looked at.
     */
    static byte[] ipv4Bytes(String s) {
        byte[] bytes = new byte[4];
        int i = 0;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
            int start = i;
            int value = 0;
            while (i < s.length() && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + s.charAt(i) - '0';
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || digits > 1 && s.charAt(start) == '0') {
                return null;
            }
            bytes[part] = (byte) value;
        }
        return i == s.length() ? bytes : null;
    }

    private static boolean isIpv6Shaped(String s) {
        return s.length() >= 2 && s.length() <= 45 && s.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(s).matches();
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff << (8 - bits));
        }
        return masked;
    }
}
