package io.keygate.it;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The one servlet of {@link HotPathBesideSampleIT}'s WAR, the second protected application on the server: it
 * answers with the caller's token id, which only an authenticated request has.
 */
@WebServlet("/whoami")
public class HotPathBesideSampleITServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print(request.getAttribute("keygate.token.id"));
    }
}
