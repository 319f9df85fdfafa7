package io.keygate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** A server's log as the tests search it: the lines that warn about Keygate, on WildFly or Payara. */
final class ServerLog {

    /** A log line at warning level or above: WildFly's {@code WARN}/{@code ERROR}, Payara's {@code WARNING}/{@code SEVERE}. */
    private static final Pattern WARNING_OR_WORSE = Pattern.compile("\\b(WARN|WARNING|ERROR|SEVERE|FATAL)\\b");
    /** What names Keygate or its store in a log line: its packages, its WARs, EclipseLink. */
    private static final Pattern KEYGATE = Pattern.compile("io\\.keygate|keygate[-.]|org\\.eclipse\\.persistence"
            + "|sample\\.war", Pattern.CASE_INSENSITIVE);

    private ServerLog() {
    }

    /** The lines of {@code log} from line {@code from} on that warn (or worse) about Keygate, its WARs or its store. */
    static List<String> keygateWarnings(Path log, long from) {
        return lines(log).stream().skip(from)
                .filter(line -> WARNING_OR_WORSE.matcher(line).find() && KEYGATE.matcher(line).find())
                .toList();
    }

    /** Whether a line of {@code log} contains {@code text}; {@code false} while there is no log yet. */
    static boolean contains(Path log, String text) {
        return Files.exists(log) && lines(log).stream().anyMatch(line -> line.contains(text));
    }

    static long lineCount(Path log) {
        return Files.exists(log) ? lines(log).size() : 0;
    }

    static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }
}
