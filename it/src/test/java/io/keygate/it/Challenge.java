package io.keygate.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code WWW-Authenticate} challenge ({@code Bearer realm="/sample", error="invalid_token"}), so tests
 * compare parameters rather than spacing. RFC 9110 section 11.6.1, RFC 6750 section 3.
 */
record Challenge(String scheme, Map<String, String> params) {

    private static final Pattern SCHEME = Pattern.compile("^\\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:\\s+(.*))?$");
    private static final Pattern PARAM = Pattern.compile(
            "\\G\\s*,?\\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))\\s*");

    static Challenge parse(String header) {
        if (header == null) {
            throw new AssertionError("no WWW-Authenticate header");
        }
        Matcher scheme = SCHEME.matcher(header);
        if (!scheme.matches()) {
            throw new AssertionError("not a challenge: " + header);
        }
        Map<String, String> params = new LinkedHashMap<>();
        String rest = scheme.group(2) == null ? "" : scheme.group(2);
        Matcher param = PARAM.matcher(rest);
        int end = 0;
        while (end < rest.length() && param.find()) {
            String value = param.group(2) != null ? param.group(2).replaceAll("\\\\(.)", "$1") : param.group(3);
            if (params.put(param.group(1).toLowerCase(java.util.Locale.ROOT), value) != null) {
                throw new AssertionError("parameter " + param.group(1) + " twice in " + header);
            }
            end = param.end();
        }
        if (end != rest.length()) {
            throw new AssertionError("cannot parse challenge parameters of: " + header);
        }
        return new Challenge(scheme.group(1), params);
    }
}
