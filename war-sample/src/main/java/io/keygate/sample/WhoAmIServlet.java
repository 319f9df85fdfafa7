package io.keygate.sample;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Collection;
import java.util.TreeSet;

/**
 * {@code GET /api/whoami}: the identity the Keygate filter left on the request, as JSON.
 *
 * <p>The sample knows nothing of Keygate's classes: it reads the standard principal and the documented request
 * attributes, which is all any protected application gets. The principal's name is the owner an admin of the
 * token's tenant wrote, free text that another tenant's admin can write too; {@code subject}
 * ({@code keygate.subject}, tenant slug and name) is the identity to trust across tenants.
 *
 * <pre>
 * {"principal": "alice", "tenant": "acme", "tokenId": "…", "tokenName": "CI", "scopes": ["read", "write"],
 *  "subject": "acme/alice"}
 * </pre>
 */
@WebServlet("/api/whoami")
public class WhoAmIServlet extends HttpServlet {

    static final String TENANT = "keygate.tenant";
    static final String TOKEN_ID = "keygate.token.id";
    static final String TOKEN_NAME = "keygate.token.name";
    static final String SCOPES = "keygate.scopes";
    static final String SUBJECT = "keygate.subject";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Principal principal = request.getUserPrincipal();
        JsonObjectBuilder body = Json.createObjectBuilder();
        addOrNull(body, "principal", principal == null ? null : principal.getName());
        addOrNull(body, "tenant", request.getAttribute(TENANT));
        addOrNull(body, "tokenId", request.getAttribute(TOKEN_ID));
        addOrNull(body, "tokenName", request.getAttribute(TOKEN_NAME));
        if (request.getAttribute(SCOPES) instanceof Collection<?> scopes) {
            JsonArrayBuilder sorted = Json.createArrayBuilder();
            new TreeSet<>(scopes.stream().map(String::valueOf).toList()).forEach(sorted::add);
            body.add("scopes", sorted);
        } else {
            body.addNull("scopes");
        }
        addOrNull(body, "subject", request.getAttribute(SUBJECT));
        JsonResponses.write(response, HttpServletResponse.SC_OK, body.build());
    }

    private static void addOrNull(JsonObjectBuilder body, String name, Object value) {
        if (value == null) {
            body.addNull(name);
        } else {
            body.add(name, value.toString());
        }
    }
}
