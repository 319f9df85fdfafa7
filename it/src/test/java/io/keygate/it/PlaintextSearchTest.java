package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.keygate.token.TokenFormat;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PlaintextSearch} finds what {@link NoPlaintextIT} must not find, in every shape a leak could take. */
class PlaintextSearchTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final String token = TokenFormat.generate(RANDOM);
    private final String admin = "it-admin-token-0123456789abcdefghijklmnopqrstuvwxyz";
    private final PlaintextSearch search = new PlaintextSearch(PlaintextSearch.STORED).add("the token", token)
            .add("the admin token", admin);

    @Test
    void findsAWholeTokenAndNamesItWithoutShowingIt() {
        List<String> findings = search.findIn("the log", "line one\n[INFO] Authorization: Bearer " + token + "\n");

        assertEquals(List.of("the token in line 2 of the log"), findings);
        assertFalse(findings.toString().contains(token.substring(3, 3 + PlaintextSearch.STORED)));
    }

    @Test
    void findsATokenCutShortOrWithAnotherChecksumOrInsideOtherText() {
        assertEquals(1, search.findIn("a", "token=" + token.substring(0, 20) + "...").size(), "cut short");
        assertEquals(1, search.findIn("a", "token=" + token.substring(0, PlaintextSearch.STORED)).size(),
                "one character more than a listing's prefix");
        assertEquals(1, search.findIn("b", token.substring(0, 36) + "zzzzzz").size(), "checksum changed");
        assertEquals(1, search.findIn("c", "x" + token.substring(10) + "y").size(), "without its prefix");
        assertEquals(1, search.findIn("d", "{\"owner\":\"" + token + "\"}").size(), "in JSON");
    }

    @Test
    void anExcerptOfTheAdminApiIsNoFindingInAnswers() {
        String excerpt = token.substring(0, PlaintextSearch.ANSWERS - 1) + "...";
        assertEquals(List.of(), new PlaintextSearch(PlaintextSearch.ANSWERS).add("the token", token)
                .findIn("an answer", "Unknown scope '" + excerpt + "'"));
        assertEquals(1, new PlaintextSearch(PlaintextSearch.ANSWERS).add("the token", token)
                .findIn("an answer", "There is no token '" + token + "' here").size());
    }

    @Test
    void aListingPrefixOrAHashIsNoFinding() {
        String prefix = TokenFormat.displayPrefix(token);
        String hash = io.keygate.token.TokenHash.of(token);

        assertEquals(List.of(), search.findIn("the dump", "prefix " + prefix + " hash " + hash));
    }

    @Test
    void findsOtherSecretsWholeOnly() {
        assertEquals(List.of("the admin token in line 1 of the env"), search.findIn("the env", "KEYGATE_ADMIN_TOKEN="
                + admin));
        assertEquals(List.of(), search.findIn("a listing", "0123456789abcdefghijklmnopqrstuvwxyz"),
                "the fixed admin token is looked for whole: its pieces are common text");
    }
}
