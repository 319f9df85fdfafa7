package io.keygate.bearer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.keygate.bearer.BearerErrors;
import io.keygate.bearer.BearerResolution;
import io.keygate.bearer.BearerTokenResolver;
import io.keygate.testing.FakeRequest;
import org.junit.jupiter.api.Test;

class BearerTokenResolverTest {

    private static final String TOKEN = "kg_abcDEF0123456789abcdefghijABCDEF0123";

    private final BearerTokenResolver resolver = new BearerTokenResolver();

    private BearerResolution resolve(FakeRequest request) {
        return resolver.resolve(request.build());
    }

    private static void assertMalformed(String description, BearerResolution resolution) {
        assertEquals(new BearerResolution.Malformed(description), resolution);
    }

    @Test
    void resolveWhenNoHeaderThenAbsent() {
        assertInstanceOf(BearerResolution.Absent.class, resolve(FakeRequest.get("/x")));
    }

    @Test
    void resolveWhenBasicSchemeThenAbsent() {
        assertInstanceOf(BearerResolution.Absent.class,
                resolve(FakeRequest.get("/x").header("Authorization", "Basic dXNlcjpwYXNz")));
    }

    @Test
    void resolveWhenSchemeOnlyStartsWithBearerThenAbsent() {
        assertInstanceOf(BearerResolution.Absent.class,
                resolve(FakeRequest.get("/x").header("Authorization", "Bearerx " + TOKEN)));
    }

    @Test
    void resolveWhenEmptyHeaderThenAbsent() {
        assertInstanceOf(BearerResolution.Absent.class, resolve(FakeRequest.get("/x").header("Authorization", "")));
    }

    @Test
    void resolveWhenCanonicalSchemeThenToken() {
        assertEquals(new BearerResolution.Token(TOKEN), resolve(FakeRequest.get("/x").bearer(TOKEN)));
    }

    @Test
    void resolveWhenLowercaseSchemeThenToken() {
        assertEquals(new BearerResolution.Token(TOKEN),
                resolve(FakeRequest.get("/x").header("Authorization", "bearer " + TOKEN)));
    }

    @Test
    void resolveWhenUppercaseSchemeThenToken() {
        assertEquals(new BearerResolution.Token(TOKEN),
                resolve(FakeRequest.get("/x").header("Authorization", "BEARER " + TOKEN)));
    }

    @Test
    void resolveWhenHeaderNameLowercaseThenToken() {
        assertEquals(new BearerResolution.Token(TOKEN),
                resolve(FakeRequest.get("/x").header("authorization", "Bearer " + TOKEN)));
    }

    @Test
    void resolveWhenSeveralSpacesAfterSchemeThenToken() {
        assertEquals(new BearerResolution.Token(TOKEN), resolver.resolve("Bearer    " + TOKEN + "  "));
    }

    @Test
    void resolveWhenTrailingPaddingThenToken() {
        assertEquals(new BearerResolution.Token("abc+/-._~9=="), resolver.resolve("Bearer abc+/-._~9=="));
    }

    @Test
    void resolveWhenSchemeWithoutTokenThenEmptyToken() {
        assertMalformed(BearerTokenResolver.EMPTY_TOKEN, resolver.resolve("Bearer"));
    }

    @Test
    void resolveWhenOnlySpacesAfterSchemeThenEmptyToken() {
        assertMalformed(BearerTokenResolver.EMPTY_TOKEN, resolver.resolve("Bearer    "));
    }

    @Test
    void resolveWhenPaddingInTheMiddleThenBadCharacters() {
        assertMalformed(BearerTokenResolver.BAD_CHARACTERS, resolver.resolve("Bearer abc=def"));
    }

    @Test
    void resolveWhenOnlyPaddingThenBadCharacters() {
        assertMalformed(BearerTokenResolver.BAD_CHARACTERS, resolver.resolve("Bearer ==="));
    }

    @Test
    void resolveWhenCharactersOutsideB64tokenThenBadCharacters() {
        for (String bad : new String[] {"abc!", "a\"b", "a,b", "a;b", "a%20b", "tök", "a\u0000b", "a\\b"}) {
            assertMalformed(BearerTokenResolver.BAD_CHARACTERS, resolver.resolve("Bearer " + bad));
        }
    }

    @Test
    void resolveWhenTabAfterSchemeThenBadCharacters() {
        assertMalformed(BearerTokenResolver.BAD_CHARACTERS, resolver.resolve("Bearer\t" + TOKEN));
    }

    @Test
    void resolveWhenTwoTokensThenTwoTokens() {
        assertMalformed(BearerTokenResolver.TWO_TOKENS, resolver.resolve("Bearer " + TOKEN + " " + TOKEN));
    }

    @Test
    void resolveWhenCommaJoinedCredentialsThenTwoTokens() {
        assertMalformed(BearerTokenResolver.TWO_TOKENS, resolver.resolve("Bearer abc, Bearer def"));
    }

