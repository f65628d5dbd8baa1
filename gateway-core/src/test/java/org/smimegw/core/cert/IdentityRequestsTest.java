package org.smimegw.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.smimegw.core.testing.TestPki;

/** The key pairs, requests and self-signed certificates of docs/design.md §14, against the import rules of §4. */
class IdentityRequestsTest {
    private static final String ORG = "helpdesk@org.example";

    @ParameterizedTest
    @EnumSource(IdentityRequests.Algorithm.class)
    void everyAlgorithmMakesASignedRequestAndASelfSignedCertificateThatPassTheClientRules(
            IdentityRequests.Algorithm algorithm) throws Exception {
        IdentityRequests.Made made = IdentityRequests.make(algorithm, IdentityRequests.subject(null, ORG), ORG);

        PKCS10CertificationRequest request = IdentityRequests.request(made);
        assertTrue(request.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(request.getSubjectPublicKeyInfo())));
        Extensions requested = Extensions.getInstance(request.getAttributes(
                PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        assertTrue(requested.getExtension(Extension.subjectAlternativeName) != null
                && requested.getExtension(Extension.keyUsage).isCritical()
                && requested.getExtension(Extension.extendedKeyUsage) != null);
        assertEquals("CN=" + ORG, request.getSubject().toString());

        X509Certificate self = IdentityRequests.selfSigned(made, TestPki.NOW, 30);
        assertNull(CertificateRules.clientRefusal(self));
        assertEquals(CertificateKind.CLIENT, ((ImportDecision.Accepted) CertificateRules.classify(self)).kind());
        assertEquals(made.id(), IdentityRequests.publicKeyId(self.getPublicKey()));
        assertTrue(KeyMatcher.matches(made.keyPair().getPrivate(), self));
        List<String> usages = CertificateFacts.keyUsageNames(self);
        assertEquals(algorithm.word().startsWith("ec") ? List.of("digitalSignature", "keyAgreement")
                : List.of("digitalSignature", "keyEncipherment"), usages);
    }

    @Test
    void subjectsAreReadAsRfc4514WritesThemAndShownAsTheGatewayShowsNames() {
        assertEquals("CN=Helpdesk,O=Example Org,C=DE",
                IdentityRequests.shown(IdentityRequests.subject("CN=Helpdesk, O=Example Org, C=DE", ORG)));
        assertEquals("emailAddress=" + ORG + ",CN=Helpdesk",
                IdentityRequests.shown(IdentityRequests.subject("E=" + ORG + ",CN=Helpdesk", ORG)));
        assertEquals("CN=" + ORG, IdentityRequests.shown(IdentityRequests.subject(null, ORG)));
        // what is shown reads back as itself: a pending request's subject is stored as shown
        String shown = IdentityRequests.shown(IdentityRequests.subject("emailAddress=a@b.example,OU=Desk,O=Org", ORG));
        assertEquals(shown, IdentityRequests.shown(IdentityRequests.subject(shown, ORG)));
        for (String bad : List.of("Helpdesk", "CN", "=x", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IdentityRequests.subject(bad, ORG), bad);
            assertTrue(e.getMessage().startsWith("'" + bad + "' is "), e.getMessage());
        }
    }

    @Test
    void algorithmsAreNamedByTheirWordsInAnyCase() {
        assertEquals(IdentityRequests.Algorithm.EC_P384, IdentityRequests.Algorithm.of(" EC-P384 ").orElseThrow());
        assertTrue(IdentityRequests.Algorithm.of("dsa-1024").isEmpty());
        assertEquals("rsa-3072, rsa-2048, ec-p256 or ec-p384", IdentityRequests.Algorithm.words());
    }
}
