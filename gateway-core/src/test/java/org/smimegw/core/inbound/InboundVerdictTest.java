package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundFixture.HOST;
import static org.smimegw.core.inbound.InboundFixture.authResults;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/** Verdicts and the exact header text for ordinary signed messages. */
class InboundVerdictTest {
    private final InboundFixture fx = new InboundFixture();
    private final Issued ca = fx.ca;
    private final Issued alice = fx.alice;

    private static void assertPolicy(String reason, InboundResult result) {
        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(reason, result.verdict().reason().get());
        assertTrue(result.keepOriginal());
    }

    @Test
    void validSignatureOfSignerUnderStoredCaPasses() {
        InboundResult result = fx.process(TestMessages.signedBy(alice, List.of(alice.certificate())));

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(HOST + "; smime=pass"
                + "    header.from=alice@example.com body.smime-identifier=alice@example.com"
                + "    body.smime-serial=" + alice.certificate().getSerialNumber().toString(16)
                + " body.smime-issuer=\"CN=Example Root CA\"", authResults(result));
    }

    @Test
    void displayNameNeverCountsAsTheFromAddress() {
        String headers = TestMessages.HEADERS.replace("Alice <alice@example.com>",
                "\"alice@example.com\" <mallory@example.net>");

        InboundResult result = fx.process(TestMessages.signedBy(headers, alice, List.of(alice.certificate())));

        assertPolicy("signer alice@example.com is not the From address mallory@example.net", result);
    }

    @Test
    void notYetValidSignerCertificateIsPolicy() {
        Issued future = TestPki.client("alice@example.com").issuedBy(ca)
                .valid(Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z")).build();

        InboundResult result = fx.process(TestMessages.signedBy(future, List.of(future.certificate())));

        assertPolicy("certificate not yet valid (valid from 2027-01-01)", result);
    }

    @Test
    void selfSignedStoredClientCertificateIsNoAnchorForOthers() {
        Issued storedClient = TestPki.client("carol@example.com").build();
        fx.directory.add(storedClient.certificate(), CertificateKind.CLIENT);
        Issued signer = TestPki.client("alice@example.com").issuedBy(storedClient).build();

        InboundResult result = fx.process(TestMessages.signedBy(signer, List.of(signer.certificate())));

        assertPolicy(SignerTrust.NOT_TRUSTED, result);
    }
}
