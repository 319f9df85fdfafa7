package io.keygate.server.store;

/** Access tokens following their secret, on MariaDB (127.0.0.1:3306, database test). */
class MariaDbAccessTokensFollowSecretTest extends AccessTokensFollowSecretTest {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
