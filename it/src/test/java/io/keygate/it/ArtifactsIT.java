package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The two artifacts as a user receives them, after {@code mvn package}: {@code keygate.war} carries the shared
 * kernel ({@code keygate-core}) and not the filter, so no web fragment of the filter is there to be switched off,
 * and it names its module {@code keygate} whatever its file is called; {@code keygate-filter.jar} is one drop-in jar
 * with the kernel inside and nothing but Keygate's own classes (the Jakarta EE APIs come from the server);
 * {@code keygate-wildfly.war} is {@code keygate.war} plus EclipseLink.
 */
@Tag("artifacts")
class ArtifactsIT {

    @Test
    void keygateWarCarriesTheKernelNotTheFilterAndNamesItsModule() throws IOException {
        try (ZipFile war = new ZipFile(System.getProperty("keygate.it.keygate-war"))) {
            List<String> libraries = war.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("WEB-INF/lib/") && name.endsWith(".jar")).toList();
            assertTrue(libraries.stream().anyMatch(name -> name.startsWith("WEB-INF/lib/keygate-core-")), libraries::toString);
            assertFalse(libraries.stream().anyMatch(name -> name.contains("keygate-filter")), libraries::toString);
            String webXml = text(war, "WEB-INF/web.xml");
            assertFalse(webXml.contains("absolute-ordering"), webXml);
            assertTrue(webXml.contains("<module-name>keygate</module-name>"), webXml);
        }
    }

    @Test
    void keygateWarLeavesThePersistenceProviderToTheServer() throws IOException {
        try (ZipFile war = new ZipFile(System.getProperty("keygate.it.keygate-war"))) {
            assertEquals(List.of(), war.stream().map(ZipEntry::getName)
                    .filter(name -> name.contains("org.eclipse.persistence") || name.contains("jboss")).toList());
        }
    }

    /**
     * {@code keygate.war} ships the JDBC drivers of the three supported stores, so that switching store is
     * configuration only, and no jar that nothing loads at run time: {@code checker-qual}, which the PostgreSQL driver
     * depends on for its nullness annotations alone, is in neither WAR.
     */
    @Test
    void warsShipTheJdbcDriversAndNoJarThatNothingLoads() throws IOException {
        try (ZipFile plain = new ZipFile(System.getProperty("keygate.it.keygate-war"));
                ZipFile wildFly = new ZipFile(System.getProperty("keygate.it.wildfly-war"))) {
            assertEquals(List.of("WEB-INF/lib/h2.jar", // versions left out
                    "WEB-INF/lib/keygate-core.jar",
                    "WEB-INF/lib/mariadb-java-client.jar",
                    "WEB-INF/lib/postgresql.jar"), libraries(plain));
            List<String> wildFlyLibraries = libraries(wildFly);
            assertTrue(wildFlyLibraries.containsAll(libraries(plain)), wildFlyLibraries::toString);
            assertFalse(wildFlyLibraries.stream().anyMatch(name -> name.contains("checker-qual")),
                    wildFlyLibraries::toString);
        }
    }

    /**
     * {@code keygate-wildfly.war} is {@code keygate.war} plus EclipseLink, which WildFly does not ship, at context root
     * {@code /keygate} whatever the file is called; no {@code persistence.xml}, so WildFly's JPA subsystem (Hibernate)
     * has no unit to deploy.
     */
    @Test
    void wildFlyWarIsKeygateWarPlusEclipseLink() throws IOException {
        try (ZipFile plain = new ZipFile(System.getProperty("keygate.it.keygate-war"));
                ZipFile wildFly = new ZipFile(System.getProperty("keygate.it.wildfly-war"))) {
            List<String> added = wildFly.stream().map(ZipEntry::getName)
                    .filter(name -> plain.getEntry(name) == null && !name.endsWith("/"))
                    .map(name -> name.replaceAll("-[0-9][^/]*\\.jar$", ".jar")).sorted().toList();
            assertEquals(List.of("WEB-INF/jboss-web.xml", // versions left out
                    "WEB-INF/lib/org.eclipse.persistence.asm.jar",
                    "WEB-INF/lib/org.eclipse.persistence.core.jar",
                    "WEB-INF/lib/org.eclipse.persistence.jpa.jar",
                    "WEB-INF/lib/org.eclipse.persistence.jpa.jpql.jar"), added);
            assertTrue(text(wildFly, "WEB-INF/jboss-web.xml").contains("<context-root>/keygate</context-root>"));
            assertEquals(List.of(), wildFly.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith("persistence.xml")).toList());
        }
    }

    @Test
    void filterJarHoldsTheFilterAndTheKernelAndNothingElse() throws IOException {
        try (ZipFile jar = new ZipFile(System.getProperty("keygate.it.filter-jar"))) {
            List<String> classes = jar.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".class")).toList();
            assertTrue(classes.contains("io/keygate/filter/KeygateFilter.class"));
            assertTrue(classes.contains("io/keygate/token/TokenFormat.class"), "the kernel is shaded in");
            assertTrue(classes.contains("io/keygate/protocol/Verdict.class"), "the kernel is shaded in");
            assertEquals(List.of(), classes.stream().filter(name -> !name.startsWith("io/keygate/")).toList(),
                    "only Keygate's own classes: the filter needs nothing but the Jakarta EE APIs");
            assertTrue(text(jar, "META-INF/web-fragment.xml").contains("KeygateFilter"));
        }
    }

    /** The jars in {@code WEB-INF/lib}, without their versions, sorted. */
    private static List<String> libraries(ZipFile war) {
        return war.stream().map(ZipEntry::getName)
                .filter(name -> name.startsWith("WEB-INF/lib/") && name.endsWith(".jar"))
                .map(name -> name.replaceAll("-[0-9][^/]*\\.jar$", ".jar")).sorted().toList();
    }

    private static String text(ZipFile archive, String name) throws IOException {
        ZipEntry entry = archive.getEntry(name);
        assertTrue(entry != null, name + " is missing");
        try (InputStream in = archive.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
