package serverless.doctor;

import java.util.ArrayList;
import java.util.List;

/** Walks an exception's cause chain: the TLS and socket causes are the JDK's own exceptions, wrapped by Paho. */
final class Causes {

    private Causes() {
    }

    static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static boolean messageContains(Throwable error, String text) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** The exact error for the support ticket: every exception in the chain with its message, outermost first. */
    static String exact(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = error; t != null && parts.size() < 6; t = t.getCause()) {
            String text = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
            if (parts.isEmpty() || !parts.get(parts.size() - 1).contains(text)) {
                parts.add(text);
            }
        }
        return String.join(" <- caused by: ", parts);
    }
}
