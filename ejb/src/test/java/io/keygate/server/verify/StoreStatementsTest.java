package io.keygate.server.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.stats.StoreStatements;
import io.keygate.server.store.Database;
import io.keygate.server.store.StoreSettings;
import io.keygate.server.store.TenantStore;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.UsageWrites;
import io.keygate.server.usage.UsageCounter;
import io.keygate.token.TokenHash;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The statement counter behind {@code GET /stats}, on the real provider (EclipseLink) and H2. */
class StoreStatementsTest {

    private Database db;
    private TokenStore tokens;
    private String token;

    @BeforeEach
    void open() {
        String url = "jdbc:h2:mem:statements" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        db = new Database(StoreSettings.from(key -> StoreSettings.DB_URL.equals(key) ? Optional.of(url) : Optional.empty()));
        db.connect();
        new TenantStore(db, Clock.systemUTC()).create("acme", "Acme", null);
        tokens = new TokenStore(db, Clock.systemUTC());
        token = tokens.issue("acme", new TokenDetails("ci", null, Set.of("read"), null)).orElseThrow().plaintext();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void verifyCountsItsQueriesAndUsageWritesCountAsStatementsOnly() {
        assertTrue(StoreStatements.installed());
        long statements = StoreStatements.statements();
        long queries = StoreStatements.queries();

        tokens.verify(TokenHash.of(token));
        long verifyQueries = StoreStatements.queries() - queries;
        assertTrue(verifyQueries >= 1 && verifyQueries <= 2, "token row, and its tenant: " + verifyQueries);
        assertEquals(verifyQueries, StoreStatements.statements() - statements, "a verify writes nothing");

        long beforeWrite = StoreStatements.queries();
        long beforeWriteStatements = StoreStatements.statements();
        String id = tokens.list("acme", 1, null).items().get(0).getId();
        long listQueries = StoreStatements.queries() - beforeWrite;
        UsageCounter usage = new UsageCounter();
        usage.record(id, Instant.now());
        usage.flushTo(new UsageWrites(db)::add);
        assertEquals(beforeWrite + listQueries, StoreStatements.queries(), "the usage write is no query");
        assertTrue(StoreStatements.statements() - beforeWriteStatements > listQueries, "but it is a statement");
        assertEquals(1, tokens.find("acme", id).map(t -> t.getUsageCount()).orElseThrow());
    }
}
