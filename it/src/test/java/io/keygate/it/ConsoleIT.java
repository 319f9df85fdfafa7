package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin console at {@code /keygate/console/} as an admin uses it, in a real browser (headless Chromium,
 * {@link ConsoleBrowser}): sign in with an admin token, create a tenant and a token, read the token once and use it
 * against the sample application, rotate it with a grace period, revoke both, and find it all in the audit log; a
 * tenant's admin token sees its own tenant only. And what the browser cannot be trusted to tell: the headers that
 * keep the page to its own files.
 *
 * <p>The browser is a plain loopback client ({@code 127.0.0.1}, no forwarded headers), which the HTTPS rule exempts
 * as it exempts any client on the server's machine. Tagged {@code console}: the execution {@code on-payara-micro}
 * runs it, on the every-server suite's server. Screenshots of each screen go to {@code target/console-screenshots}.
 */
@Tag("console")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT extends KeygateIT {

    @RegisterExtension
    static final ServerUnderTest SERVER = new ServerUnderTest();

    /** On a failure, what the browser showed: a screenshot, the page's source and its console messages. */
    @RegisterExtension
    final TestWatcher evidence = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                String name = "failed-" + context.getRequiredTestMethod().getName();
                browser.screenshot(name);
                System.out.println("CONSOLE " + name + " at " + browser.driver.getCurrentUrl() + ", browser log "
                        + browser.severeMessages() + ", page:\n" + browser.driver.getPageSource());
            }
        }
    };

    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    private static final List<String> FILES = List.of("index.html", "console.css", "js/main.js", "js/api.js",
            "js/dom.js", "js/dialog.js", "js/pager.js", "js/tenants.js", "js/tenant.js", "js/tokens.js",
            "js/tokenform.js", "js/audit.js");

    private static ConsoleBrowser browser;

    /** {@code http://127.0.0.1:<port>/}: a loopback client, as an admin on the server's machine is. */
    private URI loopback;

    @BeforeEach
    void locateServer() {
        server = localhost(SERVER.running().root().getPort());
        loopback = SERVER.running().root();
    }

    /**
     * The test's own calls of the sample come from a client of the class's own behind the trusted proxy, as in the
     * every-server suite, so the failures they make on purpose (401 after a revocation) never throttle loopback,
     * which the browser is.
     */
    @BeforeAll
    static void aClientOfItsOwn() {
        clientOfTheClass("198.18.255.1");
    }

    @AfterAll
    static void closeBrowser() {
        clientOfTheClass(null);
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    @Order(1)
    void consoleIsServedWithAStrictPolicyAndOnlyItsOwnFiles() {
        HttpResponse<String> bare = get(loopback.resolve("/keygate/console"));
        assertTrue(bare.statusCode() == 301 || bare.statusCode() == 302, bare.statusCode() + " " + bare.body());
        assertEquals("/keygate/console/", URI.create(header(bare, "Location")).getPath());

        HttpResponse<String> page = get(loopback.resolve("/keygate/console/"));
        assertEquals(200, page.statusCode());
        assertTrue(header(page, "Content-Type").startsWith("text/html"), header(page, "Content-Type"));
        assertTrue(page.body().contains("<title>Keygate console</title>"));
        for (String file : FILES) {
            HttpResponse<String> answer = get(loopback.resolve("/keygate/console/" + file));
            assertEquals(200, answer.statusCode(), file);
            assertEquals(POLICY, header(answer, "Content-Security-Policy"), file);
            assertEquals("nosniff", header(answer, "X-Content-Type-Options"), file);
            assertEquals("no-referrer", header(answer, "Referrer-Policy"), file);
            assertEquals("DENY", header(answer, "X-Frame-Options"), file);
            assertEquals("no-cache", header(answer, "Cache-Control"), file);
            String type = header(answer, "Content-Type");
            // A module script runs only with a JavaScript type (both names are JavaScript's), a style sheet only as CSS.
            List<String> expected = file.endsWith(".js") ? List.of("text/javascript", "application/javascript")
                    : List.of(file.endsWith(".css") ? "text/css" : "text/html");
            assertTrue(expected.stream().anyMatch(type::startsWith), file + ": " + type);
            assertFalse(answer.body().contains("http://") || answer.body().contains("https://")
                    || answer.body().contains("//cdn"), file + " names another origin");
            assertFalse(answer.body().contains("localStorage"), file + " uses localStorage");
            assertFalse(answer.body().contains("eval(") || answer.body().contains("innerHTML"), file);
        }
        // No inline script or style in the page: every <script> has a src, no style attribute or element.
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page.body());
        while (scripts.find()) {
            assertTrue(scripts.group(1).contains("src=\""), scripts.group());
        }
        assertFalse(page.body().contains("style=") || page.body().contains("<style"), "inline style");

        // Plain HTTP from a client that is not on this machine gets no console: the transport rule of every path.
        HttpResponse<String> remote = get(server.resolve("/keygate/console/"), "X-Forwarded-For", "198.18.200.7");
        assertEquals(403, remote.statusCode());
    }

    @Test
    @Order(2)
    void anAdminManagesATenantsTokensInTheBrowser() {
        ConsoleBrowser b = browser();
        b.driver.get(loopback.resolve("/keygate/console/").toString());
        b.byId("admin-token");
        b.screenshot("01-sign-in");
        signIn(b, ADMIN_TOKEN);
        b.byId("new-tenant");
        assertEquals("Global admin", b.byId("who").getText());
        assertEquals(0L, b.script("return localStorage.length"), "nothing in localStorage");
        assertFalse(String.valueOf(b.script("return document.documentElement.outerHTML")).contains(ADMIN_TOKEN),
                "the admin token is not in the page");

        // A tenant, created in its dialog.
        String slug = uniqueSlug("console");
        b.click(By.id("new-tenant"));
        b.byId("tenant-name").sendKeys("Console Inc");
        b.byId("tenant-slug").sendKeys("Not A Slug");
        b.click(By.id("dialog-submit"));
        // The API's problem document, in words, in the dialog: its title and detail.
        String refusal = b.byId("dialog-error").getText();
        assertTrue(refusal.startsWith("Bad Request: ") && refusal.contains("slug"), refusal);
        b.byId("tenant-slug").clear();
        b.byId("tenant-slug").sendKeys(slug);
        b.click(By.id("dialog-submit"));
        b.wait.until(ExpectedConditions.textToBe(By.id("flash-text"), "Tenant " + slug + " created."));
        b.driver.get(loopback.resolve("/keygate/console/#/tenants").toString());
        b.visible(By.cssSelector("#tenants-table tr[data-slug='" + slug + "']"));
        b.screenshot("02-tenants");
        b.click(By.cssSelector("#tenants-table tr[data-slug='" + slug + "'] a"));

        // A token, shown once with its copy button; it works at the sample application.
        String token = createToken(b, "Deploy bot", "alice");
        assertEquals(200, getWithToken(sample("/api/whoami"), token).statusCode());
        b.click(By.id("dialog-done"));
        WebElement row = b.visible(By.cssSelector("#tokens-table tr[data-status='active']"));
        assertTrue(row.getText().contains("Deploy bot") && row.getText().contains("alice")
                && row.getText().contains(token.substring(0, 8)), row.getText());
        assertFalse(String.valueOf(b.script("return document.documentElement.outerHTML")).contains(token),
                "the token is gone from the page once its dialog is closed");
        b.screenshot("04-tokens");

        // Edited: the write scope added and the rate limit changed, both obeyed from the very next request.
        assertEquals(403, postJson(sample("/api/notes"), token, "{\"text\":\"hi\"}").statusCode(), "read only");
        b.click(By.cssSelector("#tokens-table button[data-action='edit']"));
        b.click(By.id("edit-scope-write"));
        WebElement rate = b.byId("edit-rate");
        rate.clear();
        rate.sendKeys("50");
        b.screenshot("04b-edit");
        b.click(By.id("dialog-submit"));
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#tokens-table tbody tr"),
                "50 requests per minute"));
        assertTrue(b.visible(By.cssSelector("#tokens-table tbody tr")).getText().contains("write"));
        HttpResponse<String> note = postJson(sample("/api/notes"), token, "{\"text\":\"hi\"}");
        assertEquals(201, note.statusCode(), note.body());
        assertEquals("50", header(note, "RateLimit-Limit"));

        // Rotated with a grace period of an hour: both work, the new one shown once.
        b.click(By.cssSelector("#tokens-table button[data-action='rotate']"));
        new Select(b.byId("rotate-grace")).selectByValue("3600");
        b.screenshot("05-rotate");
        b.click(By.id("dialog-submit"));
        String rotated = b.byId("new-token").getDomProperty("value");
        assertNotEquals(token, rotated);
        b.click(By.id("dialog-done"));
        assertEquals(200, getWithToken(sample("/api/whoami"), token).statusCode(), "the old token, in its grace");
        assertEquals(200, getWithToken(sample("/api/whoami"), rotated).statusCode());

        // Settings: renamed; API access off refuses both tokens at once, on again accepts them.
        b.click(By.linkText("Settings"));
        WebElement name = b.byId("rename-name");
        name.clear();
        name.sendKeys("Console Corp");
        b.click(By.cssSelector("#rename-form button[type='submit']"));
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tenant-name"), "Console Corp"));
        b.click(By.id("toggle-access"));
        b.click(By.id("dialog-submit"));
        b.wait.until(ExpectedConditions.textToBe(By.id("toggle-access"), "Turn on API access"));
        assertEquals(401, getWithToken(sample("/api/whoami"), token).statusCode(), "API access off");
        assertEquals(401, getWithToken(sample("/api/whoami"), rotated).statusCode(), "API access off");
        b.screenshot("09-settings");
        b.click(By.id("toggle-access"));
        b.click(By.id("dialog-submit"));
        b.wait.until(ExpectedConditions.textToBe(By.id("toggle-access"), "Turn off API access"));
        assertEquals(200, getWithToken(sample("/api/whoami"), rotated).statusCode(), "API access on again");
        b.click(By.linkText("Tokens"));

        // Both revoked, each after its confirmation: the sample refuses them.
        revokeNewest(b, true);
        revokeNewest(b, false);
        assertEquals(401, getWithToken(sample("/api/whoami"), rotated).statusCode());
        assertEquals(401, getWithToken(sample("/api/whoami"), token).statusCode());
        new Select(b.byId("status-filter")).selectByValue("revoked");
        b.wait.until(ExpectedConditions.textToBe(By.id("token-count"), "2 revoked tokens on this page"));

        // The audit log, newest first.
        b.click(By.linkText("Audit log"));
        b.visible(By.cssSelector("#audit-table tbody tr"));
        List<String> actions = b.driver.findElements(By.cssSelector("#audit-table tbody tr")).stream()
                .map(tr -> tr.getDomAttribute("data-action")).toList();
        assertEquals(List.of("token.revoke", "token.revoke", "tenant.update", "tenant.update", "tenant.update",
                "token.rotate", "token.update", "token.create", "tenant.create"), actions);
        assertEquals("rateLimit, scopes", b.driver.findElement(
                By.cssSelector("#audit-table tr[data-action='token.update'] td:last-child")).getText(),
                "the edit sent what changed, and the log names it");
        b.screenshot("07-audit-log");

        // A phone-sized window: the same page, rows as cards.
        b.viewport(390, 844, true);
        b.driver.navigate().back();
        b.visible(By.cssSelector("#tokens-table tbody tr"));
        assertEquals("none", b.script("return getComputedStyle(document.querySelector('#tokens-table thead'))"
                + ".display"), "no header row on a phone");
        assertEquals(List.of("Name", "Prefix", "Owner", "Scopes", "Created", "Expires", "Last used", "Uses", "Status",
                "Actions"), b.script("return Array.from(document.querySelector('#tokens-table tbody tr').cells)"
                + ".map(td => getComputedStyle(td, '::before').content.replace(/^\"|\"$/g, ''))"),
                "each value of a card is named by its column");
        b.screenshot("08-phone");
        b.viewport(1280, 800, false);

        // The refusal the dialog showed is logged by the browser as a failed load of the API; nothing else may be.
        List<String> severe = b.severeMessages().stream()
                .filter(m -> !m.contains("/keygate/api/v1/tenants - Failed to load resource: the server responded"
                        + " with a status of 400")).toList();
        assertEquals(List.of(), severe, "no script error, nothing the policy refused");

        // The policy is in force: an inline script put into the page does not run, and the browser says why.
        b.script("const s = document.createElement('script'); s.textContent = 'window.inlineRan = true';"
                + " document.head.append(s);");
        assertEquals(Boolean.FALSE, b.script("return window.inlineRan === true"), "an inline script ran");
        assertTrue(b.severeMessages().stream().anyMatch(m -> m.contains("Content Security Policy")),
                "the refusal is in the browser's log");
        assertNoForeignResource(b);
    }

    @Test
    @Order(3)
    void aTenantAdminSeesItsOwnTenantOnly() {
        AdminClient admin = new AdminClient(loopback.resolve("/keygate/api/v1/"), ADMIN_TOKEN);
        String own = uniqueSlug("console-own");
        String other = uniqueSlug("console-other");
        admin.createTenant(own, "Own Ltd");
        admin.createTenant(other, "Other Ltd");
        admin.issue(other, "Other's token", null, null, "read");
        String tenantAdmin = admin.issue(own, "Tenant admin", "bob", null, "admin").token();

        ConsoleBrowser b = browser();
        b.driver.get(loopback.resolve("/keygate/console/").toString());
        b.wait.until(d -> d.findElement(By.id("sign-out")).isDisplayed() || d.findElement(By.id("sign-in")).isDisplayed());
        if (b.driver.findElement(By.id("sign-out")).isDisplayed()) {
            b.click(By.id("sign-out"));
        }
        signIn(b, tenantAdmin);
        assertEquals("Admin of tenant " + own, b.byId("who").getText());
        b.visible(By.cssSelector("#tenants-table tr[data-slug='" + own + "']"));
        assertEquals(1, b.driver.findElements(By.cssSelector("#tenants-table tbody tr")).size());
        assertTrue(b.driver.findElements(By.id("new-tenant")).isEmpty(), "no tenant creation for a tenant admin");

        b.driver.get(loopback.resolve("/keygate/console/#/tenants/" + other).toString());
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash-text"), "Not Found"));
        assertTrue(b.driver.findElements(By.id("tokens-table")).isEmpty(), "another tenant's tokens");

        // Its own tenant, with the keyboard: Enter opens the token dialog with the focus inside, Escape closes it.
        b.click(By.linkText("Back to the tenants"));
        b.click(By.cssSelector("#tenants-table tr[data-slug='" + own + "'] a"));
        b.byId("new-token-button").sendKeys(Keys.ENTER);
        b.wait.until(d -> "token-name".equals(b.script("return document.activeElement.id")));
        new Actions(b.driver).sendKeys(Keys.ESCAPE).perform();
        b.wait.until(d -> Boolean.FALSE.equals(b.script("return document.getElementById('dialog').open")));

        b.click(By.id("sign-out"));
        b.byId("admin-token");
        assertEquals(0L, b.script("return sessionStorage.length + localStorage.length"), "signed out: nothing kept");
    }

    @Test
    @Order(4)
    void longListsComeInPagesFollowingTheApisCursors() {
        AdminClient admin = new AdminClient(loopback.resolve("/keygate/api/v1/"), ADMIN_TOKEN);
        String slug = uniqueSlug("console-pages");
        admin.createTenant(slug, "Many Tokens");
        for (int i = 1; i <= 51; i++) {
            AdminClient.IssuedToken token = admin.issue(slug, "Token " + i, null, null, "read");
            if (i == 1) {
                admin.revoke(token); // the oldest: on the second page of all tokens
            }
        }

        ConsoleBrowser b = browser();
        b.driver.get(loopback.resolve("/keygate/console/#/tenants/" + slug).toString());
        b.wait.until(d -> d.findElement(By.id("sign-out")).isDisplayed() || d.findElement(By.id("sign-in")).isDisplayed());
        if (b.driver.findElement(By.id("sign-in")).isDisplayed()) {
            signIn(b, ADMIN_TOKEN);
        }
        b.wait.until(ExpectedConditions.textToBe(By.id("token-count"), "50 tokens on this page"));
        assertTrue(b.driver.findElement(By.cssSelector("#tokens-table tbody tr")).getText().startsWith("Token 51"),
                "newest first");
        b.click(By.cssSelector("button[data-page='next']"));
        b.wait.until(ExpectedConditions.textToBe(By.id("token-count"), "1 token on this page"));
        assertTrue(b.driver.findElement(By.cssSelector("#tokens-table tbody tr")).getText().startsWith("Token 1"));
        assertFalse(b.driver.findElement(By.cssSelector("button[data-page='next']")).isEnabled(), "the last page");
        b.click(By.cssSelector("button[data-page='previous']"));
        b.wait.until(ExpectedConditions.textToBe(By.id("token-count"), "50 tokens on this page"));
        assertFalse(b.driver.findElement(By.cssSelector("button[data-page='previous']")).isEnabled(), "the first page");

        // The filter asks the API, so it covers every page: the revoked token of page 2 is the first of its own.
        Select status = new Select(b.byId("status-filter"));
        status.selectByValue("revoked");
        b.wait.until(ExpectedConditions.textToBe(By.id("token-count"), "1 revoked token on this page"));
        assertTrue(b.driver.findElement(By.cssSelector("#tokens-table tbody tr")).getText().startsWith("Token 1"));
        assertFalse(b.driver.findElement(By.cssSelector("button[data-page='next']")).isEnabled(), "one page");
        status.selectByValue("active");
        b.wait.until(ExpectedConditions.textToBe(By.id("token-count"), "50 active tokens on this page"));
        assertFalse(b.driver.findElement(By.cssSelector("button[data-page='next']")).isEnabled(),
                "the 50 active tokens fill one page: the revoked one is not on it");
        status.selectByValue("");
        b.wait.until(ExpectedConditions.textToBe(By.id("token-count"), "50 tokens on this page"));
        assertTrue(b.driver.findElement(By.cssSelector("button[data-page='next']")).isEnabled(), "two pages again");
    }

    private ConsoleBrowser browser() {
        if (browser == null) {
            String missing = ConsoleBrowser.missing();
            if (missing != null) {
                if (ConsoleBrowser.required()) {
                    Assertions.fail("The console tests need a browser: " + missing);
                }
                Assumptions.abort("No browser: " + missing);
            }
            browser = ConsoleBrowser.start();
        }
        return browser;
    }

    private static void signIn(ConsoleBrowser b, String token) {
        b.byId("admin-token").sendKeys(token);
        b.click(By.cssSelector("#sign-in-form button[type='submit']"));
        b.byId("sign-out");
    }

    /** Creates a token in the console's dialog and answers the plaintext it shows once. */
    private static String createToken(ConsoleBrowser b, String name, String owner) {
        b.click(By.id("new-token-button"));
        b.byId("token-rate").sendKeys("100");
        new Select(b.byId("token-expiry")).selectByValue("30");
        b.byId("token-owner").sendKeys(owner);
        b.byId("token-name").sendKeys(name);
        b.screenshot("03a-create-token");
        b.click(By.id("dialog-submit"));
        WebElement shown = b.byId("new-token");
        assertTrue(b.byId("once-warning").getText().contains("not be able to see it again"));
        b.click(By.id("copy-token"));
        b.wait.until(ExpectedConditions.textToBe(By.id("copy-status"), "Copied"));
        b.screenshot("03b-token-shown-once");
        String token = shown.getDomProperty("value");
        assertTrue(token.matches("kg_[0-9A-Za-z]{36}"), "a Keygate token");
        return token;
    }

    /** Revokes the first token that is not revoked yet, through its confirmation dialog. */
    private static void revokeNewest(ConsoleBrowser b, boolean screenshot) {
        int before = b.driver.findElements(By.cssSelector("#tokens-table tr[data-status='revoked']")).size();
        b.click(By.cssSelector("#tokens-table tr:not([data-status='revoked']) button[data-action='revoke']"));
        assertTrue(b.byId("dialog-title").getText().startsWith("Revoke"));
        if (screenshot) {
            b.screenshot("06-revoke");
        }
        b.click(By.id("dialog-submit"));
        b.wait.until(d -> d.findElements(By.cssSelector("#tokens-table tr[data-status='revoked']")).size() > before);
    }

    /** Every file the page loaded came from its own origin. */
    private static void assertNoForeignResource(ConsoleBrowser b) {
        Object foreign = b.script("const o = location.origin;"
                + " return performance.getEntriesByType('resource').map(e => e.name)"
                + ".concat([...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href))"
                + ".filter(u => !u.startsWith(o + '/') && !u.startsWith('data:'));");
        assertEquals(List.of(), foreign, "loaded from another origin");
        Object loaded = b.script("return performance.getEntriesByType('resource').length");
        assertTrue(((Number) loaded).intValue() > 0, "resources were loaded and checked");
    }
}
