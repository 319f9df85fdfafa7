package io.keygate.server.store;

/** The store's tests on PostgreSQL (127.0.0.1:5432, database test). */
class PostgreSqlStoreTest extends StoreTest {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
