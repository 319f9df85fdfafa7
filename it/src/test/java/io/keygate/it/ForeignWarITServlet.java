package io.keygate.it;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.Principal;

/**
 * The one servlet of {@link ForeignWarIT}'s WAR: an application that knows nothing of Keygate and reports what
 * the container tells it about the caller, one {@code name=value} per line.
 */
@WebServlet({"/hello", "/open/hello", "/reports/*"})
public class ForeignWarITServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        report(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        report(request, response);
    }

    private static void report(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Principal principal = request.getUserPrincipal();
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.println("principal=" + (principal == null ? null : principal.getName()));
        out.println("authType=" + request.getAuthType());
        out.println("read=" + request.isUserInRole("read"));
        out.println("write=" + request.isUserInRole("write"));
        out.println("tenant=" + request.getAttribute("keygate.tenant"));
    }
}
