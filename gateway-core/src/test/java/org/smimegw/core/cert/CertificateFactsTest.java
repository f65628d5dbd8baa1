package org.smimegw.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.smimegw.core.testing.TestPki;

/** The facts the certificate view shows that the rules do not need: key size and the named purposes. */
class CertificateFactsTest {

    @Test
    void keySizeIsTheModulusOrTheCurveField() {
        assertEquals(2048, CertificateFacts.keySize(TestPki.client("a@example.org").build().certificate()));
        assertEquals(256, CertificateFacts.keySize(TestPki.client("a@example.org").ec().build().certificate()));
    }

    @Test
    void extendedKeyUsageIsNamedWhereItHasAWellKnownName() {
        var certificate = TestPki.client("a@example.org").eku(KeyPurposeId.id_kp_emailProtection,
                KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_ipsecIKE).build().certificate();

        assertEquals(List.of("emailProtection", "clientAuth", KeyPurposeId.id_kp_ipsecIKE.getId()),
                CertificateFacts.extendedKeyUsageNames(certificate));
        assertEquals(List.of(), CertificateFacts.extendedKeyUsageNames(TestPki.ca("CA").certificate()));
    }
}
