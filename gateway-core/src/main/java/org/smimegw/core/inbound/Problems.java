package org.smimegw.core.inbound;

/** Short, one-line descriptions of exceptions for reasons in headers. Stateless. */
final class Problems {
    private static final int MAX = 160;

    private Problems() {
    }

    /** The message of the exception (or its class when it has none) plus its root cause's, shortened. */
    static String describe(Throwable e) {
        String text = text(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            String rootText = text(root);
            if (!text.contains(rootText)) {
                text = text + ": " + rootText;
            }
        }
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > MAX ? text.substring(0, MAX) + "..." : text;
    }

    private static String text(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
