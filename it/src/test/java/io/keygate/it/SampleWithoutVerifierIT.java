package io.keygate.it;

import static io.keygate.it.BearerAnswers.assertBareChallenge;
import static io.keygate.it.BearerAnswers.assertBearerError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The sample application with no {@code keygate.war} on the server (run by its own failsafe execution): the
 * filter fails closed. A well-formed token gets {@code 503} with {@code Retry-After}, never {@code 200} and never
 * {@code 401}; what needs no verifier still works.
 */
class SampleWithoutVerifierIT extends OwnMicroIT {

    private static final String REALM = "/sample";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return sampleWar();
    }

    private URI whoami() {
        return sample("/api/whoami");
    }

    @Test
    void wellFormedTokenThenServiceUnavailableWithRetryAfter() {
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpResponse<String> response = getWithToken(whoami(), wellFormedUnknownToken());

            assertEquals(503, response.statusCode(), response.body());
            assertRetryAfter(response);
        }
    }

    @Test
    void sameTokenAgainStillServiceUnavailable() {
        String token = wellFormedUnknownToken();

        assertEquals(503, getWithToken(whoami(), token).statusCode());
        HttpResponse<String> again = getWithToken(whoami(), token);

        assertEquals(503, again.statusCode(), "an unavailable verifier's answer is not cached as a refusal");
        assertRetryAfter(again);
    }

    @Test
    void noAuthorizationThenStillUnauthorized() {
        assertBareChallenge(get(whoami()), REALM);
    }

    @Test
    void badChecksumThenStillInvalidToken() {
        assertBearerError(getWithToken(whoami(), withBadChecksum(wellFormedUnknownToken())), 401, "invalid_token", REALM);
    }

    @Test
    void publicPathStillOk() {
        assertEquals(200, get(sample("/public/status")).statusCode());
        assertEquals(200, getWithToken(sample("/public/status"), wellFormedUnknownToken()).statusCode(),
                "a public path never fails because of Keygate");
    }

    /** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
    private static void assertRetryAfter(HttpResponse<String> response) {
        String retryAfter = header(response, "Retry-After");
        assertNotNull(retryAfter, "Retry-After");
        if (!retryAfter.matches("\\d+")) {
            try {
                ZonedDateTime.parse(retryAfter, DateTimeFormatter.RFC_1123_DATE_TIME);
            } catch (DateTimeParseException e) {
                throw new AssertionError("Retry-After is neither seconds nor a date: " + retryAfter, e);
            }
        }
    }
}
