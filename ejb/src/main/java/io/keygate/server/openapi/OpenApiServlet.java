package io.keygate.server.openapi;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code GET /keygate/openapi}: the OpenAPI 3 document of {@code keygate.war}'s HTTP API (the admin API and the
 * token endpoints), the machine-readable form of docs/http-api.md. A server's own MicroProfile OpenAPI
 * ({@code /openapi}) shows one application's document, or merges them, depending on the server; this path always
 * answers Keygate's, on every server.
 *
 * <p>The document is the file {@value #DOCUMENT} that the WAR's classes carry, the same file a MicroProfile OpenAPI
 * runtime reads as the application's static document, so the two cannot differ. It is public, like the discovery
 * documents of an OAuth server: it describes the API and holds no secret. It changes only with a new version of
 * {@code keygate.war}, so caches may keep it for an hour, and an {@code ETag} lets them revalidate for nothing.
 * Only JSON is answered (a YAML form would need a library in the WAR); {@code ?format=json} is accepted as
 * MicroProfile OpenAPI names it, any other format is {@code 406}.
 */
@WebServlet(urlPatterns = "/openapi", loadOnStartup = 1)
public class OpenApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The document inside the WAR's classes: where MicroProfile OpenAPI looks for a static file. */
    static final String DOCUMENT = "META-INF/openapi.json";

    /** What the answer is, and how long a cache may keep it. */
    static final String CACHE_CONTROL = "public, max-age=3600";

    private transient byte[] document;
    private transient String etag;

    /** Reads the document once, at deployment: a WAR without it fails to deploy rather than answer 404 later. */
    @Override
    public void init() throws ServletException {
        try (InputStream in = OpenApiServlet.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new ServletException(DOCUMENT + " is missing from keygate.war");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        etag = "\"" + sha256(document) + "\"";
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String format = request.getParameter("format");
        if (format != null && !format.equalsIgnoreCase("json")) {
            response.sendError(HttpServletResponse.SC_NOT_ACCEPTABLE, "Only format=json is available");
            return;
        }
        response.setHeader("Cache-Control", CACHE_CONTROL);
        response.setHeader("ETag", etag);
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(document.length);
        response.getOutputStream().write(document);
    }

    /** The first 16 bytes of the SHA-256 of {@code bytes}, in hex: the entity tag. */
    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
