package io.keygate.server.store;

/** Two servers' database channels on in-memory H2. */
class H2DatabaseChannelTest extends DatabaseChannelTest {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
