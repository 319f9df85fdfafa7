package io.keygate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.protocol.ChangeSet;
import io.keygate.server.verify.ChangeLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Two servers' change logs joined by {@link ClusterChanges} over linked in-memory channels. */
class ClusterChangesTest {

    private final LinkedChannels cluster = new LinkedChannels();
    private final ClusterChannel channelOne = cluster.join();
    private final ClusterChannel channelTwo = cluster.join();
    private final ChangeLog logOne = new ChangeLog(ChangeLog.CAPACITY);
    private final ChangeLog logTwo = new ChangeLog(ChangeLog.CAPACITY);
    private final ClusterChanges one = new ClusterChanges(logOne, channelOne);
    private final ClusterChanges two = new ClusterChanges(logTwo, channelTwo);

    @Test
    void aRevocationOnOneServerReachesTheFiltersOfTheOther() {
        long before = logTwo.generation().get();

        one.secretChanged("hash-1", "tok_1");

        assertEquals(new ChangeSet(before + 1, List.of("hash-1"), List.of(), List.of("tok_1"), true),
                logTwo.since(before));
        assertEquals(new ChangeSet(1, List.of("hash-1"), List.of(), List.of("tok_1"), true), logOne.since(0));
    }

    @Test
    void everyKindOfChangeArrivesAsItWasMade() {
        one.tokenChanged("hash-admin");
        one.tenantChanged("acme");
        assertEquals(new ChangeSet(2, List.of("hash-admin"), List.of("acme"), List.of(), true), logTwo.since(0));
        two.secretChanged("hash-2", "tok_2");

        assertEquals(new ChangeSet(3, List.of("hash-admin", "hash-2"), List.of("acme"), List.of("tok_2"), true),
                logTwo.since(0));
        assertEquals(new ChangeSet(3, List.of("hash-admin", "hash-2"), List.of("acme"), List.of("tok_2"), true),
                logOne.since(0));
    }

    @Test
    void aReceivedChangeIsNotSentBack() {
        one.secretChanged("hash-1", "tok_1");

        assertEquals(1, cluster.sent().size(), "only the server where the change was made sends it");
        assertEquals(1, logOne.generation().get(), "the change did not come back to the server that made it");
        assertEquals(1, logTwo.generation().get());
    }

    @Test
    void otherKindsAreLeftToTheirOwnReceivers() {
        List<ClusterMessage> counts = new CopyOnWriteArrayList<>();
        channelTwo.receive("counts", counts::add);

        channelOne.send(new ClusterMessage(channelOne.serverId(), "counts", "tok_1=3"));

        assertEquals(0, logTwo.generation().get(), "counts are no change");
        assertEquals(1, counts.size());
    }

    @Test
    void aChangeOfAnUnknownShapeIsIgnored() {
        channelOne.send(new ClusterMessage(channelOne.serverId(), ClusterChanges.KIND, "scope tok_1 read"));
        channelOne.send(new ClusterMessage(channelOne.serverId(), ClusterChanges.KIND, "token"));

        assertEquals(0, logTwo.generation().get());
        two.tenantChanged("acme");
        assertTrue(logOne.since(0).tenants().contains("acme"), "the receiver still works");
    }

    @Test
    void aRetiredLogTakesNoMoreChanges() {
        logTwo.retire();
        one.tokenChanged("hash-1");
        assertTrue(logTwo.isRetired());
    }
}
