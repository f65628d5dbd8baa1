package org.smimegw.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;

/**
 * The messages the benchmarks send: plain text of a given size (76-character lines, CRLF, no line starting with a
 * dot), and the same signed by the contact and encrypted to the organisation, as a partner's client would send it.
 */
public final class BenchMessages {
    private static final int LINE = 76;

    private BenchMessages() {
    }

    /** A plain text message of about {@code size} bytes in all. */
    public static RawMessage plain(String from, String to, int size) {
        StringBuilder text = new StringBuilder(size + 128);
        text.append("From: ").append(from).append("\r\nTo: ").append(to).append("\r\nSubject: benchmark ")
                .append(size).append(" bytes\r\nMessage-ID: <bench-").append(size).append('@')
                .append("bench.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=US-ASCII\r\n"
                        + "Content-Transfer-Encoding: 7bit\r\n\r\n");
        Random random = new Random(size);
        while (text.length() < size) {
            int length = Math.min(LINE, Math.max(1, size - text.length() - 2));
            for (int i = 0; i < length; i++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            text.append("\r\n");
        }
        return RawMessage.parse(text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** What the organisation receives from the contact: signed by her, then encrypted to the organisation. */
    public static RawMessage inbound(BenchIdentities parties, int size, Instant signingTime) {
        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        RawMessage signed = new SmimeSigner(algorithms).sign(
                plain(BenchIdentities.CONTACT, BenchIdentities.ORG, size), parties.contactSigning(), signingTime);
        return new SmimeEncryptor(algorithms).encrypt(signed, List.of(parties.org().certificate()));
    }
}
