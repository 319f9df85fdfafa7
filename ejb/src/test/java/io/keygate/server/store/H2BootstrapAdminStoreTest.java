package io.keygate.server.store;

/** The bootstrap admin tokens' tests on H2 (in memory). */
class H2BootstrapAdminStoreTest extends BootstrapAdminStoreTest {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
