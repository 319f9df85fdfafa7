package io.keygate.server.store;

/** The bootstrap admin tokens' tests on MariaDB (127.0.0.1:3306, database test). */
class MariaDbBootstrapAdminStoreTest extends BootstrapAdminStoreTest {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
