package io.keygate.filter;

import io.keygate.protocol.Verdict;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures the memory of a full verdict cache with JOL (the object graph, as laid out by this JVM), and prints
 * it per entry: valid entries as the verifier returns them (every string a fresh object, as a local EJB call
 * hands them over) and refusals.
 *
 * <pre>
 * java -cp bench/hotpath/target/benchmarks.jar io.keygate.filter.CacheFootprint
 * </pre>
 */
public final class CacheFootprint {

    private CacheFootprint() {
    }

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : CacheSettings.DEFAULT_MAX_ENTRIES;
        SecureRandom random = new SecureRandom();
        long now = System.currentTimeMillis();
        VerdictCache empty = new VerdictCache(CacheSettings.DEFAULT);
        long emptySize = GraphLayout.parseInstance(empty).totalSize();

        VerdictCache valid = new VerdictCache(CacheSettings.DEFAULT);
        for (int i = 0; i < entries; i++) {
            VerificationResult answer = VerificationResult.of(Verdict.fromWire(Map.of("result", "valid",
                    "tenant", new String("acme-corp"), "tokenId", String.format("tok_%024x", i),
                    "tokenName", new String("Website Integration"), "principal", new String("alice@acme.example"),
                    "scopes", List.of(new String("read"), new String("write")), "expiresAt", now + 86_400_000L))
                    .orElseThrow());
            valid.remember(TokenHash.of(TokenFormat.generate(random)), answer, now);
        }
        long validSize = GraphLayout.parseInstance(valid).totalSize() - emptySize;

        VerdictCache refused = new VerdictCache(CacheSettings.DEFAULT);
        List<String> keep = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            String hash = TokenHash.of(TokenFormat.generate(random));
            keep.add(hash);
            refused.remember(hash, new VerificationResult.Invalid(), now);
        }
        long refusedSize = GraphLayout.parseInstance(refused).totalSize() - emptySize;

        System.out.printf("valid entries:   %d, %d bytes, %d bytes per entry%n", valid.validEntries(), validSize,
                validSize / valid.validEntries());
        System.out.printf("refused entries: %d, %d bytes, %d bytes per entry%n", refused.refusedEntries(), refusedSize,
                refusedSize / refused.refusedEntries());
        System.out.printf("both maps full (%d + %d): %.1f MiB%n", entries, entries,
                (validSize + refusedSize) / 1024.0 / 1024.0);
    }
}
