package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/**
 * {@link KeygateOnPostgres.Configured}: a class that needs the tests' own server on PostgreSQL runs where it is
 * configured, is skipped in the executions that only run it because {@code -Dit.test} named it, and fails, rather
 * than vanishing as a skip, when CI requires the databases and its own execution lost the configuration.
 */
class KeygateOnPostgresConfiguredTest {

    @Test
    void portSetThenRuns() {
        assertFalse(KeygateOnPostgres.Configured.evaluate("18701", null, "true").isDisabled());
        assertFalse(KeygateOnPostgres.Configured.evaluate("18701", "StoreOutageIT", null).isDisabled());
    }

    @Test
    void portMissingAndDatabasesRequiredThenFails() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> KeygateOnPostgres.Configured.evaluate(null, null, "true"));

        assertTrue(failure.getMessage().contains("keygate.it.outage.port"), failure.getMessage());
        assertTrue(failure.getMessage().contains("KEYGATE_REQUIRE_DATABASES=true"), failure.getMessage());
        assertThrows(IllegalStateException.class, () -> KeygateOnPostgres.Configured.evaluate(" ", null, "TRUE"));
    }

    @Test
    void portMissingWithoutRequirementThenSkippedWithTheReason() {
        ConditionEvaluationResult result = KeygateOnPostgres.Configured.evaluate(null, null, null);

        assertTrue(result.isDisabled());
        assertTrue(result.getReason().orElse("").contains("KEYGATE_REQUIRE_DATABASES=true makes this a failure"),
                result::toString);
        assertTrue(KeygateOnPostgres.Configured.evaluate(null, null, "false").isDisabled());
    }

    @Test
    void portMissingInAnExecutionThatRunsItOnlyForItTestThenSkippedEvenInCi() {
        ConditionEvaluationResult result = KeygateOnPostgres.Configured.evaluate(null, "StoreOutageIT", "true");

        assertTrue(result.isDisabled());
        assertTrue(result.getReason().orElse("").contains("-Dit.test"), result::toString);
    }
}
