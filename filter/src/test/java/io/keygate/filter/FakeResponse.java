package io.keygate.filter;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** A container-free {@link HttpServletResponse} that records status, headers and body bytes. */
final class FakeResponse {

    int status = HttpServletResponse.SC_OK;
    String contentType;
    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean flushed;

    private final ServletOutputStream out = new ServletOutputStream() {
        @Override
        public void write(int b) {
            body.write(b);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException();
        }
    };

    String header(String name) {
        return headers.get(name);
    }

    String bodyText() {
        return body.toString(StandardCharsets.UTF_8);
    }

    HttpServletResponse build() {
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus": status = (Integer) args[0]; return null;
                        case "getStatus": return status;
                        case "setHeader": headers.put((String) args[0], (String) args[1]); return null;
                        case "getHeader": return headers.get((String) args[0]);
                        case "setContentType": contentType = (String) args[0]; return null;
                        case "setContentLength": headers.put("Content-Length", args[0].toString()); return null;
                        case "getOutputStream": return out;
                        case "flushBuffer": flushed = true; return null;
                        case "isCommitted": return flushed;
                        case "toString": return "FakeResponse " + status;
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: throw new UnsupportedOperationException(m.getName());
                    }
                });
    }
}
