package io.keygate.server.cluster;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The body of a {@code counts} {@link ClusterMessage}: one line per key, {@code r} (requests of a token) or
 * {@code f} (failures of a client), the window's length and index, the count and the key (URL-encoded, since a client
 * id may hold any character). Plain text, so every engine carries it; split into bodies of at most
 * {@value #MAX_BODY_CHARS} characters, since a message is meant to be small.
 */
final class CountsMessage {

    /** One key's count in one window. */
    record Entry(boolean rate, String key, long windowMillis, long index, long count) {
    }

    static final int MAX_BODY_CHARS = 4000;

    private CountsMessage() {
    }

    /** The bodies that carry {@code entries}. */
    static List<String> write(List<Entry> entries) {
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
        if (body.length() > 0) {
            bodies.add(body.toString());
        }
        return bodies;
    }

    /** Hands every well-formed entry of {@code body} to {@code sink}; a line that is not one is skipped. */
    static void read(String body, Consumer<Entry> sink) {
        for (String line : body.split("\n")) {
            String[] fields = line.split("\t", -1);
            if (fields.length != 5 || !(fields[0].equals("r") || fields[0].equals("f"))) {
                continue;
            }
            try {
                long windowMillis = Long.parseLong(fields[1]);
                if (windowMillis > 0) {
                    sink.accept(new Entry(fields[0].equals("r"), URLDecoder.decode(fields[4], StandardCharsets.UTF_8),
                            windowMillis, Long.parseLong(fields[2]), Long.parseLong(fields[3])));
                }
            } catch (IllegalArgumentException e) {
                // not a line of ours: skipped, as a count that never arrived
            }
        }
    }
}
