package io.keygate.it;

/**
 * Two Payara Micro servers each with {@code --nocluster}, on one MariaDB database: every row of
 * {@link ClusterRows}, with the database as the only thing the servers share.
 */
class DatabaseClusterIT extends ClusterRows {

    @Override
    String setup() {
        return "mariadb+database";
    }

    @Override
    ScratchDatabase.Kind databaseKind() {
        return ScratchDatabase.Kind.MARIADB;
    }

    @Override
    boolean clustered() {
        return false;
    }
}
