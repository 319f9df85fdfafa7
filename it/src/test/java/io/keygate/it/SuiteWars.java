package io.keygate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WARs that classes of the every-server suite ({@link EveryServerIT}) need beside {@code keygate.war} and
 * {@code sample.war}: the server starts once for the run, so it deploys them all at start, each at the context root
 * its file name gives. Written to the folder of the failsafe system property {@code keygate.it.suite-wars}.
 */
final class SuiteWars {

    private SuiteWars() {
    }

    /** Every WAR of the suite but {@code keygate.war}, written afresh: file name to file. */
    static Map<String, Path> export(Path sampleWar) {
        Path folder = Path.of(KeygateIT.requiredProperty("keygate.it.suite-wars"));
        Map<String, Path> wars = new LinkedHashMap<>();
        wars.put("sample.war", sampleWar);
        try {
            Files.createDirectories(folder);
            for (WebArchive war : List.of(ForeignWarIT.war(), FuzzIT.war())) {
                Path file = folder.resolve(war.getName());
                war.as(ZipExporter.class).exportTo(file.toFile(), true);
                wars.put(war.getName(), file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the suite's WARs to " + folder, e);
        }
        return wars;
    }
}
