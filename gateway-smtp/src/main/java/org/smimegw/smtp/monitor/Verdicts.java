package org.smimegw.smtp.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.smimegw.core.inbound.EncryptionOutcome;
import org.smimegw.core.inbound.InboundResult;
import org.smimegw.core.outbound.OutboundResult;

/**
 * The verdicts of processing as the words kept with a queued message ({@code QueueEntry.verdicts}) and logged when
 * it reaches its final state: {@code smime=<result> encryption=decrypted|failed|none} inbound, {@code signed=yes|no
 * encrypted=yes|no} outbound. Only result words, never reasons, addresses or fingerprints.
 */
public final class Verdicts {
    private Verdicts() {
    }

    /** {@code smime=pass encryption=decrypted}. */
    public static String of(InboundResult result) {
        return "smime=" + result.verdict().word() + " encryption=" + encryption(result.encryption());
    }

    /** {@code signed=yes encrypted=no}. */
    public static String of(OutboundResult.Copy copy) {
        return "signed=" + yesNo(copy.signed()) + " encrypted=" + yesNo(copy.encrypted());
    }

    /** {@code decrypted}, {@code failed} or {@code none}: the first word of {@code X-SMIME-Encryption}. */
    public static String encryption(EncryptionOutcome outcome) {
        if (outcome instanceof EncryptionOutcome.Decrypted) {
            return "decrypted";
        }
        return outcome instanceof EncryptionOutcome.Failed ? "failed" : "none";
    }

    /** The {@code key=value} words of {@code verdicts} in order; none for null or blank, malformed words skipped. */
    public static List<Map.Entry<String, String>> pairs(String verdicts) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (verdicts == null) {
            return pairs;
        }
        for (String word : verdicts.trim().split(" +")) {
            int equals = word.indexOf('=');
            if (equals > 0 && equals < word.length() - 1) {
                pairs.add(Map.entry(word.substring(0, equals), word.substring(equals + 1)));
            }
        }
        return pairs;
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
