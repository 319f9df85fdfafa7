package io.keygate.server.store;

import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Keygate's persistence unit, described in code instead of {@code META-INF/persistence.xml}.
 *
 * <p>Why not the descriptor: the server would bootstrap a descriptor's unit itself, against its default data
 * source, before Keygate has read its configuration. Handing this description to the provider
 * ({@link jakarta.persistence.spi.PersistenceProvider#createContainerEntityManagerFactory}) lets the store be
 * chosen by configuration alone (a JDBC URL or a server data source), the same way on every server.
 *
 * <p>The unit is resource-local: every store operation is one short transaction of its own, and the shared
 * (second-level) cache is off, so a revocation written by one server is seen by the next read on any server.
 */
final class KeygatePersistenceUnit implements PersistenceUnitInfo {

    static final String NAME = "keygate";

    private static final List<String> ENTITIES = List.of(
            Tenant.class.getName(), ApiToken.class.getName(), AuditEvent.class.getName(),
            ClusterMessageRow.class.getName(),
            InstantMillisConverter.class.getName(), ScopeSetConverter.class.getName());

    private final DataSource dataSource;

    /** @param dataSource a server data source, or {@code null} to use the JDBC properties */
    KeygatePersistenceUnit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public String getPersistenceUnitName() {
        return NAME;
    }

    /** The provider {@link Database#provider()} instantiates: EclipseLink on every server. */
    @Override
    public String getPersistenceProviderClassName() {
        return org.eclipse.persistence.jpa.PersistenceProvider.class.getName();
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
        return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public DataSource getJtaDataSource() {
        return null;
    }

    @Override
    public DataSource getNonJtaDataSource() {
        return dataSource;
    }

    @Override
    public List<String> getMappingFileNames() {
        return List.of();
    }

    @Override
    public List<URL> getJarFileUrls() {
        return List.of();
    }

    /**
     * The folder or jar that holds the entity classes, derived from where {@link Tenant} was loaded: a server's
     * code source location is not always an archive the provider can open.
     */
    @Override
    public URL getPersistenceUnitRootUrl() {
        String resource = Tenant.class.getName().replace('.', '/') + ".class";
        String url = getClassLoader().getResource(resource).toExternalForm();
        try {
            return new URL(url.substring(0, url.length() - resource.length()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot locate the Keygate entities", e);
        }
    }

    @Override
    public List<String> getManagedClassNames() {
        return ENTITIES;
    }

    @Override
    public boolean excludeUnlistedClasses() {
        return true;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
        return SharedCacheMode.NONE;
    }

    @Override
    public ValidationMode getValidationMode() {
        return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
        return new Properties();
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
        return "3.0";
    }

    @Override
    public ClassLoader getClassLoader() {
        return KeygatePersistenceUnit.class.getClassLoader();
    }

    /** No byte-code weaving: the entities have no lazy relations that would need it. */
    @Override
    public void addTransformer(ClassTransformer transformer) {
        // Deliberately ignored, see above.
    }

    @Override
    public ClassLoader getNewTempClassLoader() {
        return getClassLoader();
    }
}
