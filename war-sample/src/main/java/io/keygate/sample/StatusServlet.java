package io.keygate.sample;

import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /public/status}: a public path ({@code keygate.public-paths=/public/*} in web.xml), no token needed. */
@WebServlet("/public/status")
public class StatusServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonResponses.write(response, HttpServletResponse.SC_OK, Json.createObjectBuilder().add("status", "ok").build());
    }
}
