package io.keygate.it;

import io.keygate.token.TokenFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks for secrets in a text: a server log, a database dump, error answers. A Keygate token is looked for in
 * every run of {@code window} consecutive characters, so that a token cut short, wrapped or with a changed checksum
 * is found too; any other secret (the bootstrap admin token, an HTTP Basic credential) is looked for whole.
 *
 * <p>A finding names the secret and the line, never shows the secret: a failing test must not leak what it
 * protects.
 *
 * <pre>
 * PlaintextSearch search = new PlaintextSearch(PlaintextSearch.STORED);
 * search.add("the reader token", reader.token());
 * assertEquals(List.of(), search.findIn("the server log", Files.readString(log)));
 * </pre>
 */
final class PlaintextSearch {

    /**
     * For logs and the database: one character more than a listing's {@code prefix}, the only part of a token that
     * is no secret (and what the audit log keeps of a failed token). A false match on 9 characters of base62
     * randomness is out of question.
     */
    static final int STORED = TokenFormat.DISPLAY_PREFIX_LENGTH + 1;
    /**
     * For error answers: one character more than the admin API quotes of any client input (12 characters and
     * "...", {@code JsonInput.excerpt}), which answers to the client that sent it.
     */
    static final int ANSWERS = 13;

    private final int window;

    /** Each window of each token, with the name of the token it comes from. */
    private final Map<String, String> windows = new HashMap<>();
    /** Secrets looked for whole, by name. */
    private final Map<String, String> whole = new LinkedHashMap<>();
    private final Set<String> names = new LinkedHashSet<>();

    /** A search for runs of {@code window} characters of a token. */
    PlaintextSearch(int window) {
        this.window = window;
    }

    /** Adds a secret; {@code name} says which one it is in a finding ("the reader token"). */
    PlaintextSearch add(String name, String secret) {
        if (secret == null || secret.length() < window) {
            throw new IllegalArgumentException(name + " is too short to be looked for");
        }
        names.add(name);
        if (TokenFormat.isWellFormed(secret)) {
            for (int i = 0; i + window <= secret.length(); i++) {
                windows.putIfAbsent(secret.substring(i, i + window), name);
            }
        } else {
            whole.put(name, secret);
        }
        return this;
    }

    /** How many secrets are looked for. */
    int size() {
        return names.size();
    }

    /** Where {@code text} holds a secret, one finding per secret and line: "the reader token in line 12 of ...". */
    List<String> findIn(String where, String text) {
        List<String> findings = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            Set<String> found = new LinkedHashSet<>();
            for (int i = 0; i + window <= line.length(); i++) {
                String name = windows.get(line.substring(i, i + window));
                if (name != null) {
                    found.add(name);
                }
            }
            for (Map.Entry<String, String> secret : whole.entrySet()) {
                if (line.contains(secret.getValue())) {
                    found.add(secret.getKey());
                }
            }
            for (String name : found) {
                findings.add(name + " in line " + number + " of " + where);
            }
        }
        return findings;
    }
}
