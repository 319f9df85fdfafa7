package io.keygate.server.oauth2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The client's id and secret, from HTTP Basic or from the form, RFC 6749 section 2.3.1. In Keygate the client id
 * is the API secret's token id and the client secret is the token itself.
 *
 * @param id        the client id
 * @param secret    the client secret; never logged, never in a message
 * @param fromBasic whether they came in the {@code Authorization} header (a failure then challenges for Basic)
 */
record ClientCredentials(String id, String secret, boolean fromBasic) {

    @Override
    public String toString() {
        return "ClientCredentials[id=" + id + ", secret=(redacted)]";
    }

    /** From Basic or the form; both at once is refused (section 2.3: one authentication method only). */
    static Optional<ClientCredentials> of(FormRequest form) throws OAuthException {
        String header = form.servletRequest().getHeader("Authorization");
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        Optional<String> formSecret = form.get("client_secret");
        if (basic && formSecret.isPresent()) {
            throw new OAuthException(OAuthError.invalidRequest("Send the client credentials once: by HTTP Basic or"
                    + " in the form, not both"));
        }
        if (basic) {
            return Optional.of(fromBasic(header.substring(6).trim()));
        }
        if (formSecret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClientCredentials(form.required("client_id"), formSecret.get(), false));
    }

    /** Section 2.3.1: both parts are form-urlencoded before they are joined with ':' and base64-encoded. */
    private static ClientCredentials fromBasic(String encoded) throws OAuthException {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new OAuthException(OAuthError.invalidClient("HTTP Basic credentials must be id:secret"));
            }
            return new ClientCredentials(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8), true);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthError.invalidClient("HTTP Basic credentials are not valid base64"));
        }
    }
}
