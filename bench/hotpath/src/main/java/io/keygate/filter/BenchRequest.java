package io.keygate.filter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request with what the filter reads, answered by plain overrides (no reflection on the measured path); any
 * other method reaches a proxy that throws, so the benchmark notices if the filter starts to read more.
 */
final class BenchRequest extends HttpServletRequestWrapper {

    /** Created once: a proxy instance per request would measure {@link Proxy#newProxyInstance}, not the filter. */
    private static final HttpServletRequest UNSUPPORTED_REQUEST = unsupported(HttpServletRequest.class);
    private static final HttpServletResponse UNSUPPORTED_RESPONSE = unsupported(HttpServletResponse.class);

    private final String authorization;
    private final List<String> authorizations;
    private final boolean secure;
    private final String remoteAddr;
    private final String servletPath;
    private final String pathInfo;
    private final Map<String, Object> attributes = new HashMap<>();

    /** Over HTTPS from a client on another host. */
    BenchRequest(String authorization) {
        this(authorization, true, "192.0.2.10");
    }

    /** {@code secure == false, remoteAddr = "127.0.0.1"}: plain HTTP on loopback, as in {@code bench/http}. */
    BenchRequest(String authorization, boolean secure, String remoteAddr) {
        this(authorization, secure, remoteAddr, "/api", "/whoami");
    }

    /** Over HTTPS from a client on another host, to {@code servletPath + pathInfo}. */
    BenchRequest(String authorization, String servletPath, String pathInfo) {
        this(authorization, true, "192.0.2.10", servletPath, pathInfo);
    }

    private BenchRequest(String authorization, boolean secure, String remoteAddr, String servletPath,
            String pathInfo) {
        super(UNSUPPORTED_REQUEST);
        this.authorization = authorization;
        this.authorizations = List.of(authorization);
        this.secure = secure;
        this.remoteAddr = remoteAddr;
        this.servletPath = servletPath;
        this.pathInfo = pathInfo;
    }

    /** Responses are untouched on success: every method throws. */
    static HttpServletResponse response() {
        return new HttpServletResponseWrapper(UNSUPPORTED_RESPONSE);
    }

    @Override
    public String getHeader(String name) {
        return "Authorization".equalsIgnoreCase(name) ? authorization : null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration("Authorization".equalsIgnoreCase(name) ? authorizations : List.of());
    }

    @Override
    public String getMethod() {
        return "GET";
    }

    @Override
    public String getServletPath() {
        return servletPath;
    }

    @Override
    public String getPathInfo() {
        return pathInfo;
    }

    @Override
    public String getContextPath() {
        return "/sample";
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getRemoteAddr() {
        return remoteAddr;
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    private static <T> T unsupported(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(BenchRequest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                }));
    }
}
