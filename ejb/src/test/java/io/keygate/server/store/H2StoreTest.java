package io.keygate.server.store;

/** The store's tests on in-memory H2. */
class H2StoreTest extends StoreTest {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
