package org.smimegw.bench.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.smimegw.core.inbound.EncryptionOutcome;
import org.smimegw.core.inbound.InboundResult;
import org.smimegw.core.inbound.Signer;
import org.smimegw.core.inbound.SmimeResult;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.outbound.OutboundResult;
import org.smimegw.core.process.MessageProcessor;

/**
 * Judges one input: runs it inbound and outbound and returns what is wrong, as short lines (empty when all is
 * well). Exceptions are not caught here: the campaign reports them as findings.
 *
 * <p>Inbound: the annotated output re-parses; it carries exactly one {@code Authentication-Results} of ours, first,
 * with a docs/design.md §6.2 verdict word equal to the returned one, and exactly one {@code X-SMIME-Encryption}; our
 * header lines stay under 998 octets. A {@code pass} is sound only if a reader sees exactly what some seed showed
 * when it passed unmutated ({@link ReaderView}): a mutation outside the signed content (an unsigned header, the
 * signature's certificate set, line breaks in the base64) may keep {@code pass}; a change to what the reader sees
 * may not, whatever the signature says. Nor may the From a reader sees (all From fields, as jakarta.mail reads
 * them) be anything but the one address of the signer that the verdict names, nor may the delivered message offer
 * several Content-Type fields (a reader taking another one sees another structure, e.g. parts in the preamble). A
 * delivered message (or From) the independent parser cannot read at all is not held against {@code pass}: such a
 * reader shows nothing as signed.
 *
 * <p>Outbound: {@code Relay} or {@code Refused}. What it relays must come back through the inbound pipeline as the
 * gateway itself would read it: signed output gives {@code pass}, encrypted output decrypts.
 */
final class Oracle {
    static final Set<String> VERDICTS = Set.of("pass", "fail", "policy", "none", "permerror", "temperror");
    private static final int MAX_LINE = 998;

    private final MessageProcessor processor;
    private final Set<String> keyFingerprints;
    private final Set<String> passViews;

    /**
     * @param keyFingerprints the certificates whose private keys the gateway holds
     * @param passViews the {@link ReaderView}s of the seeds that pass unmutated
     */
    Oracle(MessageProcessor processor, Set<String> keyFingerprints, Set<String> passViews) {
        this.processor = processor;
        this.keyFingerprints = keyFingerprints;
        this.passViews = passViews;
    }

    /** The verdict word and the problems of one input. */
    record Judgement(String verdict, List<String> problems) {
    }

    Judgement judge(byte[] input) {
        List<String> problems = new ArrayList<>();
        InboundResult inbound = processor.inbound(Bytes.of(input), FuzzGateway.INBOUND, FuzzGateway.AT).result();
        checkAnnotation(inbound, problems);
        if (inbound.verdict() instanceof SmimeResult.Pass) {
            checkPassShowsSignedContentFromTheSigner(inbound, problems);
        }
        checkOutbound(input, problems);
        return new Judgement(inbound.verdict().word(), problems);
    }

    private static void checkAnnotation(InboundResult result, List<String> problems) {
        RawMessage reparsed = RawMessage.parse(result.message().toBytes());
        List<HeaderField> ours = reparsed.headers().stream()
                .filter(h -> h.is("Authentication-Results") && FuzzGateway.HOST.equalsIgnoreCase(authservId(h.value())))
                .toList();
        if (ours.size() != 1) {
            problems.add(ours.size() + " Authentication-Results of ours after re-parsing, not 1");
            return;
        }
        if (reparsed.headers().isEmpty() || reparsed.headers().get(0) != ours.get(0)) {
            problems.add("our Authentication-Results is not the first header field");
        }
        String word = verdictWord(ours.get(0).value());
        if (!VERDICTS.contains(word)) {
            problems.add("verdict word '" + word + "' is not one of docs/design.md §6.2");
        } else if (!word.equals(result.verdict().word())) {
            problems.add("header says smime=" + word + ", result says " + result.verdict().word());
        }
        List<HeaderField> encryption = reparsed.headers().stream().filter(h -> h.is("X-SMIME-Encryption")).toList();
        if (encryption.size() != 1) {
            problems.add(encryption.size() + " X-SMIME-Encryption fields, not 1");
        }
        for (HeaderField field : List.of(ours.get(0), encryption.isEmpty() ? ours.get(0) : encryption.get(0))) {
            for (String line : field.raw().split("\r\n", -1)) {
                if (line.length() > MAX_LINE || line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0
                        || line.indexOf(0) >= 0) {
                    problems.add(field.name() + " has a line over " + MAX_LINE + " octets or with CR, LF or NUL");
                }
            }
        }
    }

