package io.keygate.token;

/**
 * The contract between {@code keygate-filter.jar}, loaded by each protected WAR, and the verifier EJB in
 * {@code keygate.war}.
 *
 * <p>The two sides live in different applications and so in different class loaders: a Keygate interface
 * would be a different {@code Class} on each side and the cast would fail. The verifier therefore exposes a
 * local business view typed only with JDK types, {@link javax.script.Invocable}, whose classes come from the
 * bootstrap loader and are the same everywhere. {@code Invocable} has neither static nor default methods, so
 * servers that reflect on the interface (WildFly) need no {@code --add-opens}. Arguments and results are
 * {@code String}, {@code Long}, {@code List} and {@code Map} only.
 *
 * <pre>
 * Invocable verifier = (Invocable) new InitialContext().lookup(VerifierProtocol.JNDI_NAME);
 * Map&lt;String, Object&gt; answer = (Map&lt;String, Object&gt;) verifier.invokeFunction(VERIFY, TokenHash.of(token));
 * </pre>
 *
 * <p>Any exception from the call means the verifier could not answer (store down, application undeployed):
 * the filter answers 503, never 401.
 */
public final class VerifierProtocol {

    /** Portable JNDI name of the verifier's JDK-typed local view (Jakarta EE 10 platform, section 5.2.2). */
    public static final String JNDI_NAME = "java:global/keygate/TokenVerifier!javax.script.Invocable";

    /**
     * {@code verify(String sha256Hex)} returns a {@code Map<String, Object>} with {@link #RESULT} and, when
     * valid, the token's identity. It also counts one use of the token.
     */
    public static final String VERIFY = "verify";

    /** Key of the outcome: one of {@link #VALID}, {@link #INVALID}, {@link #EXPIRED}. */
    public static final String RESULT = "result";
    public static final String VALID = "valid";
    /** Unknown, revoked, or the tenant's API access is switched off: indistinguishable on purpose. */
    public static final String INVALID = "invalid";
    public static final String EXPIRED = "expired";

    /** Tenant slug ({@code String}). */
    public static final String TENANT = "tenant";
    /** The admin API's token id ({@code String}). */
    public static final String TOKEN_ID = "tokenId";
    /** The token's name ({@code String}). */
    public static final String TOKEN_NAME = "tokenName";
    /** The principal name: the owner, or the token's name when it has none ({@code String}). */
    public static final String PRINCIPAL = "principal";
    /** The granted scopes ({@code List<String>}). */
    public static final String SCOPES = "scopes";
    /** When the token stops working, epoch milliseconds ({@code Long}), or absent. */
    public static final String EXPIRES_AT = "expiresAt";

    private VerifierProtocol() {
    }
}
