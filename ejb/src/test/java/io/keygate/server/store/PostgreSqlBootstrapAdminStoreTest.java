package io.keygate.server.store;

/** The bootstrap admin tokens' tests on PostgreSQL (127.0.0.1:5432, database test). */
class PostgreSqlBootstrapAdminStoreTest extends BootstrapAdminStoreTest {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