    private void checkPassShowsSignedContentFromTheSigner(InboundResult result, List<String> problems) {
        String view;
        try {
            view = ReaderView.of(result.message().toBytes().toByteArray());
        } catch (Exception e) {
            // a reader that cannot parse the message (e.g. a boundary ending in a space) shows nothing as signed
            return;
        }
        if (!passViews.contains(view)) {
            problems.add("smime=pass, but a reader sees content that no seed showed when it passed");
        }
        int types = result.message().headerValues("Content-Type").size();
        if (types > 1) {
            problems.add("smime=pass, but the delivered message has " + types + " Content-Type fields to choose from");
        }
        String signer = result.verdict().signer().flatMap(Signer::email).orElse("");
        try {
            List<String> from = ReaderView.fromAddresses(result.message().toBytes().toByteArray());
            if (from.size() != 1 || !from.get(0).equalsIgnoreCase(signer)) {
                problems.add("smime=pass for signer " + signer + ", but a reader sees From " + from);
            }
        } catch (Exception e) {
            // a From the reader cannot parse shows no address as the signer's
        }
    }

    private void checkOutbound(byte[] input, List<String> problems) {
        OutboundResult result = processor.outbound(RawMessage.parse(input), FuzzGateway.OUTBOUND, FuzzGateway.AT);
        if (!(result instanceof OutboundResult.Relay relay)) {
            return;
        }
        for (OutboundResult.Copy copy : relay.copies()) {
            checkCopy(copy, problems);
        }
    }

    private void checkCopy(OutboundResult.Copy copy, List<String> problems) {
        if (!copy.signed() && !copy.encrypted()) {
            return;
        }
        InboundResult back = processor.inbound(copy.message().toBytes(), FuzzGateway.OUTBOUND, FuzzGateway.AT)
                .result();
        // output encrypted only to certificates without a key here (never, with this setup) cannot be read back
        boolean readable = copy.recipientFingerprints().stream().anyMatch(keyFingerprints::contains);
        if (readable && !(back.encryption() instanceof EncryptionOutcome.Decrypted)) {
            problems.add("outbound " + copy.treatment() + " output does not decrypt: " + back.summary());
        }
        if (copy.signed() && !(back.verdict() instanceof SmimeResult.Pass)) {
            problems.add("outbound " + copy.treatment() + " output does not verify: " + back.summary()
                    + back.verdict().reason().map(r -> " (" + r + ")").orElse(""));
        }
    }

    /** RFC 8601 authserv-id: the first token or quoted-string after leading comments and whitespace. */
    static String authservId(String value) {
        String rest = value.replaceFirst("^(\\s*\\([^)]*\\))*\\s*", "");
        if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            return (close < 0 ? rest.substring(1) : rest.substring(1, close)).trim();
        }
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))
                && ";(\"".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        return rest.substring(0, end);
    }

    /** The word after {@code smime=} in an Authentication-Results value. */
    static String verdictWord(String value) {
        int at = value.indexOf("smime=");
        if (at < 0) {
            return "";
        }
        int end = at + "smime=".length();
        while (end < value.length() && Character.isLetter(value.charAt(end))) {
            end++;
        }
        return value.substring(at + "smime=".length(), end);
    }
}
