package io.keygate.server.store;

/** Two servers' database channels on PostgreSQL (127.0.0.1:5432, database test). */
class PostgreSqlDatabaseChannelTest extends DatabaseChannelTest {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
