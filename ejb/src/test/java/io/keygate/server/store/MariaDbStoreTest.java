package io.keygate.server.store;

/** The store's tests on MariaDB (127.0.0.1:3306, database test). */
class MariaDbStoreTest extends StoreTest {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
