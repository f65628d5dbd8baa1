package org.smimegw.core.inbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.helpdesk.HelpdeskSettings;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.revocation.RevocationChecker;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/**
 * A gateway with one stored CA ("Example Root CA"), Alice's certificate issued by it (not stored), and Bob as
 * the organisation identity with a private key. Time is pinned to {@link TestPki#NOW}. One per test.
 */
final class InboundFixture {
    static final String HOST = "gw.example.org";
    static final Instant AT = TestPki.NOW;

    final InMemoryCertificateDirectory directory = new InMemoryCertificateDirectory();
    final InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
    final Issued ca = TestPki.ca("Example Root CA");
    final Issued alice = TestPki.client("alice@example.com").issuedBy(ca).build();
    final Issued bob = TestPki.client("bob@example.com").build();
    final String bobFingerprint = Fingerprints.sha256(bob.certificate());
    final InboundPipeline pipeline;

    InboundFixture() {
        this(HelpdeskSettings.DEFAULTS);
    }

    InboundFixture(HelpdeskSettings helpdesk) {
        directory.add(ca.certificate(), CertificateKind.CA);
        directory.add(bob.certificate(), CertificateKind.CLIENT);
        keys.put(bobFingerprint, bob.key());
        pipeline = new InboundPipeline(directory, keys, SmimeAlgorithms.defaults(), HOST, MessageLimits.DEFAULTS,
                RevocationChecker.off(), helpdesk);
    }

    InboundResult process(byte[] message) {
        return pipeline.process(RawMessage.parse(message), new Envelope("a@example.com", List.of("b@example.com")), AT);
    }

    /** A message signed by Alice with her certificate embedded. */
    byte[] signedByAlice(String headers) {
        return TestMessages.signedBy(headers, alice, List.of(alice.certificate()));
    }

    static String authResults(InboundResult result) {
        return result.message().headerValues("Authentication-Results").get(0);
    }

    static String text(InboundResult result) {
        return new String(result.message().toBytes().toByteArray(), StandardCharsets.ISO_8859_1);
    }
}
