package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.RevocationPki;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.operations.CrlImport;

import jakarta.mail.internet.MimeMessage;

/**
 * End to end, in-process ({@link RelayFixture}): what the relay does to a message on its way, outbound signed and
 * encrypted, inbound decrypted and verified, refused when encryption is required and impossible.
 */
class RelayIT extends RelayFixture {
    @Test
    void outboundMessageIsSignedAndEncryptedForTheContact() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true);

        String reply = SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Your ticket", "", "Hello Alice,\r\n\r\nyour ticket is solved.\r\n"));

        String id = queueId(reply);
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "nothing reached the upstream");
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(1, received.length);
        assertTrue(received[0].getContentType().toLowerCase().startsWith("application/pkcs7-mime"),
                received[0].getContentType());
        assertEquals(CONTACT, received[0].getAllRecipients()[0].toString());
        awaitQueue("message " + id + " removed after delivery", () -> running.gateway.queue().find(id).isEmpty());

        Path work = Files.createDirectories(dir.resolve("openssl"));
        Files.write(work.resolve("outbound.eml"), bytes(received[0]));
        TestPki.writePem(work.resolve("contact.pem"), contact.certificate());
        TestPki.writePem(work.resolve("contact.key"), contact.key());
        TestPki.writePem(work.resolve("org-ca.pem"), orgCa.certificate());
        Openssl openssl = new Openssl(work);
        openssl.run("cms", "-decrypt", "-in", "outbound.eml", "-recip", "contact.pem", "-inkey", "contact.key",
                "-out", "decrypted.eml").assertSuccess();
        openssl.run("cms", "-verify", "-in", "decrypted.eml", "-CAfile", "org-ca.pem", "-purpose", "any",
                "-signer", "signer.pem", "-out", "plain.eml").assertSuccess();
        String plain = Files.readString(work.resolve("plain.eml"), StandardCharsets.UTF_8);
        assertTrue(plain.contains("your ticket is solved."), plain);
        assertEquals(org.certificate(), certificate(work.resolve("signer.pem")));
    }

    @Test
    void inboundMessageIsDecryptedAndVerified() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true);
        GatewayConfig config = running.gateway.config();
        RawMessage answer = RawMessage.parse(message(CONTACT, ORG, "Re: Your ticket", "", "Thanks, all good.\r\n"));
        RawMessage signed = new SmimeSigner(config.algorithms()).sign(answer, new SigningIdentity(
                contact.certificate(), contact.key(), List.of(partnerCa.certificate())), clock.instant());
        RawMessage encrypted = new SmimeEncryptor(config.algorithms()).encrypt(signed, List.of(org.certificate()));

        String reply = SmtpSubmission.send(running.relay.inboundPort(), CONTACT, ORG, encrypted.toBytes().toByteArray());

        queueId(reply);
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "nothing reached the inbound relay");
        MimeMessage delivered = greenMail.getReceivedMessages()[0];
        assertEquals(ORG, delivered.getAllRecipients()[0].toString());
        String results = delivered.getHeader("Authentication-Results", null);
        assertNotNull(results);
        assertTrue(results.replaceAll("\\s+", " ").startsWith("gateway.test; smime=pass"), results);
        String encryption = delivered.getHeader("X-SMIME-Encryption", null).replaceAll("\\s+", " ");
        assertTrue(encryption.startsWith("decrypted"), encryption);
        String orgFingerprint = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(org.certificate().getEncoded()));
        assertTrue(encryption.contains(orgFingerprint), encryption + " names the org's certificate " + orgFingerprint);
        String text = new String(bytes(delivered), StandardCharsets.UTF_8);
        assertTrue(text.contains("Thanks, all good."), text);
    }

    @Test
    void requiredEncryptionWithoutCertificateIsRefusedAndNothingIsQueued() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true);
        String bob = "bob@nowhere.example";

        String reply = SmtpSubmission.send(running.relay.outboundPort(), ORG, bob,
                message(ORG, bob, "Secret", "X-SMIME-Encrypt: yes\r\n", "Nobody can read this.\r\n"));

        assertTrue(reply.startsWith("550 5.7.1 "), reply);
        assertTrue(reply.contains(bob), reply);
        assertEquals(List.of(), running.gateway.queue().list());
        assertFalse(greenMail.waitForIncomingEmail(500, 1), "a refused message reached the upstream");
    }

    @Test
    void aContactIsHarvestedFromSignedInboundMailEncryptedToAndRefusedOnceRevoked() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true);
        String dave = "dave@partner.example";
        TestPki.Issued daveCertificate = TestPki.client(dave).issuedBy(partnerCa).build();
        byte[] secret = message(ORG, dave, "Secret", "X-SMIME-Encrypt: yes\r\n", "For Dave only.\r\n");
        assertTrue(SmtpSubmission.send(running.relay.outboundPort(), ORG, dave, secret).contains(
                dave + " (no certificate)"), "no certificate for Dave yet");

        RawMessage signed = new SmimeSigner(running.gateway.config().algorithms()).sign(
                RawMessage.parse(message(dave, ORG, "Hello", "", "Signed by Dave.\r\n")),
                new SigningIdentity(daveCertificate.certificate(), daveCertificate.key(), List.of()), clock.instant());
        queueId(SmtpSubmission.send(running.relay.inboundPort(), dave, ORG, signed.toBytes().toByteArray()));
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "the signed message was not delivered");

        queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, dave, secret));
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 2), "the encrypted message was not delivered");
        assertTrue(new String(bytes(greenMail.getReceivedMessages()[1]), StandardCharsets.US_ASCII)
                .contains("application/pkcs7-mime"), "encrypted to the harvested certificate");

        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        byte[] crl = RevocationPki.crl(partnerCa).updates(now.minusSeconds(60), now.plus(Duration.ofDays(1)))
                .revoke(daveCertificate.certificate(), now.minusSeconds(30)).der();
        GatewayConfig config = running.gateway.config();
        assertTrue(new CrlImport(running.gateway.certificates(), running.gateway.revocationData(),
                running.gateway.audit(), config.lifecycle().revocation().maxCrlBytes(), clock)
                .importFile(crl, "partner.crl").imported());

        String refused = SmtpSubmission.send(running.relay.outboundPort(), ORG, dave, secret);
        assertTrue(refused.startsWith("550 5.7.1 ") && refused.contains(dave + " (revoked on "), refused);
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
