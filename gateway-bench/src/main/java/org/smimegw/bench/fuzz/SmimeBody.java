package org.smimegw.bench.fuzz;

import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The base64 body of an S/MIME part (application/pkcs7-signature or pkcs7-mime) inside a message: found, decoded
 * to DER, and written back after a DER mutation, so the mutation reaches the CMS and ASN.1 parsers instead of
 * failing in the base64 decoder.
 */
record SmimeBody(String message, int from, int to, byte[] der) {
    private static final Pattern SMIME_TYPE = Pattern.compile(
            "(?im)^content-type:[ \t]*application/(x-)?pkcs7-(mime|signature)");

    /** One S/MIME part of the message, picked at random, or {@code null} when it has none that decodes. */
    static SmimeBody find(byte[] input, SplittableRandom random) {
        String text = Edits.text(input);
        List<int[]> types = Edits.matches(text, SMIME_TYPE);
        int[] type = Edits.pick(random, types);
        if (type == null) {
            return null;
        }
        int headerEnd = Edits.headerEnd(text, type[0]);
        if (headerEnd < 0) {
            return null;
        }
        int from = headerEnd + (text.startsWith("\r\n\r\n", headerEnd) ? 4 : 2);
        int to = text.indexOf("\n--", from);
        to = to < 0 ? text.length() : to + 1;
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(from, to).trim());
            return der.length == 0 ? null : new SmimeBody(text, from, to, der);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The message with this part's body replaced by {@code mutated}, base64 in 64-character lines. */
    byte[] with(byte[] mutated) {
        String eol = Edits.eol(message);
        String encoded = Base64.getMimeEncoder(64, Edits.bytes(eol)).encodeToString(mutated) + eol;
        return Edits.capped(Edits.bytes(message.substring(0, from) + encoded + message.substring(to)));
    }
}
