package io.keygate.it;

/**
 * Two Payara Micro servers clustered by Hazelcast on loopback, on one PostgreSQL schema: every row of
 * {@link ClusterRows}.
 */
class HazelcastClusterIT extends ClusterRows {

    @Override
    String setup() {
        return "postgresql+hazelcast";
    }

    @Override
    ScratchDatabase.Kind databaseKind() {
        return ScratchDatabase.Kind.POSTGRESQL;
    }

    @Override
    boolean clustered() {
        return true;
    }
}
