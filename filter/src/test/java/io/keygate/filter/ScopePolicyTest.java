package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopePolicyTest {

    private static final ScopePolicy REPORTS = ScopePolicy.parse(
            "GET /api/reports/** = reports:read; POST,PUT,DELETE /api/reports/** = reports:write");

    private static String required(ScopePolicy policy, String method, String path) {
        List<String> scopes = policy.requiredScopes(method, RequestPath.normalise(path));
        assertEquals(1, scopes.size());
        return scopes.get(0);
    }

    @ParameterizedTest(name = "{0} needs {1}")
    @CsvSource({"GET, read", "HEAD, read", "OPTIONS, read", "POST, write", "PUT, write", "PATCH, write",
        "DELETE, write", "TRACE, write", "PROPFIND, write", "get, write"})
    void requiredScopesWhenNoRulesThenMethodRule(String method, String scope) {
        assertEquals(scope, required(ScopePolicy.DEFAULT, method, "/api/notes"));
    }

    @Test
    void requiredScopesWhenRuleMatchesThenCustomScope() {
        assertEquals("reports:read", required(REPORTS, "GET", "/api/reports/2024"));
        assertEquals("reports:read", required(REPORTS, "GET", "/api/reports"));
        assertEquals("reports:write", required(REPORTS, "DELETE", "/api/reports/2024"));
    }

    @Test
    void requiredScopesWhenHeadThenFollowsGetRule() {
        assertEquals("reports:read", required(REPORTS, "HEAD", "/api/reports/2024"));
    }

    @Test
    void requiredScopesWhenMethodNotListedThenMethodRule() {
        assertEquals("write", required(REPORTS, "PATCH", "/api/reports/2024"));
        assertEquals("read", required(REPORTS, "OPTIONS", "/api/reports/2024"));
    }

    @Test
    void requiredScopesWhenPathNotMatchedThenMethodRule() {
        assertEquals("read", required(REPORTS, "GET", "/api/notes"));
        assertEquals("write", required(REPORTS, "POST", "/api/reportsx"));
    }

    @Test
    void requiredScopesWhenTwoRulesMatchThenFirstWins() {
        ScopePolicy policy = ScopePolicy.parse("GET /api/admin/** = admin; GET /api/** = read");
        assertEquals("admin", required(policy, "GET", "/api/admin/users"));
        assertEquals("read", required(policy, "GET", "/api/notes"));
        ScopePolicy reversed = ScopePolicy.parse("GET /api/** = read; GET /api/admin/** = admin");
        assertEquals("read", required(reversed, "GET", "/api/admin/users"));
    }

    @Test
    void requiredScopesWhenStarMethodThenAnyMethod() {
        ScopePolicy policy = ScopePolicy.parse("* /admin/** = admin");
        assertEquals("admin", required(policy, "GET", "/admin"));
        assertEquals("admin", required(policy, "HEAD", "/admin/x"));
        assertEquals("admin", required(policy, "BREW", "/admin/x"));
    }

    @Test
    void requiredScopesWhenPathTrickThenNormalisedBeforeMatching() {
        assertEquals("reports:write", required(REPORTS, "POST", "/api/notes/../reports/1"));
        assertEquals("reports:write", required(REPORTS, "POST", "/api;x=1/reports/1/"));
    }

    @Test
    void requiredScopesWhenUnsafePathThenEveryRuleForTheMethodAndMethodRule() {
        assertEquals(List.of("reports:write", "write"), REPORTS.requiredScopes("POST", RequestPath.UNSAFE));
        assertEquals(List.of("reports:read", "read"), REPORTS.requiredScopes("HEAD", RequestPath.UNSAFE));
        assertEquals(List.of("write"), REPORTS.requiredScopes("PATCH", RequestPath.UNSAFE));
    }

    @Test
    void parseWhenLowercaseMethodsAndGetHeadThenAccepted() {
        ScopePolicy policy = ScopePolicy.parse(" get,head /x = x:read ;; post /x=x:write; ");
        assertEquals("x:read", required(policy, "GET", "/x"));
        assertEquals("x:read", required(policy, "HEAD", "/x"));
        assertEquals("x:write", required(policy, "POST", "/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /x", "GET /x = ", "GET /x = Read", "GET /x = a b", "/x = read", "GET /x /y = read",
        "GET x = read", "GET /x/ = read", "GE-T /x = read", "GET, /x = read", "HEAD /x = read",
        "*,GET /x = read", "GET /x = read = write"})
    void parseWhenInvalidRuleThenRefusedNamingIt(String rule) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScopePolicy.parse("GET /ok = read; " + rule));
        assertTrue(e.getMessage().contains("rule"), e.getMessage());
    }
}
