package io.keygate.server.cluster;

import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The engine of servers in one Payara data grid: every message is published on the Hazelcast topic
 * {@value #TOPIC}, which the grid delivers to every member in the order each sent them. The only class of
 * {@code keygate.war} that names a Hazelcast type: it is loaded only after {@link PayaraGrid} found Hazelcast's
 * classes visible, so {@code keygate.war} deploys on a server without them.
 *
 * <p>A message travels as one string, {@code sender \n kind \n body}; a member drops its own. {@link #servers()}
 * counts the grid's members. {@link #close()} removes the listener, which the grid would otherwise keep, and with it
 * this {@code keygate.war}'s class loader, after an undeploy.
 */
final class HazelcastChannel implements ClusterChannel {

    static final String TOPIC = "keygate.cluster";
    static final long DELIVERY_MILLIS = 10;
    /** Payara's own discovery, the one way of joining it configures when clustering is off. */
    private static final String DOMAIN_DISCOVERY = "fish.payara.nucleus.hazelcast.DomainDiscoveryStrategy";

    private final String serverId = UUID.randomUUID().toString();
    private final HazelcastInstance hazelcast;
    private final ITopic<String> topic;
    private final Receivers receivers = new Receivers();
    private final ChannelHealth health = new ChannelHealth("Payara's Hazelcast data grid");
    private final UUID listener;

    private HazelcastChannel(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.topic = hazelcast.getTopic(TOPIC);
        this.listener = topic.addMessageListener(this::onMessage);
    }

    /** Whether {@code instance}, found in JNDI, is a Hazelcast instance that runs. */
    static boolean isRunning(Object instance) {
        return instance instanceof HazelcastInstance hazelcast && hazelcast.getLifecycleService().isRunning();
    }

    /**
     * Whether the grid of {@code instance} is set up to find other servers, or found some. Payara runs its
     * Hazelcast even when clustering is off (Payara Micro's {@code --nocluster}); it then joins through Payara's
     * domain discovery alone, which finds nobody on a Payara Micro, and through which a Payara Server instance finds
     * its domain's administration server (so, two members at least). Any other way of joining (multicast,
     * {@code tcpip}, a cloud's discovery) means clustering is on.
     */
    static boolean clusters(Object instance) {
        HazelcastInstance hazelcast = (HazelcastInstance) instance;
        if (hazelcast.getCluster().getMembers().size() > 1) {
            return true;
        }
        JoinConfig join = hazelcast.getConfig().getNetworkConfig().getJoin();
        return join.getMulticastConfig().isEnabled() || join.getTcpIpConfig().isEnabled()
                || join.getAwsConfig().isEnabled() || join.getGcpConfig().isEnabled()
                || join.getAzureConfig().isEnabled() || join.getKubernetesConfig().isEnabled()
                || join.getEurekaConfig().isEnabled()
                || join.getDiscoveryConfig().getDiscoveryStrategyConfigs().stream()
                        .anyMatch(strategy -> !DOMAIN_DISCOVERY.equals(strategy.getClassName()));
    }

    /** How many members the grid of {@code instance} has now. */
    static int members(Object instance) {
        return ((HazelcastInstance) instance).getCluster().getMembers().size();
    }

    /** Joins the topic of the grid {@code instance} (a running {@link HazelcastInstance}). */
    static ClusterChannel attach(Object instance) {
        return new HazelcastChannel((HazelcastInstance) instance);
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public String engine() {
        return "hazelcast";
    }

    /** A topic message reaches the other members in a millisecond or two on a LAN; later lets a limit overshoot. */
    @Override
    public long deliveryMillis() {
        return DELIVERY_MILLIS;
    }

    /** The grid's members, this one included; at least 1. */
    @Override
    public int servers() {
        try {
            return Math.max(1, hazelcast.getCluster().getMembers().size());
        } catch (RuntimeException e) {
            return 1; // the grid is shutting down
        }
    }

    /** Publishes the message; a failure is logged, never thrown. */
    @Override
    public void send(ClusterMessage message) {
        try {
            topic.publish(message.sender() + '\n' + message.kind() + '\n' + message.body());
            health.succeeded();
        } catch (RuntimeException e) {
            health.failed("send to the other servers", e);
        }
    }


    @Override
    public void receive(String kind, Consumer<ClusterMessage> receiver) {
        receivers.set(kind, receiver);
    }

    @Override
    public void close() {
        try {
            topic.removeMessageListener(listener);
        } catch (RuntimeException e) {
            // the grid is gone already, and the listener with it
        }
        receivers.clear();
    }

    private void onMessage(Message<String> message) {
        String text = message.getMessageObject();
        int first = text.indexOf('\n');
        int second = first < 0 ? -1 : text.indexOf('\n', first + 1);
        if (second < 0) {
            return; // not one of Keygate's
        }
        String sender = text.substring(0, first);
        if (!sender.equals(serverId)) {
            receivers.deliver(new ClusterMessage(sender, text.substring(first + 1, second), text.substring(second + 1)));
        }
    }
}
