package org.smimegw.core.cert;

/** Puts text taken from a certificate or file into a refusal, so that the refusal stays one printable line. */
final class PrintableText {
    private PrintableText() {
    }

    /** The value in double quotes, with quotes, backslashes and control characters escaped, so it stays one line. */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
