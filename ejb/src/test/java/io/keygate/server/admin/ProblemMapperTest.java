package io.keygate.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.IllegalCharsetNameException;
import org.junit.jupiter.api.Test;

/**
 * A body the JAX-RS runtime cannot read is the client's mistake on every server, however the runtime wraps it:
 * Jersey (Payara) and RESTEasy (WildFly) throw different exceptions for one request.
 */
class ProblemMapperTest {

    /** As RESTEasy does: its own runtime exception around what the reader threw. */
    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("org.jboss.resteasy.spi.Failure", new IOException(cause));
    }

    @Test
    void aCharsetTheRuntimeCannotDecodeIs415HoweverItIsWrapped() {
        assertEquals(415, ProblemMapper.problemOf(new IllegalCharsetNameException("x y")).status());
        assertEquals(415, ProblemMapper.problemOf(new UncheckedIOException(
                new UnsupportedEncodingException("bogus"))).status());
        ProblemMapper.Problem problem = ProblemMapper.problemOf(wrapped(new UnsupportedEncodingException("bogus")));
        assertEquals(415, problem.status());
        assertEquals("The charset of the Content-Type is not supported; send UTF-8", problem.detail());
    }

    @Test
    void jsonTheRuntimeCannotParseIs400() {
        ProblemMapper.Problem problem = ProblemMapper.problemOf(wrapped(
                new JsonParsingException("getArray() is valid only for START_ARRAY", null)));
        assertEquals(400, problem.status());
        assertEquals("The body is not valid JSON", problem.detail());
    }

    @Test
    void aLimitOfTheJsonParserIs400ThoughItIsNoJsonException() {
        RuntimeException tooDeep = new RuntimeException("Input is too deeply nested 1,000");
        tooDeep.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.eclipse.parsson.JsonParserImpl$Stack", "push", "JsonParserImpl.java", 393)});
        assertEquals(400, ProblemMapper.problemOf(tooDeep).status());
        assertEquals(400, ProblemMapper.problemOf(wrapped(tooDeep)).status());
    }

    @Test
    void anythingElseIs500AndSaysNothingOfIt() {
        ProblemMapper.Problem problem = ProblemMapper.problemOf(new IllegalStateException("internal detail"));
        assertEquals(500, problem.status());
        assertEquals("Internal error; the server log has the details", problem.detail());
    }
}
