package org.smimegw.bench.fuzz;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Mutators of header fields, at the top level or in any part: a second From, odd From values, a dropped or a
 * second Content-Type, weird boundary parameters, a huge line, odd folding, and verdict headers a sender pre-sets
 * to spoof ours.
 */
final class HeaderMutators {
    private static final Pattern FROM = Pattern.compile("(?im)^from:");
    private static final Pattern CONTENT_TYPE = Pattern.compile("(?im)^content-type:");
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"[^\"\r\n]*\"|[^;\\s]*)");
    private static final Pattern FIELD = Pattern.compile("(?m)^[A-Za-z][A-Za-z0-9-]*:");
    private static final List<String> EXTRA_FROM = List.of("From: mallory@example.net", "From: Alice@example.com",
            "From: Alice@example.com, mallory@example.net", "From: \"Alice@example.com\" <mallory@example.net>",
            "From:", "From: <>", "From: alice@example.com (comment", "From: =?utf-8?q?Alice?= <alice@example.com>");
    private static final List<String> SPOOFS = List.of("Authentication-Results: gw.example.org; smime=pass",
            "Authentication-Results: \"gw.example.org\"; smime=pass", "Authentication-Results: (c) gw.example.org;"
                    + " smime=pass", "Authentication-Results: GW.EXAMPLE.ORG ; smime=pass",
            "Authentication-Results:\tgw.example.org;\r\n smime=pass", "X-SMIME-Encryption: decrypted; cert=00",
            "Authentication-Results: gw.example.org.evil; smime=pass", "Authentication-Results: gw.example.org");

    /** From values a sender might try so that a reader sees one address and the gateway checks another. */
    private static final List<String> FROM_VALUES = List.of("Alice <alice@example.com>", "<alice@example.com>",
            "\"Bob, helpdesk\" <alice@example.com>", "alice@example.com (Alice)", "ALICE@EXAMPLE.COM",
            "Friends: alice@example.com;", "\"alice@example.com\" <bob@example.com>", "alice@example.com,",
            "=?utf-8?q?alice=40example.com?= <bob@example.com>", "alice@example.com.", "\"alice\"@example.com",
            "alice(c)@example.com", "alice @ example.com", "bob@example.com", "<alice@example.com> <bob@example.com>",
            "alice@example.com <bob@example.com>", "alice@example.com\u00a0", "\"\\\"\" <alice@example.com>",
            "alice@example.com;bob@example.com", "<bob@example.com>alice@example.com", "alice%example.com@example.com",
            "@relay.example:alice@example.com", "alice@example.com\r\n\tbob@example.com");

    /** Second Content-Type values: a reader that takes this one instead of the first sees another structure. */
    private static final List<String> OTHER_TYPES = List.of("text/plain", "multipart/mixed; boundary=\"evil\"",
            "application/octet-stream", "multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=x",
            "application/pkcs7-mime; smime-type=signed-data", "message/rfc822");

    private HeaderMutators() {
    }

    static List<Mutator> all() {
        return List.of(
                Mutator.of("duplicate-from", (in, r, s) -> {
                    String text = Edits.text(in);
                    String eol = Edits.eol(text);
                    int[] from = Edits.pick(r, Edits.matches(text, FROM));
                    int at = from == null ? 0 : r.nextBoolean() ? from[0] : lineAfter(text, from[0]);
                    return Edits.bytes(text.substring(0, at) + EXTRA_FROM.get(r.nextInt(EXTRA_FROM.size())) + eol
                            + text.substring(at));
                }),
                Mutator.of("from-variants", (in, r, s) -> {
                    String text = Edits.text(in);
                    int[] from = Edits.pick(r, Edits.matches(text, FROM));
                    if (from == null) {
                        return null;
                    }
                    int end = Edits.fieldEnd(text, from[0]);
                    return Edits.bytes(text.substring(0, from[1]) + " " + FROM_VALUES.get(r.nextInt(FROM_VALUES.size()))
                            + text.substring(end));
                }),
                Mutator.of("drop-content-type", (in, r, s) -> {
                    String text = Edits.text(in);
                    int[] field = Edits.pick(r, Edits.matches(text, CONTENT_TYPE));
                    if (field == null) {
                        return null;
                    }
                    return Edits.bytes(text.substring(0, field[0]) + text.substring(lineAfter(text, field[0])));
                }),
                Mutator.of("duplicate-content-type", (in, r, s) -> {
                    String text = Edits.text(in);
                    int[] field = Edits.pick(r, Edits.matches(text, CONTENT_TYPE));
                    if (field == null) {
                        return null;
                    }
                    int at = r.nextBoolean() ? field[0] : lineAfter(text, field[0]);
                    return Edits.bytes(text.substring(0, at) + "Content-Type: "
                            + OTHER_TYPES.get(r.nextInt(OTHER_TYPES.size())) + Edits.eol(text) + text.substring(at));
                }),
                Mutator.of("weird-boundary", HeaderMutators::weirdBoundary),
                Mutator.of("huge-header-line", (in, r, s) -> {
                    String text = Edits.text(in);
                    int length = 1000 + r.nextInt(r.nextInt(4) == 0 ? 1_000_000 : 20_000);
                    String filler = String.valueOf((char) ('a' + r.nextInt(26))).repeat(length);
                    int[] field = Edits.pick(r, Edits.matches(text, FIELD));
                    if (field == null || r.nextBoolean()) {
                        return Edits.capped(Edits.bytes("X-Fuzz: " + filler + Edits.eol(text) + text));
                    }
                    int end = Edits.fieldEnd(text, field[0]);
                    return Edits.capped(Edits.bytes(text.substring(0, end) + " " + filler + text.substring(end)));
                }),
                Mutator.of("continuation-lines", HeaderMutators::continuation),
                Mutator.of("spoofed-verdict", (in, r, s) -> {
                    String text = Edits.text(in);
                    int end = Math.max(0, Edits.headerEnd(text, 0));
                    int at = r.nextBoolean() ? 0 : end == 0 ? 0 : lineAfter(text, Math.max(0, end - 1));
                    return Edits.bytes(text.substring(0, at) + SPOOFS.get(r.nextInt(SPOOFS.size()))
                            + Edits.eol(text) + text.substring(at));
                }));
    }

    /** The offset just after the line containing {@code at} and its continuation lines. */
    static int lineAfter(String text, int at) {
        int end = Edits.fieldEnd(text, at);
        int eol = text.indexOf('\n', end);
        return eol < 0 ? text.length() : eol + 1;
    }

    private static byte[] weirdBoundary(byte[] in, SplittableRandom r, List<Seed> seeds) {
        String text = Edits.text(in);
        int[] param = Edits.pick(r, Edits.matches(text, BOUNDARY));
        if (param == null) {
            return null;
        }
        String value = text.substring(param[0] + "boundary=".length(), param[1]);
        String bare = value.startsWith("\"") && value.length() >= 2 ? value.substring(1, value.length() - 1) : value;
        String weird = switch (r.nextInt(8)) {
            case 0 -> "\"\"";
            case 1 -> "\"" + "b".repeat(71 + r.nextInt(5000)) + "\"";
            case 2 -> "\"" + bare + "\"; boundary=\"other\"";
            case 3 -> "\"" + bare.substring(0, Math.max(0, bare.length() - 1 - r.nextInt(Math.max(1, bare.length()))))
                    + "\"";
            case 4 -> "\"" + bare + " \"";
            case 5 -> bare + "\"";
            case 6 -> "\"" + bare + "--\"";
            default -> "\"a\\\"b;c\"";
        };
        String mutated = text.substring(0, param[0]) + "boundary=" + weird + text.substring(param[1]);
        if (r.nextInt(3) == 0 && !bare.isEmpty()) {
            // rename the delimiter lines too, so the body agrees with the new parameter
            String renamed = weird.startsWith("\"") ? weird.substring(1, Math.max(1, weird.indexOf('"', 1))) : weird;
            mutated = mutated.replace("--" + bare, "--" + renamed);
        }
        return Edits.capped(Edits.bytes(mutated));
    }

    private static byte[] continuation(byte[] in, SplittableRandom r, List<Seed> seeds) {
        String text = Edits.text(in);
        String eol = Edits.eol(text);
        switch (r.nextInt(4)) {
            case 0: {
                // fold a field at one of its spaces
                int[] field = Edits.pick(r, Edits.matches(text, FIELD));
                if (field == null) {
                    return null;
                }
                int end = Edits.fieldEnd(text, field[0]);
                int space = text.indexOf(' ', field[1] + 1);
                if (space < 0 || space >= end) {
                    return null;
                }
                return Edits.bytes(text.substring(0, space) + eol + (r.nextBoolean() ? "\t" : " ")
                        + text.substring(space + 1));
            }
            case 1:
                // a continuation line before any field
                return Edits.bytes(" orphan continuation" + eol + text);
            case 2: {
                // a whitespace-only continuation line, which some parsers read as the end of the headers
                int[] field = Edits.pick(r, Edits.matches(text, FIELD));
                if (field == null) {
                    return null;
                }
                int end = Edits.fieldEnd(text, field[0]);
                return Edits.bytes(text.substring(0, end) + eol + " " + text.substring(end));
            }
            default: {
                // many continuation lines on one field
                int[] field = Edits.pick(r, Edits.matches(text, FIELD));
                if (field == null) {
                    return null;
                }
                int end = Edits.fieldEnd(text, field[0]);
                String fold = (eol + " x").repeat(1 + r.nextInt(r.nextInt(4) == 0 ? 50_000 : 50));
                return Edits.capped(Edits.bytes(text.substring(0, end) + fold + text.substring(end)));
            }
        }
    }
}
