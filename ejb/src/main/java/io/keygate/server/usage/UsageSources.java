package io.keygate.server.usage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The protected WARs' own tallies of uses not yet handed over, which {@code keygate.war} takes on its way out
 * (see {@code VerifierProtocol.RECORD_USAGE}): a server that stops may stop the verifier before the filters, whose
 * last hand-over would then find nobody to take it.
 *
 * <p>Held weakly: a filter keeps its own source alive while its WAR is deployed, and an undeployed WAR's class
 * loader is never held here.
 */
public final class UsageSources {

    private static final Logger LOG = Logger.getLogger(UsageSources.class.getName());

    private final Set<Supplier<?>> sources = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** Remembers {@code source}; adding it again changes nothing. */
    public void add(Supplier<?> source) {
        sources.add(source);
    }

    /** What every live source gives up now; a source that fails is logged and skipped. */
    public List<Object> takeAll() {
        List<Supplier<?>> live;
        synchronized (sources) {
            live = new ArrayList<>(sources);
            sources.clear();
        }
        List<Object> batches = new ArrayList<>(live.size());
        for (Supplier<?> source : live) {
            try {
                batches.add(source.get());
            } catch (RuntimeException e) {
                LOG.warning("Keygate could not take the uses a protected application still counted: "
                        + e.getClass().getName());
            }
        }
        return batches;
    }

    /** How many sources are known, for tests. */
    public int size() {
        return sources.size();
    }
}
