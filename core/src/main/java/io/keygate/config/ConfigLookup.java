package io.keygate.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Reads a configuration key through the server's MicroProfile Config where the server offers it, and the way
 * MicroProfile Config would where it does not (Jakarta EE 10 does not include it, and the filter jar may have no
 * runtime dependency beyond the Jakarta EE APIs).
 *
 * <p>Sources, highest precedence first:
 * <ol>
 * <li>the server's MicroProfile Config ({@link MicroProfileConfig}, by reflection), with every source it has in
 * the order of their ordinals: on Payara its config properties ({@code asadmin set-config-property}) too;</li>
 * </ol>
 * then, for what MicroProfile Config has no value of (it has none without MicroProfile Config, and it counts a
 * blank value as none), Keygate's own reading of the default sources, with the ordinals of MicroProfile Config
 * 3.1, section "Default ConfigSources":
 * <ol>
 * <li>Java system properties (ordinal 400);</li>
 * <li>environment variables (ordinal 300), with the MicroProfile mapping: the exact name, then every
 * character that is not {@code [A-Za-z0-9]} replaced by {@code _}, then that upper-cased, so
 * {@code keygate.public-paths} is also found as {@code KEYGATE_PUBLIC_PATHS};</li>
 * <li>every {@code META-INF/microprofile-config.properties} the class loader sees, each with its
 * {@code config_ordinal} (default 100; a value that is not an integer counts as 100), higher first and, on
 * equal ordinals, in the class loader's order;</li>
 * <li>the fallback, such as {@code ServletContext::getInitParameter}, so {@code web.xml} is the weakest.</li>
 * </ol>
 *
 * <p>A blank value is a value: {@code KEYGATE_PUBLIC_PATHS=} stops the search and {@link #get} returns an
 * empty string, so an administrator can blank out what a {@code web.xml} says. What blank means for a key is
 * up to its reader (the filter reads it as "use the default").
 *
 * <pre>
 * ConfigLookup config = ConfigLookup.of(servletContext.getClassLoader(), servletContext::getInitParameter);
 * Optional&lt;String&gt; realm = config.get("keygate.realm");
 * </pre>
 */
public final class ConfigLookup {

    /** Where MicroProfile Config looks for an application's own properties. */
    public static final String PROPERTIES_RESOURCE = "META-INF/microprofile-config.properties";
    /** Property that orders a properties file among the sources. */
    public static final String ORDINAL_KEY = "config_ordinal";

    static final int SYSTEM_PROPERTIES_ORDINAL = 400;
    static final int ENVIRONMENT_ORDINAL = 300;
    static final int DEFAULT_ORDINAL = 100;

    private final UnaryOperator<String> microProfile;
    private final List<Source> sources;
    private final UnaryOperator<String> fallback;

    /**
     * @param loader      whose {@value #PROPERTIES_RESOURCE} files are read, once, now; {@code null} for none
     * @param fallback    asked last, may return {@code null}; {@code null} for none
     * @param environment the environment variables, usually {@link System#getenv()}
     * @param system      the system properties, usually {@link System#getProperties()}, read on every look-up
     * @throws UncheckedIOException when a properties file exists but cannot be read
     */
    public ConfigLookup(ClassLoader loader, UnaryOperator<String> fallback, Map<String, String> environment,
            Properties system) {
        this(null, loader, fallback, environment, system);
    }

    /**
     * As {@link #ConfigLookup(ClassLoader, UnaryOperator, Map, Properties)}, with the server's MicroProfile Config
     * asked first.
     *
     * @param microProfile the server's MicroProfile Config, returning {@code null} for a key it has no value of;
     *                     {@code null} when the server offers none
     */
    public ConfigLookup(UnaryOperator<String> microProfile, ClassLoader loader, UnaryOperator<String> fallback,
            Map<String, String> environment, Properties system) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(system, "system");
        List<Source> all = new ArrayList<>();
        all.add(new Source(SYSTEM_PROPERTIES_ORDINAL, system::getProperty));
        all.add(new Source(ENVIRONMENT_ORDINAL, key -> fromEnvironment(environment, key)));
        all.addAll(propertiesFiles(loader));
        all.sort(Comparator.comparingInt(Source::ordinal).reversed());
        this.microProfile = microProfile;
        this.sources = List.copyOf(all);
        this.fallback = fallback;
    }

    /**
     * A look-up through the MicroProfile Config that the server offers the application of {@code loader}, if any,
     * then over the real environment and system properties.
     */
    public static ConfigLookup of(ClassLoader loader, UnaryOperator<String> fallback) {
        return new ConfigLookup(MicroProfileConfig.of(loader), loader, fallback, System.getenv(),
                System.getProperties());
    }

    /** Whether the server's MicroProfile Config is read (and not only Keygate's own reading of its sources). */
    public boolean readsMicroProfileConfig() {
        return microProfile != null;
    }

    /** The value of {@code key} from the strongest source that has it, blank values included. */
    public Optional<String> get(String key) {
        if (microProfile != null) {
            String value = microProfile.apply(key);
            if (value != null) {
                return Optional.of(value);
            }
        }
        for (Source source : sources) {
            String value = source.lookup().apply(key);
            if (value != null) {
                return Optional.of(value);
            }
        }
        return fallback == null ? Optional.empty() : Optional.ofNullable(fallback.apply(key));
    }

    /** MicroProfile Config's three environment variable names for a key, in the order they are tried. */
    static List<String> environmentNames(String key) {
        StringBuilder sanitized = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            sanitized.append(alphanumeric ? c : '_');
        }
        String underscored = sanitized.toString();
        return List.of(key, underscored, underscored.toUpperCase(Locale.ROOT));
    }

    private static String fromEnvironment(Map<String, String> environment, String key) {
        for (String name : environmentNames(key)) {
            String value = environment.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static List<Source> propertiesFiles(ClassLoader loader) {
        if (loader == null) {
            return List.of();
        }
        List<Source> files = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(PROPERTIES_RESOURCE))) {
                Properties properties = load(url);
                files.add(new Source(ordinalOf(properties), properties::getProperty));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + PROPERTIES_RESOURCE, e);
        }
        return files;
    }

    private static Properties load(URL url) {
        Properties properties = new Properties();
        try (InputStream in = url.openStream();
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + url, e);
        }
        return properties;
    }

    private static int ordinalOf(Properties properties) {
        String ordinal = properties.getProperty(ORDINAL_KEY);
        if (ordinal == null) {
            return DEFAULT_ORDINAL;
        }
        try {
            return Integer.parseInt(ordinal.trim());
        } catch (NumberFormatException e) {
            return DEFAULT_ORDINAL;
        }
    }

    private record Source(int ordinal, UnaryOperator<String> lookup) {
    }
}
