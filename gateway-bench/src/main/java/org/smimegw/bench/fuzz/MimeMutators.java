package org.smimegw.bench.fuzz;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Mutators of MIME structure: the message's entity wrapped in deep nesting, a multipart with very many parts, a
 * closing delimiter removed, a part duplicated (a third part in multipart/signed), a fake delimiter in the preamble.
 */
final class MimeMutators {
    private static final Pattern DELIMITER = Pattern.compile("(?m)^--[^\r\n]+");
    private static final Pattern CLOSING = Pattern.compile("(?m)^--[^\r\n]+--[ \t]*(\r?\n|$)");

    private MimeMutators() {
    }

    static List<Mutator> all() {
        return List.of(
                Mutator.of("deep-nesting", MimeMutators::deepNesting),
                Mutator.of("many-parts", MimeMutators::manyParts),
                Mutator.of("missing-closing-boundary", (in, r, s) -> {
                    String text = Edits.text(in);
                    int[] closing = Edits.pick(r, Edits.matches(text, CLOSING));
                    if (closing == null) {
                        return null;
                    }
                    return Edits.bytes(text.substring(0, closing[0]) + text.substring(closing[1]));
                }),
                Mutator.of("duplicate-part", (in, r, s) -> {
                    String text = Edits.text(in);
                    List<int[]> delimiters = Edits.matches(text, DELIMITER);
                    if (delimiters.size() < 2) {
                        return null;
                    }
                    int i = r.nextInt(delimiters.size() - 1);
                    String part = text.substring(delimiters.get(i)[0], delimiters.get(i + 1)[0]);
                    int at = delimiters.get(i + 1)[0];
                    return Edits.bytes(text.substring(0, at) + part + text.substring(at));
                }),
                Mutator.of("delimiter-in-preamble", (in, r, s) -> {
                    String text = Edits.text(in);
                    int[] first = Edits.pick(r, Edits.matches(text, DELIMITER));
                    int headerEnd = Edits.headerEnd(text, 0);
                    if (first == null || headerEnd < 0 || first[0] < headerEnd) {
                        return null;
                    }
                    String eol = Edits.eol(text);
                    String delimiter = text.substring(first[0], first[1]);
                    String fake = r.nextBoolean() ? delimiter + eol + "Content-Type: text/plain" + eol + eol
                            + "Not signed." + eol : delimiter + "--" + eol;
                    int at = Edits.bodyStart(text, headerEnd);
                    return Edits.bytes(text.substring(0, at) + fake + text.substring(at));
                }));
    }

    /** The top-level entity wrapped in 1 to a few thousand multipart/mixed (or message/rfc822) layers. */
    private static byte[] deepNesting(byte[] in, SplittableRandom r, List<Seed> seeds) {
        String text = Edits.text(in);
        int headerEnd = Edits.headerEnd(text, 0);
        if (headerEnd < 0) {
            return null;
        }
        String eol = Edits.eol(text);
        String headers = text.substring(0, Edits.headersStop(text, headerEnd));
        String entity = text.substring(Edits.bodyStart(text, headerEnd));
        String contentFields = headerLines(headers, true);
        String messageFields = headerLines(headers, false);
        int depth = 1 + r.nextInt(r.nextInt(4) == 0 ? 5000 : 60);
        boolean rfc822 = r.nextInt(4) == 0;
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int level = 0; level < depth; level++) {
            String boundary = "nest" + level;
            open.append(rfc822 ? "Content-Type: message/rfc822" + eol + eol
                    : "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"" + eol + eol + "--" + boundary
                            + eol);
            close.insert(0, rfc822 ? "" : eol + "--" + boundary + "--" + eol);
        }
        String nested = messageFields + open + contentFields + eol + entity + close;
        return Edits.capped(Edits.bytes(nested));
    }

    /** The message's entity as the first of many parts of a multipart/mixed (or of the existing multipart). */
    private static byte[] manyParts(byte[] in, SplittableRandom r, List<Seed> seeds) {
        String text = Edits.text(in);
        String eol = Edits.eol(text);
        int count = 2 + r.nextInt(r.nextInt(4) == 0 ? 20_000 : 200);
        List<int[]> closings = Edits.matches(text, CLOSING);
        StringBuilder parts = new StringBuilder();
        if (!closings.isEmpty() && r.nextBoolean()) {
            // more parts inside an existing multipart, before its closing delimiter
            int[] closing = Edits.pick(r, closings);
            String delimiter = text.substring(closing[0], text.indexOf("--", closing[0] + 2));
            for (int i = 0; i < count; i++) {
                parts.append(delimiter).append(eol).append(eol).append("part ").append(i).append(eol);
            }
            return Edits.capped(Edits.bytes(text.substring(0, closing[0]) + parts + text.substring(closing[0])));
        }
        int headerEnd = Edits.headerEnd(text, 0);
        if (headerEnd < 0) {
            return null;
        }
        String headers = text.substring(0, Edits.headersStop(text, headerEnd));
        String messageFields = headerLines(headers, false);
        parts.append(messageFields).append("Content-Type: multipart/mixed; boundary=\"many\"").append(eol).append(eol)
                .append("--many").append(eol).append(headerLines(headers, true)).append(eol)
                .append(text.substring(Edits.bodyStart(text, headerEnd)));
        for (int i = 0; i < count; i++) {
            parts.append(eol).append("--many").append(eol).append(eol).append("part ").append(i);
        }
        return Edits.capped(Edits.bytes(parts.append(eol).append("--many--").append(eol).toString()));
    }

    /**
     * The fields of a header block that are Content-* fields (or, with {@code content} false, the others), each with
     * its continuation lines. A loop, not a regular expression: a field of 50,000 continuation lines would overflow
     * the stack of a repeated regex group.
     */
    private static String headerLines(String headers, boolean content) {
        StringBuilder kept = new StringBuilder();
        boolean inContentField = false;
        for (int start = 0; start < headers.length();) {
            int eol = headers.indexOf('\n', start);
            int end = eol < 0 ? headers.length() : eol + 1;
            char first = headers.charAt(start);
            if (first != ' ' && first != '\t') {
                inContentField = headers.regionMatches(true, start, "content-", 0, 8);
            }
            if (inContentField == content) {
                kept.append(headers, start, end);
            }
            start = end;
        }
        return kept.toString();
    }
}
