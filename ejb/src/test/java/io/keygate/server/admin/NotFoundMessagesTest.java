package io.keygate.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.keygate.token.TokenFormat;
import java.security.SecureRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A 404 of the admin API names what was not found, but a token pasted where a slug or a token id belongs
 * ({@code DELETE /tenants/acme/tokens/kg_...}) does not come back in the answer: at most
 * {@link JsonInput#excerpt}'s characters of it, as for every other piece of client input.
 */
class NotFoundMessagesTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @RepeatedTest(20)
    void aTokenInThePathIsQuotedOnlyAsAnExcerpt() {
        String token = TokenFormat.generate(RANDOM);

        for (String message : new String[] {TokenResource.noToken(token).getMessage(),
                TenantResource.noTenant(token).getMessage()}) {
            for (int i = 0; i + AdminInputFuzzTest.ECHO_LIMIT - 2 <= token.length(); i++) {
                String piece = token.substring(i, i + AdminInputFuzzTest.ECHO_LIMIT - 2);
                assertFalse(message.contains(piece), () -> "the 404 quotes more than an excerpt of the token");
            }
        }
    }

    @Test
    void anIdOrASlugIsQuotedWhole() {
        assertEquals("There is no token 'tok_0123456789abcdef01234567' here",
                TokenResource.noToken("tok_0123456789abcdef01234567").getMessage());
        assertEquals("There is no tenant 'acme-europe-west-1'", TenantResource.noTenant("acme-europe-west-1").getMessage());
    }
}
