package io.keygate.server.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The headers of every answer of the admin console at {@code /keygate/console/}, a page that an admin pastes an admin
 * token into: whatever else a server or a proxy does, the page may run only its own files, talk only to its own
 * origin, never be framed, and never send a form or a referrer anywhere.
 *
 * <ul>
 *   <li>{@code Content-Security-Policy}: scripts, styles and connections from the console's own origin only
 *       ({@code 'self'}), no inline script or style, no {@code eval}, no plugin, no frame around it
 *       ({@code frame-ancestors 'none'}, and {@code X-Frame-Options: DENY} for old browsers), no form submission
 *       and no {@code <base>}. A script that an attacker managed to inject could neither run nor send the token
 *       elsewhere.</li>
 *   <li>{@code X-Content-Type-Options: nosniff}, so a file is only ever what its type says;
 *       {@code Referrer-Policy: no-referrer}; {@code Cache-Control: no-cache}, so a new {@code keygate.war} is
 *       never mixed with files cached from the old one.</li>
 * </ul>
 *
 * <p>The console's files themselves need no token: they are the same for everyone, and the admin API they call
 * decides about every request ({@code Authorization: Bearer}). The transport rules of {@code TransportFilter} apply
 * to them as to every path of {@code keygate.war}: a page that takes an admin token is served over HTTPS, or to a
 * loopback client.
 *
 * <p>{@code /console} without the slash is redirected to {@code /console/}, whose relative links the page uses, and
 * {@code /console/} answers the page itself, whatever welcome files the server has.
 */
@WebFilter(filterName = "KeygateConsoleHeaders", urlPatterns = {"/console", "/console/*"})
public class ConsoleHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The console's path inside {@code keygate.war}. */
    static final String PATH = "/console";

    /** The policy: nothing but the console's own files and the admin API of its own origin. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (PATH.equals(path)) {
            response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            response.setHeader("Location", request.getContextPath() + PATH + "/");
            return;
        }
        if ((PATH + "/").equals(path)) {
            response.setContentType("text/html;charset=UTF-8");
            request.getRequestDispatcher(PATH + "/index.html").forward(request, response);
            return;
        }
        chain.doFilter(request, response);
    }
}
