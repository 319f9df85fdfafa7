package io.keygate.config.fakemp;

import java.util.Map;
import java.util.Optional;

/**
 * Stands in for MicroProfile Config's {@code ConfigProvider} and {@code Config} (same method signatures), so the
 * reflection of {@code MicroProfileConfig} is tested without the API on the test class path, where it would make
 * every other test read through it.
 */
public final class FakeConfigProvider {

    /** What the fake server's MicroProfile Config holds; a key mapped to "throw" makes it fail. */
    public static volatile Map<String, String> values = Map.of();
    /** The class loader the last {@link #getConfig} was asked for. */
    public static volatile ClassLoader askedFor;

    private FakeConfigProvider() {
    }

    public static FakeConfig getConfig(ClassLoader loader) {
        askedFor = loader;
        return new FakeConfig() {
        };
    }

    /** Stands in for {@code org.eclipse.microprofile.config.Config}. */
    public interface FakeConfig {

        default <T> Optional<T> getOptionalValue(String key, Class<T> type) {
            String value = values.get(key);
            if ("throw".equals(value)) {
                throw new IllegalArgumentException("cannot expand ${secret-value}");
            }
            return Optional.ofNullable(value).filter(v -> !v.isEmpty()).map(type::cast);
        }
    }
}
