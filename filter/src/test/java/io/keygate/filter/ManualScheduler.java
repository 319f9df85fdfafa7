package io.keygate.filter;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} whose tasks run only when the test says {@link #tick()}: tasks to run at once
 * ({@code execute}) first, then the periodic ones.
 */
final class ManualScheduler {

    final List<Runnable> tasks = new ArrayList<>();
    final List<Runnable> once = new ArrayList<>();
    /** The delay between two runs of each periodic task, in milliseconds, in the order they were scheduled. */
    final List<Long> delaysMillis = new ArrayList<>();
    int cancelled;

    ScheduledExecutorService service() {
        return (ScheduledExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ScheduledExecutorService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("execute")) {
                        once.add((Runnable) args[0]);
                        return null;
                    }
                    if (!method.getName().equals("scheduleWithFixedDelay")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    tasks.add((Runnable) args[0]);
                    delaysMillis.add(((TimeUnit) args[3]).toMillis((Long) args[2]));
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ScheduledFuture.class},
                            (future, m, a) -> {
                                if (m.getName().equals("cancel")) {
                                    cancelled++;
                                    return true;
                                }
                                throw new UnsupportedOperationException(m.getName());
                            });
                });
    }

    /** Runs every scheduled task once, as the scheduler would after its delay. */
    void tick() {
        runSoon();
        tasks.forEach(Runnable::run);
    }

    /** Runs only the tasks given to run at once ({@code execute}), as the scheduler would before any delay ends. */
    void runSoon() {
        List<Runnable> now = new ArrayList<>(once);
        once.clear();
        now.forEach(Runnable::run);
    }
}
