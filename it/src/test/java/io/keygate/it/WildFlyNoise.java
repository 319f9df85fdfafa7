package io.keygate.it;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a protected WAR must not fill WildFly's {@code server.log} with while {@code keygate.war} is broken and while
 * the server suspends or stops, as {@link BrokenVerifierOnWildFlyIT} reads it: a failed EJB invocation
 * ({@code WFLYEJB0034}, logged with a stack trace for every call to the verifier that is interrupted), a scheduled task
 * the server refused while suspended ({@code WFLYEE0110}), and any stack-trace line through Keygate's classes.
 */
final class WildFlyNoise {

    static final String FAILED_INVOCATION = "WFLYEJB0034";
    static final String REFUSED_TASK = "WFLYEE0110";

    /** A line of a stack trace that passes through Keygate's classes ({@code at deployment.sample.war//io.keygate...}). */
    private static final Pattern KEYGATE_FRAME = Pattern.compile("^\\s+at \\S*io\\.keygate\\.");

    private WildFlyNoise() {
    }

    /** The lines of {@code log} from line {@code from} on that are noise, in the order logged. */
    static List<String> since(Path log, long from) {
        return ServerLog.lines(log).stream().skip(from)
                .filter(line -> line.contains(FAILED_INVOCATION) || line.contains(REFUSED_TASK)
                        || KEYGATE_FRAME.matcher(line).find())
                .toList();
    }

    /** How many of {@code lines} contain {@code code}. */
    static long count(List<String> lines, String code) {
        return lines.stream().filter(line -> line.contains(code)).count();
    }

    /** {@code lines} for a failure message: how many, and the first few, each cut short. */
    static String summary(List<String> lines) {
        return lines.size() + " line(s):\n" + String.join("\n", lines.stream().limit(12)
                .map(line -> line.length() > 220 ? line.substring(0, 220) + "..." : line).toList());
    }
}
