package org.smimegw.bench.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;

/**
 * The seeds: the Thunderbird corpus messages ({@code thunderbird/smime/*.eml}, read in place, in name order) and
 * messages made with the gateway's own signer and encryptor: signed, opaque signed, encrypted (CBC and GCM),
 * signed then encrypted, encrypted then signed, signed multipart/mixed with an attachment, signed nested
 * multiparts, a signed part inside an unsigned message, and plain mail from the organisation for the outbound side.
 */
public final class Seeds {
    private Seeds() {
    }

    public static List<Seed> all(FuzzGateway gateway, Optional<Path> testdata) {
        List<Seed> seeds = new ArrayList<>();
        testdata.ifPresent(dir -> seeds.addAll(corpus(dir.resolve("thunderbird/smime"))));
        seeds.addAll(generated(gateway));
        return List.copyOf(seeds);
    }

    static List<Seed> corpus(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Seed> seeds = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().toList()) {
                seeds.add(new Seed(file.getFileName().toString(), Files.readAllBytes(file)));
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpus in " + dir, e);
        }
    }

    static List<Seed> generated(FuzzGateway gateway) {
        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        // seeded multipart/signed boundaries; the CMS content keys stay random (see docs/fuzzing.md)
        SmimeSigner signer = new SmimeSigner(algorithms, FuzzGateway.deterministic(7L));
        SmimeEncryptor cbc = new SmimeEncryptor(algorithms);
        SmimeEncryptor gcm = new SmimeEncryptor(algorithms.withContentCipher(SmimeAlgorithms.ContentCipher.AES256_GCM));
        SigningIdentity alice = new SigningIdentity(gateway.alice.certificate(), gateway.alice.key(),
                List.of(gateway.ca.certificate()));
        List<X509Certificate> toBob = List.of(gateway.bob.certificate());

        RawMessage text = message(FuzzGateway.ALICE, FuzzGateway.BOB, "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nHello Bob, caf=C3=A9 at noon.\r\n");
        RawMessage mixed = message(FuzzGateway.ALICE, FuzzGateway.BOB, mixedEntity());
        RawMessage nested = message(FuzzGateway.ALICE, FuzzGateway.BOB, nestedEntity());
        RawMessage signedText = signer.sign(text, alice, FuzzGateway.AT);
        List<Seed> seeds = new ArrayList<>();
        seeds.add(seed("gen.signed", signedText));
        seeds.add(seed("gen.opaque-signed", signer.signOpaque(text, alice, FuzzGateway.AT)));
        seeds.add(seed("gen.encrypted", cbc.encrypt(text, toBob)));
        seeds.add(seed("gen.signed-encrypted", cbc.encrypt(signedText, toBob)));
        seeds.add(seed("gen.signed-encrypted-gcm", gcm.encrypt(signedText, toBob)));
        seeds.add(seed("gen.encrypted-signed", signer.sign(cbc.encrypt(text, toBob), alice, FuzzGateway.AT)));
        seeds.add(seed("gen.mixed-signed", signer.sign(mixed, alice, FuzzGateway.AT)));
        seeds.add(seed("gen.nested-signed", signer.signOpaque(nested, alice, FuzzGateway.AT)));
        seeds.add(new Seed("gen.inner-signed", innerSigned(signedText)));
        seeds.add(seed("gen.outbound-plain", message(FuzzGateway.BOB, FuzzGateway.ALICE,
                "Content-Type: text/plain; charset=us-ascii\r\n\r\nYour ticket #42 is solved.\r\n")));
        seeds.add(seed("gen.outbound-mixed", message(FuzzGateway.BOB, FuzzGateway.ALICE, "X-SMIME-Sign: yes\r\n"
                + "X-SMIME-Encrypt: yes\r\n" + mixedEntity())));
        return seeds;
    }

    private static Seed seed(String name, RawMessage message) {
        return new Seed(name, message.toBytes().toByteArray());
    }

    private static RawMessage message(String from, String to, String entity) {
        return RawMessage.parse(("From: " + from + "\r\nTo: " + to + "\r\nSubject: fuzz seed\r\n"
                + "Message-ID: <seed@example.com>\r\nMIME-Version: 1.0\r\n" + entity).getBytes(StandardCharsets.UTF_8));
    }

    private static String mixedEntity() {
        String attachment = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'})
                .encodeToString(Edits.randomBytes(new SplittableRandom(4), 600));
        return "Content-Type: multipart/mixed; boundary=\"mixed-1\"\r\n\r\n--mixed-1\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nSee the attachment.\r\n--mixed-1\r\n"
                + "Content-Type: application/octet-stream; name=data.bin\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=data.bin\r\n\r\n" + attachment + "\r\n--mixed-1--\r\n";
    }

    private static String nestedEntity() {
        return "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n"
                + "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\n"
                + "Content-Type: text/plain\r\n\r\nplain\r\n--alt\r\n"
                + "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n--rel\r\n"
                + "Content-Type: text/html\r\n\r\n<p>html</p>\r\n--rel--\r\n--alt--\r\n--outer\r\n"
                + "Content-Type: message/rfc822\r\n\r\nFrom: x@example.com\r\nSubject: inner\r\n\r\ninner body\r\n"
                + "--outer--\r\n";
    }

    /** A multipart/mixed whose second part is a whole signed message: the message as a whole is unsigned. */
    private static byte[] innerSigned(RawMessage signed) {
        String inner = new String(signed.toBytes().toByteArray(), StandardCharsets.ISO_8859_1);
        String message = "From: " + FuzzGateway.ALICE + "\r\nTo: " + FuzzGateway.BOB + "\r\nSubject: forwarded\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"fwd\"\r\n\r\n--fwd\r\n"
                + "Content-Type: text/plain\r\n\r\nForwarded below.\r\n--fwd\r\nContent-Type: message/rfc822\r\n\r\n"
                + inner + "\r\n--fwd--\r\n";
        return message.getBytes(StandardCharsets.ISO_8859_1);
    }

}
