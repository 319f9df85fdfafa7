package io.keygate.server.oauth2;

/** Carries an {@link OAuthError} out of the parsing and checking code to the servlet that answers it. */
final class OAuthException extends Exception {

    private final transient OAuthError error;

    OAuthException(OAuthError error) {
        super(error.error() + ": " + error.description(), null, false, false);
        this.error = error;
    }

    OAuthError error() {
        return error;
    }
}
