package serverless.examples.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MQTT_HOST takes the deployment's domain name alone. The console also shows it inside addresses such as
 * {@code mqtts://xxx.emqxsl.com:8883} and {@code wss://xxx.emqxsl.com:8084/mqtt}, and those get pasted; the
 * client then fails with a URI error or "could not be resolved", which does not say what to change. This
 * check names what is extra and says what to set instead.
 *
 * <p>The line is built only from the parts taken out of the value (domain, port, scheme), never from the
 * value itself: a pasted URL may carry a user name and password ({@code mqtts://user:secret@host}).
 */
final class HostSetting {

    /** A URL scheme (RFC 3986) followed by "//": mqtts://, ssl://, wss://, tcp://, ... */
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
    /** A host name or IPv4 address, worth suggesting as MQTT_HOST. */
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    /**
     * An IPv6 address, bare or in brackets ("2001:db8::1", "[::1]"): no host name has two colons. Some clients
     * cannot even put one in their URL, and Serverless is never reached by address, only by its domain name.
     */
    private static final Pattern IPV6_ADDRESS =
            Pattern.compile("\\[?[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[^\\]]*)?]?");
    private static final Set<String> WEBSOCKET_SCHEMES = Set.of("ws", "wss");
    private static final Set<String> PLAINTEXT_SCHEMES = Set.of("tcp", "mqtt");

    private HostSetting() {
    }

    /** Empty when MQTT_HOST is a name alone; otherwise the line that says what to set instead. */
    static Optional<String> problem(String value) {
        if (value.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            return Optional.of("MQTT_HOST contains a space: it takes the deployment's domain name alone"
                    + " (no scheme, port or path), e.g. xxxxxxxx.ala.us-east-1.emqxsl.com; copy it again from the"
                    + " console, without spaces");
        }
        if (IPV6_ADDRESS.matcher(value).matches()) {
            return Optional.of("MQTT_HOST is an IPv6 address: Serverless is reached by the deployment's"
                    + " domain name, which the client sends as SNI and checks against the certificate; set MQTT_HOST"
                    + " to the address the console shows, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com");
        }
        Matcher schemeMatch = SCHEME.matcher(value);
        String scheme = schemeMatch.lookingAt() ? schemeMatch.group(1).toLowerCase(Locale.ROOT) : null;
        String rest = scheme == null ? value : value.substring(schemeMatch.end());
        int pathStart = indexOfAny(rest, "/?#");
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1); // without user:password@
        int portColon = portColon(hostAndPort);
        String host = portColon < 0 ? hostAndPort : hostAndPort.substring(0, portColon);
        String port = portColon < 0 ? null : hostAndPort.substring(portColon + 1);
        boolean userInfo = authority.contains("@");
        if (scheme == null && !userInfo && port == null && pathStart < 0) {
            return Optional.empty();
        }
        return Optional.of(describe(scheme, userInfo, host, port, pathStart >= 0));
    }

    /**
     * Where "host:port" splits: the last colon after a bracketed IPv6 address ("[::1]:8883"), or the only colon.
     * A bare IPv6 address ("2001:db8::1") has several and no port (and is refused before this).
     */
    private static int portColon(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            return hostAndPort.indexOf(':', Math.max(hostAndPort.indexOf(']'), 0));
        }
        int colon = hostAndPort.indexOf(':');
        return colon == hostAndPort.lastIndexOf(':') ? colon : -1;
    }

    private static String describe(String scheme, boolean userInfo, String host, String port, boolean path) {
        boolean numericPort = port != null && PORT.matcher(port).matches();
        List<String> extra = new ArrayList<>();
        if (scheme != null) {
            extra.add("a scheme (" + scheme + "://)");
        }
        if (userInfo) {
            extra.add("a user name before '@' (credentials go in MQTT_USERNAME and MQTT_PASSWORD)");
        }
        if (port != null) {
            extra.add(numericPort ? "a port (" + port + ")" : "a ':' after the name");
        }
        if (path) {
            extra.add("a path");
        }
        String line = "MQTT_HOST takes the deployment's domain name alone (no scheme, port or path), but it has "
                + String.join(", ", extra.subList(0, extra.size() - 1)) + (extra.size() > 1 ? " and " : "")
                + extra.get(extra.size() - 1) + ": set "
                + (DOMAIN.matcher(host).matches() ? "MQTT_HOST=" + host : "MQTT_HOST to the address the console shows");
        return line + portAdvice(scheme, numericPort ? port : null);
    }

    /** MQTT_PORT for the port found, unless that port (or the scheme) is not MQTT over TLS. */
    private static String portAdvice(String scheme, String port) {
        if ("8084".equals(port)) {
            return "; the port, MQTT_PORT=8084, is Serverless' MQTT over WebSocket port, and this example speaks"
                    + " MQTT over TLS: leave MQTT_PORT unset for 8883";
        }
        if ("1883".equals(port) || "8083".equals(port)) {
            return "; the port, MQTT_PORT=" + port + ", is for plaintext MQTT, which Serverless does not offer:"
                    + " leave MQTT_PORT unset for 8883 (MQTT over TLS)";
        }
        if (port != null) {
            String unsetToo = "8883".equals(port) ? " (the default, so MQTT_PORT can also stay unset)" : "";
            return " and MQTT_PORT=" + port + unsetToo;
        }
        if (scheme != null && WEBSOCKET_SCHEMES.contains(scheme)) {
            return "; " + scheme + ":// is MQTT over WebSocket (port 8084), and this example speaks MQTT over TLS,"
                    + " on 8883";
        }
        if (scheme != null && PLAINTEXT_SCHEMES.contains(scheme)) {
            return "; " + scheme + ":// is plaintext MQTT, which Serverless does not offer: this example speaks"
                    + " MQTT over TLS, on 8883";
        }
        return "";
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
