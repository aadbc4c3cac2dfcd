package serverless.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What MQTT_HOST holds when it is more than a domain name: the console shows whole addresses
 * ({@code mqtts://xxx.emqxsl.com:8883}, {@code wss://xxx.emqxsl.com:8084/mqtt}), and people paste them. The
 * client would then fail later, with an error about an unknown host; taken apart here, the settings check
 * can say at once what to set instead.
 *
 * <p>Only the parts it recognises are kept: a user name and password in the URL ({@code user:secret@host})
 * are dropped and never shown. A bare IPv6 address (more than one colon) is not taken for HOST:PORT.
 */
record PastedHost(
        Optional<String> scheme,
        Optional<String> domain,
        Optional<Integer> port,
        Optional<String> path,
        boolean credentials,
        boolean whitespace) {

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
    /** A host name or IPv4 address, or an IPv6 address (taken from [brackets]). */
    private static final Pattern DOMAIN =
            Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.?|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,100}");

    /** Empty when {@code value} is a host name (or an IP address) alone; otherwise its parts. */
    static Optional<PastedHost> parse(String value) {
        boolean whitespace = value.chars().anyMatch(Character::isWhitespace);
        // "deployment .emqxsl.test": a domain split around its dots is still that domain.
        String rest = whitespace ? value.replaceAll("\\s*\\.\\s*", ".") : value;
        Optional<String> scheme = Optional.empty();
        Matcher schemeMatch = SCHEME.matcher(rest);
        if (schemeMatch.find()) {
            scheme = Optional.of(schemeMatch.group(1).toLowerCase(Locale.ROOT));
            rest = rest.substring(schemeMatch.end());
        }
        // user:password@host: everything up to the last @ goes, so no part of a password can be shown.
        boolean credentials = rest.contains("@");
        rest = rest.substring(rest.lastIndexOf('@') + 1);
        int pathStart = firstIndexOf(rest, "/?#");
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        String pathPart = pathStart < 0 ? "" : rest.substring(pathStart);
        String host = authority;
        String portText = null;
        if (authority.startsWith("[") && authority.contains("]")) { // [IPv6]:port
            host = authority.substring(1, authority.indexOf(']'));
            String after = authority.substring(authority.indexOf(']') + 1);
            portText = after.startsWith(":") ? after.substring(1) : null;
        } else if (authority.indexOf(':') >= 0 && authority.indexOf(':') == authority.lastIndexOf(':')) {
            host = authority.substring(0, authority.indexOf(':'));
            portText = authority.substring(authority.indexOf(':') + 1);
        }
        if (scheme.isEmpty() && !credentials && pathStart < 0 && portText == null && !whitespace) {
            return Optional.empty();
        }
        String path = pathPart.split("[?#]", 2)[0];
        return Optional.of(new PastedHost(
                scheme,
                Optional.of(host).filter(name -> DOMAIN.matcher(name).matches()),
                Optional.ofNullable(portText).filter(text -> PORT.matcher(text).matches()).map(Integer::valueOf)
                        .filter(number -> number >= 1 && number <= 65535),
                Optional.of(path).filter(text -> PATH.matcher(text).matches() && !text.equals("/")),
                credentials,
                whitespace));
    }

    /**
     * The settings line: what MQTT_HOST holds, that it takes the domain alone, and the variables to set, from the
     * parts found. The port goes to MQTT_WS_PORT for a wss:// URL (or a bare 8084), else to MQTT_PORT; the path
     * of a wss:// URL to MQTT_WS_PATH.
     */
    String problem() {
        List<String> settings = new ArrayList<>();
        settings.add(domain.map(name -> "MQTT_HOST=" + name)
                .orElse("MQTT_HOST to the address from the console (e.g. xxxxxxxx.ala.us-east-1.emqxsl.com)"));
        boolean webSocketPort = webSocketScheme()
                || (scheme.isEmpty() && port.equals(Optional.of(Settings.DEFAULT_WS_PORT)));
        port.ifPresent(number -> settings.add((webSocketPort ? "MQTT_WS_PORT=" : "MQTT_PORT=") + number));
        if (webSocketScheme()) {
            path.ifPresent(text -> settings.add("MQTT_WS_PATH=" + text));
        }
        String line = "MQTT_HOST holds " + extras() + ", but it takes the deployment's domain name alone"
                + " (no scheme, port or path): set " + and(settings);
        if (credentials) {
            line += "; the user name and password go in MQTT_USERNAME and MQTT_PASSWORD";
        }
        return line;
    }

    /** What was found besides the domain, in words: "the scheme mqtts:// and the port 8883". */
    String extras() {
        List<String> parts = new ArrayList<>();
        scheme.ifPresent(name -> parts.add("the scheme " + name + "://"));
        if (credentials) {
            parts.add("a user name and password");
        }
        port.ifPresent(number -> parts.add("the port " + number));
        path.ifPresent(text -> parts.add("the path " + text));
        if (whitespace) {
            parts.add("whitespace");
        }
        if (parts.isEmpty()) {
            parts.add("more than a domain name"); // a port or path it could not read, which is not repeated
        }
        return and(parts);
    }

    /** Whether the URL was one for MQTT over WebSocket (wss:// or ws://). */
    boolean webSocketScheme() {
        return scheme.filter(name -> name.equals("wss") || name.equals("ws")).isPresent();
    }

    /** "a", "a and b", "a, b and c". */
    private static String and(List<String> parts) {
        return parts.size() <= 1 ? String.join("", parts)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static int firstIndexOf(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
