package io.keygate.server;

import io.keygate.bearer.BearerErrors;
import io.keygate.server.access.ClientAddress;
import io.keygate.server.http.ErrorWriter;
import io.keygate.server.oauth2.QueryCredentials;
import io.keygate.transport.TransportSecurity;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The first thing every request to {@code keygate.war} meets: the transport rules of a protected WAR
 * ({@code keygate.require-https}, {@code keygate.allow-loopback-http}, {@code keygate.trusted-proxies}, read once
 * at start-up), and the client address derived through the trusted proxies, left in
 * {@link ClientAddress#ATTRIBUTE} for every endpoint after it.
 *
 * <p>Plain HTTP from a client that is not exempt is 403 before any token is looked at: a bearer token or client
 * secret must never cross the network in clear (RFC 6750 section 5.3, RFC 6749 sections 2.3.1 and 3.2). The answer
 * is the filter's JSON ({@code {"error": "https_required", ...}}), and RFC 9457 problem+json under the admin API.
 *
 * <p>Then a credential in the query string is {@code 400 invalid_request} on every endpoint, for every method and
 * before any bearer is looked at ({@link QueryCredentials}): problem+json under the admin API.
 */
@WebFilter(filterName = "KeygateTransport", urlPatterns = "/*")
public class TransportFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The admin API's path inside keygate.war, whose answers are problem+json. */
    static final String ADMIN_API = "/api/";

    @Inject
    private transient TransportSecurity transport;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean adminApi = request.getRequestURI().startsWith(request.getContextPath() + ADMIN_API);
        if (!transport.isAcceptable(request)) {
            if (adminApi) {
                ErrorWriter.bearerProblem(response, BearerErrors.HTTPS_REQUIRED_ERROR, Map.of());
            } else {
                ErrorWriter.bearer(response, BearerErrors.HTTPS_REQUIRED_ERROR, Map.of());
            }
            return;
        }
        if (QueryCredentials.refused(request, response, adminApi)) {
            return;
        }
        request.setAttribute(ClientAddress.ATTRIBUTE, new ClientAddress(transport.clientAddress(request)));
        chain.doFilter(request, response);
    }
}
