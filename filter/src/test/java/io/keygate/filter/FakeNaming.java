package io.keygate.filter;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.naming.Context;
import javax.naming.NameNotFoundException;

/** A naming context that knows a few names and records every name looked up, for the locator's tests. */
final class FakeNaming {

    final List<String> names = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Object> bound;

    FakeNaming(Map<String, Object> bound) {
        this.bound = bound;
    }

    /** A new context over the bound names: {@code lookup(String)} and {@code close()} only. */
    Context context() {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "lookup" -> {
                        String name = args[0].toString();
                        names.add(name);
                        Object found = bound.get(name);
                        if (found == null) {
                            throw new NameNotFoundException(name);
                        }
                        yield found;
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
