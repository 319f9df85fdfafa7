package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.spi.PersistenceProvider;
import jakarta.persistence.spi.PersistenceProviderResolver;
import jakarta.persistence.spi.PersistenceProviderResolverHolder;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store runs on EclipseLink whatever provider the server lists first: WildFly lists Hibernate, which would
 * ignore every {@code eclipselink.*} property Keygate relies on (schema creation, fail-fast connections, its log).
 */
class ProviderChoiceTest {

    @AfterEach
    void restoreTheResolver() {
        PersistenceProviderResolverHolder.setPersistenceProviderResolver(null);
    }

    @Test
    void eclipseLinkIsUsedEvenWhenTheServerListsAnotherProviderFirst() {
        PersistenceProvider other = (PersistenceProvider) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PersistenceProvider.class}, (proxy, method, args) -> {
                    throw new AssertionError("the server's first provider was asked: " + method.getName());
                });
        PersistenceProviderResolverHolder.setPersistenceProviderResolver(new PersistenceProviderResolver() {
            @Override
            public List<PersistenceProvider> getPersistenceProviders() {
                return List.of(other);
            }

            @Override
            public void clearCachedProviders() {
                // nothing cached
            }
        });
        StoreSettings settings = StoreSettings.from(key -> Optional.ofNullable(Map.of(
                StoreSettings.DB_URL, "jdbc:h2:mem:provider-choice;DB_CLOSE_DELAY=-1").get(key)));

        try (Database database = new Database(settings)) {
            database.connect();
            assertTrue(database.factory().getClass().getName().startsWith("org.eclipse.persistence."),
                    database.factory().getClass().getName());
            assertEquals(Long.valueOf(0), database.<Long>read(em -> em.createQuery("SELECT COUNT(t) FROM Tenant t", Long.class)
                    .getSingleResult()));
        }
    }
}
