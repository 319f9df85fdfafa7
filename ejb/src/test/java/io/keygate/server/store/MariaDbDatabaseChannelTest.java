package io.keygate.server.store;

/** Two servers' database channels on MariaDB (127.0.0.1:3306, database test). */
class MariaDbDatabaseChannelTest extends DatabaseChannelTest {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