    @Test
    void resolveWhenTwoAuthorizationHeadersThenTwoHeaders() {
        assertMalformed(BearerTokenResolver.TWO_HEADERS,
                resolve(FakeRequest.get("/x").bearer(TOKEN).bearer(TOKEN)));
    }

    @Test
    void resolveWhenBearerAndBasicHeadersThenTwoHeaders() {
        assertMalformed(BearerTokenResolver.TWO_HEADERS,
                resolve(FakeRequest.get("/x").bearer(TOKEN).header("Authorization", "Basic dXNlcjpwYXNz")));
    }

    @Test
    void resolveWhenTokenAtMaximumLengthThenToken() {
        String longest = "a".repeat(BearerTokenResolver.MAX_TOKEN_LENGTH);
        assertEquals(new BearerResolution.Token(longest), resolver.resolve("Bearer " + longest));
    }

    @Test
    void resolveWhenTokenOverMaximumLengthThenTooLong() {
        String tooLong = "a".repeat(BearerTokenResolver.MAX_TOKEN_LENGTH + 1);
        assertMalformed(BearerTokenResolver.TOO_LONG, resolver.resolve("Bearer " + tooLong));
    }

    @Test
    void resolveWhenUnicodeWhitespaceAroundTheTokenThenStrippedLikeStringStrip() {
        // After the one required space, any Character.isWhitespace run is skipped; trailing ones are dropped.
        assertEquals(new BearerResolution.Token(TOKEN), resolver.resolve("Bearer \u2003\t" + TOKEN + "\u3000\u2028"));
        assertEquals(new BearerResolution.Token(TOKEN), resolver.resolve("\u001f Bearer " + TOKEN));
    }

    @Test
    void resolveWhenNoBreakSpaceAfterSchemeThenAbsent() {
        // U+00A0 is not whitespace for Character.isWhitespace: "Bearer\u00a0..." is another scheme.
        assertInstanceOf(BearerResolution.Absent.class, resolver.resolve("Bearer\u00a0" + TOKEN));
    }

    @Test
    void resolveWhenTrailingSpacesAfterLongestTokenThenToken() {
        String longest = "a".repeat(BearerTokenResolver.MAX_TOKEN_LENGTH);
        assertEquals(new BearerResolution.Token(longest), resolver.resolve("Bearer   " + longest + "     "));
    }

    @Test
    void resolveWhenTooLongAndTwoTokensThenTooLongFirst() {
        String tooLong = "a".repeat(BearerTokenResolver.MAX_TOKEN_LENGTH) + " b";
        assertMalformed(BearerTokenResolver.TOO_LONG, resolver.resolve("Bearer " + tooLong));
    }

    @Test
    void resolveWhenTwoTokensAndBadCharactersThenTwoTokensFirst() {
        assertMalformed(BearerTokenResolver.TWO_TOKENS, resolver.resolve("Bearer a! b"));
    }

    @Test
    void resolveWhenPaddingEdgesThenOnlyTrailingPaddingAfterOneCharacter() {
        assertEquals(new BearerResolution.Token("a"), resolver.resolve("Bearer a"));
        assertEquals(new BearerResolution.Token("a="), resolver.resolve("Bearer a="));
        assertMalformed(BearerTokenResolver.BAD_CHARACTERS, resolver.resolve("Bearer =a"));
        assertMalformed(BearerTokenResolver.BAD_CHARACTERS, resolver.resolve("Bearer a==b"));
        assertMalformed(BearerTokenResolver.BAD_CHARACTERS, resolver.resolve("Bearer a\u00e9"));
    }

    @Test
    void resolveWhenSchemeShorterOrSeparatorMissingThenAbsentOrEmpty() {
        assertInstanceOf(BearerResolution.Absent.class, resolver.resolve("Beare"));
        assertInstanceOf(BearerResolution.Absent.class, resolver.resolve("  Beare  "));
        assertMalformed(BearerTokenResolver.EMPTY_TOKEN, resolver.resolve("  bEaReR \t "));
    }

    @Test
    void resolveWhenSecondAuthorizationHeaderIsEmptyThenTwoHeaders() {
        assertMalformed(BearerTokenResolver.TWO_HEADERS,
                resolve(FakeRequest.get("/x").bearer(TOKEN).header("Authorization", "")));
    }

    @Test
    void tokenToStringThenRedacted() {
        assertFalse(new BearerResolution.Token(TOKEN).toString().contains(TOKEN));
    }

    @Test
    void descriptionsThenValidErrorDescriptionsWithoutToken() {
        for (String description : new String[] {BearerTokenResolver.EMPTY_TOKEN, BearerTokenResolver.BAD_CHARACTERS,
            BearerTokenResolver.TWO_TOKENS, BearerTokenResolver.TWO_HEADERS, BearerTokenResolver.TOO_LONG}) {
            assertEquals(400, BearerErrors.invalidRequest(description).status());
        }
    }
}
