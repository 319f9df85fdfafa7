package io.keygate.server.cluster;

import io.keygate.server.BackgroundJobs;
import io.keygate.server.store.ClusterMessages;
import io.keygate.server.store.Database;
import io.keygate.server.store.StoreSettings;
import io.keygate.server.verify.ChangeLog;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The one {@link ClusterChannel} of this {@code keygate.war}, on the engine {@code keygate.cluster.engine} chose
 * ({@link ClusterSettings#choose}), and the {@link ClusterChanges} that send every change through it; both produced
 * as plain objects. Opened when {@code ServerLifecycle} starts, after the store connected (the database engine
 * reads its table), which also closes the channel, after the change log is retired and before the store closes.
 * The choice is logged once.
 */
@ApplicationScoped
public class ClusterParts {

    private static final Logger LOG = Logger.getLogger(ClusterParts.class.getName());

    @Inject
    private ClusterSettings settings;

    @Inject
    private StoreSettings store;

    @Inject
    private Database database;

    @Inject
    private ChangeLog changes;

    @Inject
    private BackgroundJobs jobs;

    private ClusterChannel channel;
    private ClusterChanges clusterChanges;

    @PostConstruct
    void open() {
        boolean wantsGrid = settings.engine() == ClusterSettings.Engine.AUTO
                || settings.engine() == ClusterSettings.Engine.HAZELCAST;
        PayaraGrid grid = wantsGrid ? PayaraGrid.find() : new PayaraGrid(null, false, "not looked for");
        ClusterSettings.Engine engine = settings.choose(grid.present(), grid.clusters(), grid.absent(),
                store.isServerDatabase());
        String why = settings.engine() == ClusterSettings.Engine.AUTO ? "" : " (" + ClusterSettings.ENGINE + "="
                + settings.engine().name().toLowerCase(Locale.ROOT) + ")";
        switch (engine) {
            case HAZELCAST -> {
                channel = grid.join();
                LOG.info("Keygate shares changes with other servers through Payara's Hazelcast data grid ("
                        + grid.members() + (grid.members() == 1 ? " server" : " servers") + " now)" + why);
            }
            case DATABASE -> {
                channel = openDatabaseChannel();
                LOG.info("Keygate shares changes with other servers through its database (" + store.describe()
                        + "), read every " + settings.pollMillis() + " ms"
                        + (why.isEmpty() ? ": " + grid.absent() : why));
            }
            default -> {
                channel = new SoloChannel();
                LOG.info("Keygate shares changes with no other server" + (why.isEmpty()
                        ? ": " + (grid.absent() == null ? "" : grid.absent() + ", and ") + "its store is not a"
                                + " database server that several servers share (" + store.describe() + ")"
                        : why));
            }
        }
        clusterChanges = new ClusterChanges(changes, channel);
    }

    private ClusterChannel openDatabaseChannel() {
        try {
            return DatabaseChannel.start(new ClusterMessages(database, Clock.systemUTC()), store.describe(),
                    jobs.scheduler(), settings.pollMillis());
        } catch (RuntimeException e) {
            throw new IllegalStateException("Keygate cannot share changes through its database (" + store.describe()
                    + "): the table KG_CLUSTER_MESSAGE cannot be read (" + e.getMessage() + "); with "
                    + StoreSettings.CREATE_SCHEMA + "=false, create it as docs/schema/<database>.sql says", e);
        }
    }

    /** The channel, the same object for every caller. */
    @Produces
    public ClusterChannel channel() {
        return channel;
    }

    /** Every change of a token or a tenant, told to this server's filters and to the other servers'. */
    @Produces
    public ClusterChanges changes() {
        return clusterChanges;
    }
}
