package io.keygate.server.store;

/** Access tokens following their secret, on in-memory H2. */
class H2AccessTokensFollowSecretTest extends AccessTokensFollowSecretTest {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
