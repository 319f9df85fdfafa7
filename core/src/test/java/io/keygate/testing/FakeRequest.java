package io.keygate.testing;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A container-free {@link HttpServletRequest}: the few properties Keygate reads, set fluently, behind a
 * {@link Proxy}. Anything else it is asked throws, so a test notices when the filter starts to depend on more.
 */
public final class FakeRequest {

    private String method = "GET";
    private String contextPath = "/sample";
    private String servletPath = "";
    private String pathInfo;
    private String remoteAddr = "192.0.2.10";
    private boolean secure = true;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    public static FakeRequest get(String path) {
        return new FakeRequest().method("GET").path(path);
    }

    public FakeRequest method(String value) {
        method = value;
        return this;
    }

    /** Servlet path {@code ""} and the whole path as path info, as for a servlet mapped to {@code /*}. */
    public FakeRequest path(String value) {
        servletPath = "";
        pathInfo = value;
        return this;
    }

    public FakeRequest servletPath(String servlet, String info) {
        servletPath = servlet;
        pathInfo = info;
        return this;
    }

    public FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
        return this;
    }

    public FakeRequest bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    public FakeRequest remoteAddr(String value) {
        remoteAddr = value;
        return this;
    }

    public FakeRequest secure(boolean value) {
        secure = value;
        return this;
    }

    public Map<String, Object> attributes() {
        return attributes;
    }

    public HttpServletRequest build() {
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "getMethod": return method;
                        case "getContextPath": return contextPath;
                        case "getServletPath": return servletPath;
                        case "getPathInfo": return pathInfo;
                        case "getRemoteAddr": return remoteAddr;
                        case "isSecure": return secure;
                        case "getHeader": {
                            List<String> values = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                            return values == null ? null : values.get(0);
                        }
                        case "getHeaders": return Collections.enumeration(
                                headers.getOrDefault(((String) args[0]).toLowerCase(Locale.ROOT), List.of()));
                        case "getAttribute": return attributes.get((String) args[0]);
                        case "setAttribute": attributes.put((String) args[0], args[1]); return null;
                        case "removeAttribute": attributes.remove((String) args[0]); return null;
                        case "getUserPrincipal":
                        case "getRemoteUser":
                        case "getAuthType": return null;
                        case "isUserInRole": return false;
                        case "toString": return "FakeRequest " + method + " " + servletPath + pathInfo;
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: throw new UnsupportedOperationException(m.getName());
                    }
                });
    }
}
