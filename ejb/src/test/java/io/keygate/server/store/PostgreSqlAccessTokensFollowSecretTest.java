package io.keygate.server.store;

/** Access tokens following their secret, on PostgreSQL (127.0.0.1:5432, database test). */
class PostgreSqlAccessTokensFollowSecretTest extends AccessTokensFollowSecretTest {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
