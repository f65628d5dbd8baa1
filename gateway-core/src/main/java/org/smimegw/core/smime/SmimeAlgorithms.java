package org.smimegw.core.smime;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * The one place where the gateway's algorithms are chosen: for signing, for encryption, and which digests a
 * received signature may use. Built from configuration; immutable and thread-safe.
 *
 * @param digest message digest for signatures
 * @param rsaSignature RSA signature scheme (PKCS#1 v1.5 by default, RSASSA-PSS selectable)
 * @param contentCipher content encryption (AES-256-CBC by default, AES-256-GCM AuthEnvelopedData selectable)
 * @param keyTransport RSA key transport (PKCS#1 v1.5 by default, OAEP selectable)
 * @param acceptSha1 whether a received SHA-1 signature may pass (never by default; MD5 never)
 */
public record SmimeAlgorithms(
        Digest digest, RsaSignature rsaSignature, ContentCipher contentCipher, KeyTransport keyTransport,
        boolean acceptSha1) {

    /** Name of the Bouncy Castle provider, used for CMS structure only. */
    public static final String BC = "BC";

    public enum Digest {
        SHA256("SHA256", "sha-256", NISTObjectIdentifiers.id_sha256),
        SHA384("SHA384", "sha-384", NISTObjectIdentifiers.id_sha384),
        SHA512("SHA512", "sha-512", NISTObjectIdentifiers.id_sha512);

        private final String jcaPrefix;
        private final String micalg;
        private final ASN1ObjectIdentifier oid;

        Digest(String jcaPrefix, String micalg, ASN1ObjectIdentifier oid) {
            this.jcaPrefix = jcaPrefix;
            this.micalg = micalg;
            this.oid = oid;
        }

        /** The {@code micalg} parameter of multipart/signed (RFC 8551 §3.5.3.2). */
        public String micalg() {
            return micalg;
        }

        public ASN1ObjectIdentifier oid() {
            return oid;
        }
    }

    public enum RsaSignature { PKCS1, PSS }

    public enum ContentCipher {
        AES256_CBC(CMSAlgorithm.AES256_CBC, false),
        AES128_CBC(CMSAlgorithm.AES128_CBC, false),
        AES256_GCM(CMSAlgorithm.AES256_GCM, true),
        AES128_GCM(CMSAlgorithm.AES128_GCM, true);

        private final ASN1ObjectIdentifier oid;
        private final boolean authenticated;

        ContentCipher(ASN1ObjectIdentifier oid, boolean authenticated) {
            this.oid = oid;
            this.authenticated = authenticated;
        }

        public ASN1ObjectIdentifier oid() {
            return oid;
        }

        /** Whether this cipher produces AuthEnvelopedData (RFC 5083) rather than EnvelopedData. */
        public boolean authenticated() {
            return authenticated;
        }
    }

    public enum KeyTransport { RSA_PKCS1, RSA_OAEP }

    private static final Set<ASN1ObjectIdentifier> MD5 = Set.of(
            PKCSObjectIdentifiers.md5, PKCSObjectIdentifiers.md5WithRSAEncryption);
    private static final Set<ASN1ObjectIdentifier> SHA1 = Set.of(
            OIWObjectIdentifiers.idSHA1, PKCSObjectIdentifiers.sha1WithRSAEncryption,
            X9ObjectIdentifiers.ecdsa_with_SHA1, X9ObjectIdentifiers.id_dsa_with_sha1,
            OIWObjectIdentifiers.sha1WithRSA);

    /** SHA-256, RSA PKCS#1 v1.5, AES-256-CBC, RSA PKCS#1 v1.5 key transport, SHA-1 refused. */
    public static SmimeAlgorithms defaults() {
        return new SmimeAlgorithms(Digest.SHA256, RsaSignature.PKCS1, ContentCipher.AES256_CBC,
                KeyTransport.RSA_PKCS1, false);
    }

    public SmimeAlgorithms withContentCipher(ContentCipher cipher) {
        return new SmimeAlgorithms(digest, rsaSignature, cipher, keyTransport, acceptSha1);
    }

    public SmimeAlgorithms withKeyTransport(KeyTransport transport) {
        return new SmimeAlgorithms(digest, rsaSignature, contentCipher, transport, acceptSha1);
    }

    public SmimeAlgorithms withDigest(Digest newDigest) {
        return new SmimeAlgorithms(newDigest, rsaSignature, contentCipher, keyTransport, acceptSha1);
    }

    /** The JCA signature algorithm for a signing key, e.g. {@code SHA256withRSA} or {@code SHA384withECDSA}. */
    public String signatureAlgorithm(PrivateKey key) {
        if (key instanceof ECKey || "EC".equalsIgnoreCase(key.getAlgorithm())) {
            return digest.jcaPrefix + "withECDSA";
        }
        return rsaSignature == RsaSignature.PSS ? digest.jcaPrefix + "withRSAandMGF1" : digest.jcaPrefix + "withRSA";
    }

    /** Whether a public key encrypts by key agreement (EC) rather than key transport (RSA). */
    public static boolean usesKeyAgreement(PublicKey key) {
        return key instanceof ECKey || "EC".equalsIgnoreCase(key.getAlgorithm());
    }

    /** Key agreement for EC recipients: ephemeral-static ECDH with the X9.63 KDF over SHA-256 (RFC 5753). */
    public ASN1ObjectIdentifier keyAgreementAlgorithm() {
        return CMSAlgorithm.ECDH_SHA256KDF;
    }

    /** Key wrap for the content-encryption key after ECDH; AES-256 so the wrap is never weaker than the content. */
    public ASN1ObjectIdentifier keyWrapAlgorithm() {
        return CMSAlgorithm.AES256_WRAP;
    }

    /** RSAES-OAEP parameters used when {@link #keyTransport} is {@code RSA_OAEP}: SHA-256, MGF1-SHA-256, no label. */
    public OAEPParameterSpec oaepParameters() {
        return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    }

    /** Content ciphers announced in the SMIMECapabilities signed attribute, most preferred first. */
    public List<ASN1ObjectIdentifier> advertisedCiphers() {
        return List.of(CMSAlgorithm.AES256_GCM, CMSAlgorithm.AES256_CBC, CMSAlgorithm.AES128_GCM,
                CMSAlgorithm.AES128_CBC);
    }

    /**
     * Why a digest or signature algorithm of a received signature is refused by policy, or {@code null} when it
     * is acceptable. MD5 is always refused, SHA-1 unless {@link #acceptSha1}.
     */
    public String weakAlgorithmReason(ASN1ObjectIdentifier algorithm) {
        if (MD5.contains(algorithm)) {
            return "MD5 signatures are refused";
        }
        if (!acceptSha1 && SHA1.contains(algorithm)) {
            return "SHA-1 signatures are refused";
        }
        return null;
    }

    /** Parses a configuration word such as {@code sha-384}, {@code aes-256-gcm}, {@code oaep}. */
    public static String normaliseWord(String word) {
        return word.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
