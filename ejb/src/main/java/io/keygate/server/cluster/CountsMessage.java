package io.keygate.server.cluster;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The body of a {@code counts} {@link ClusterMessage}: one line per key, {@code r} (requests of a token) or
 * {@code f} (failures of a client), the window's length and index, the count and the key (URL-encoded, since a client
 * id may hold any character); then, in the last body of an exchange only, the exchange's number ({@code s}) when it
 * carries counts, and one {@code a} line per other server: the number of the latest exchange of that server whose
 * counts this one confirms it holds. Plain text, so every engine carries it; split into bodies of at most
 * {@value #MAX_BODY_CHARS} characters, since a message is meant to be small. A reader that does not know a line skips
 * it, so servers of an older version read the counts and ignore the rest.
 *
 * <p>Why the confirmations go last: a server's messages arrive in the order sent, so whoever reads them has read every
 * count of the same exchange first (see {@link io.keygate.limits.SharedWindow#admit}).
 */
final class CountsMessage {

    /** One key's count in one window. */
    record Entry(boolean rate, String key, long windowMillis, long index, long count) {
    }

    /**
     * What a body says besides counts.
     *
     * @param exchange the sender's exchange number when this body closes an exchange with counts, else 0
     * @param received the latest exchange number of each server (by id) whose counts the sender confirms it holds
     */
    record Header(long exchange, Map<String, Long> received) {
    }

    static final int MAX_BODY_CHARS = 4000;

    private CountsMessage() {
    }

    /**
     * The bodies that carry {@code entries}, then {@code exchange} (when positive) and {@code received}; as many
     * confirmations as fit in one body (some sixty servers), the rest left out (their senders then wait for the
     * delivery bound instead).
     */
    static List<String> write(List<Entry> entries, long exchange, Map<String, Long> received) {
        List<String> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Entry entry : entries) {
            String line = (entry.rate() ? "r" : "f") + '\t' + entry.windowMillis() + '\t' + entry.index() + '\t'
                    + entry.count() + '\t' + URLEncoder.encode(entry.key(), StandardCharsets.UTF_8) + '\n';
            if (body.length() > 0 && body.length() + line.length() > MAX_BODY_CHARS) {
                bodies.add(body.toString());
                body.setLength(0);
            }
            body.append(line);
        }
        String header = header(exchange, received);
        if (body.length() > 0 && body.length() + header.length() > MAX_BODY_CHARS) {
            bodies.add(body.toString());
            body.setLength(0);
        }
        body.append(header);
        if (body.length() > 0) {
            bodies.add(body.toString());
        }
        return bodies;
    }

    private static String header(long exchange, Map<String, Long> received) {
        StringBuilder header = new StringBuilder();
        if (exchange > 0) {
            header.append("s\t").append(exchange).append('\n');
        }
        for (Map.Entry<String, Long> confirmed : received.entrySet()) {
            String line = "a\t" + confirmed.getValue() + '\t'
                    + URLEncoder.encode(confirmed.getKey(), StandardCharsets.UTF_8) + '\n';
            if (header.length() + line.length() > MAX_BODY_CHARS) {
                break;
            }
            header.append(line);
        }
        return header.toString();
    }

    /** Hands every well-formed entry of {@code body} to {@code sink}; a line that is not one is skipped. */
    static Header read(String body, Consumer<Entry> sink) {
        long exchange = 0;
        Map<String, Long> received = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            String[] fields = line.split("\t", -1);
            try {
                if (fields.length == 5 && (fields[0].equals("r") || fields[0].equals("f"))) {
                    long windowMillis = Long.parseLong(fields[1]);
                    if (windowMillis > 0) {
                        sink.accept(new Entry(fields[0].equals("r"),
                                URLDecoder.decode(fields[4], StandardCharsets.UTF_8), windowMillis,
                                Long.parseLong(fields[2]), Long.parseLong(fields[3])));
                    }
                } else if (fields.length == 2 && fields[0].equals("s")) {
                    exchange = Long.parseLong(fields[1]);
                } else if (fields.length == 3 && fields[0].equals("a")) {
                    received.put(URLDecoder.decode(fields[2], StandardCharsets.UTF_8), Long.parseLong(fields[1]));
                }
            } catch (IllegalArgumentException e) {
                // not a line of ours: skipped, as a count that never arrived
            }
        }
        return new Header(exchange, received);
    }
}
