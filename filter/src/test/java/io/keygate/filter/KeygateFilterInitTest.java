package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.testing.FakeRequest;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the server starts the filter: public constructor, {@code init(FilterConfig)}, web.xml parameters. */
class KeygateFilterInitTest {

    private final List<String> contextLog = new ArrayList<>();

    private FilterConfig config(Map<String, String> contextParams, Map<String, String> filterParams) {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "getInitParameter": return contextParams.get((String) args[0]);
                        case "getContextPath": return "/sample";
                        case "getClassLoader": return getClass().getClassLoader();
                        case "log": contextLog.add((String) args[0]); return null;
                        default: throw new UnsupportedOperationException(m.getName());
                    }
                });
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "keygate";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return filterParams.get(name);
            }

            @Override
            public java.util.Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(filterParams.keySet());
            }
        };
    }

    @Test
    void initWhenContextParametersThenFilterUsesThem() throws Exception {
        KeygateFilter filter = new KeygateFilter();
        filter.init(config(Map.of("keygate.public-paths", "/public/*", "keygate.realm", "Sample"), Map.of()));
        try {
            RecordingChain chain = new RecordingChain();
            filter.doFilter(FakeRequest.get("/public/status").build(), new FakeResponse().build(), chain);
            assertTrue(chain.passed());
            FakeResponse response = new FakeResponse();
            filter.doFilter(FakeRequest.get("/api/whoami").build(), response.build(), chain);
            assertEquals("Bearer realm=\"Sample\"", response.header("WWW-Authenticate"));
            assertEquals(1, contextLog.size());
        } finally {
            filter.destroy();
        }
    }

    @Test
    void initWhenFilterParameterThenWinsOverContextParameter() throws Exception {
        KeygateFilter filter = new KeygateFilter();
        filter.init(config(Map.of("keygate.realm", "Context"), Map.of("keygate.realm", "Filter")));
        try {
            FakeResponse response = new FakeResponse();
            filter.doFilter(FakeRequest.get("/api/whoami").build(), response.build(), new RecordingChain());
            assertEquals("Bearer realm=\"Filter\"", response.header("WWW-Authenticate"));
        } finally {
            filter.destroy();
        }
    }

    /**
     * Without a managed thread factory (no JNDI here) the hand-overs still run every second, on daemon threads of the
     * filter's own, never on the server's managed scheduler; {@code destroy()} stops those threads.
     */
    @Test
    void initWithoutManagedThreadFactoryThenHandOversRunOnOwnDaemonThreadsThatDestroyStops() throws Exception {
        KeygateFilter filter = new KeygateFilter();
        filter.init(config(Map.of(), Map.of()));
        List<Thread> jobs;
        try {
            jobs = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("keygate-filter-jobs-")).toList();
            assertEquals(FilterJobs.THREADS, jobs.size(), "both hand-overs are scheduled: " + jobs);
            assertTrue(jobs.stream().allMatch(Thread::isDaemon), "never keeps a JVM from stopping");
        } finally {
            filter.destroy();
        }
        for (Thread thread : jobs) {
            thread.join(2000);
            assertFalse(thread.isAlive(), thread + " outlived destroy()");
        }
    }

    @Test
    void initWhenBadValueThenServletExceptionNamingKeyAndValue() {
        KeygateFilter filter = new KeygateFilter();
        ServletException e = assertThrows(ServletException.class,
                () -> filter.init(config(Map.of("keygate.require-https", "maybe"), Map.of())));
        assertEquals("Invalid Keygate configuration keygate.require-https=\"maybe\": expected true or false",
                e.getMessage());
    }

    @Test
    void webFragmentThenRegistersKeygateFilterOnEveryRequest() throws Exception {
        String xml;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/web-fragment.xml")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(xml.contains("<filter-class>" + KeygateFilter.class.getName() + "</filter-class>"));
        assertTrue(xml.contains("<url-pattern>/*</url-pattern>"));
        assertTrue(Filter.class.isAssignableFrom(KeygateFilter.class));
        KeygateFilter.class.getConstructor().newInstance();
    }

    @Test
    void initWhenPropertiesFileUnreadableThenServletException() {
        ClassLoader broken = new ClassLoader(null) {
            @Override
            public java.util.Enumeration<java.net.URL> getResources(String name) throws IOException {
                throw new IOException("disk on fire");
            }
        };
        KeygateFilter filter = new KeygateFilter();
        FilterConfig base = config(Map.of(), Map.of());
        ServletContext context = (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, m, args) -> m.getName().equals("getClassLoader")
                        ? broken : m.invoke(base.getServletContext(), args));
        FilterConfig config = new FilterConfig() {
            @Override
            public String getFilterName() {
                return "keygate";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return null;
            }

            @Override
            public java.util.Enumeration<String> getInitParameterNames() {
                return Collections.emptyEnumeration();
            }
        };
        ServletException e = assertThrows(ServletException.class, () -> filter.init(config));
        assertTrue(e.getMessage().contains("microprofile-config.properties"), e.getMessage());
    }
}
