package org.smimegw.core.cert;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.generators.PKCS12ParametersGenerator;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.operator.DefaultSecretKeySizeProvider;
import org.bouncycastle.operator.InputDecryptor;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.operator.jcajce.JceInputDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.smimegw.core.cert.KeyFileReader.KeyFile;
import org.smimegw.core.smime.SmimeAlgorithms;

/**
 * Reads the keys and certificates of a PKCS#12 file, checking its integrity MAC first. Handles the two encodings
 * of the empty password in use. Messages never contain key material. Stateless and thread-safe.
 */
final class Pkcs12Reader {
    /** The digest behind each PBKDF2 pseudo-random function (RFC 8018 appendix B.1). */
    private static final Map<ASN1ObjectIdentifier, ASN1ObjectIdentifier> PRF_DIGESTS = Map.of(
            PKCSObjectIdentifiers.id_hmacWithSHA1, OIWObjectIdentifiers.idSHA1,
            PKCSObjectIdentifiers.id_hmacWithSHA224, NISTObjectIdentifiers.id_sha224,
            PKCSObjectIdentifiers.id_hmacWithSHA256, NISTObjectIdentifiers.id_sha256,
            PKCSObjectIdentifiers.id_hmacWithSHA384, NISTObjectIdentifiers.id_sha384,
            PKCSObjectIdentifiers.id_hmacWithSHA512, NISTObjectIdentifiers.id_sha512);

    private Pkcs12Reader() {
    }

    /**
     * Reads every bag of the PKCS#12 file with Bouncy Castle's PDU classes rather than a {@code KeyStore}: a key
     * store keeps one key per alias and silently drops keys without a matching local key id, while RFC 9216's
     * files hold a signing and an encryption key side by side.
     */
    static KeyFile read(byte[] bytes, char[] password) {
        PKCS12PfxPdu pfx;
        try {
            pfx = new PKCS12PfxPdu(bytes);
        } catch (IOException | RuntimeException e) {
            throw new CertificateFileException("not a PKCS#12 file, nor a PEM file with a private key");
        }
        char[] effective = password != null ? password : new char[0];
        // both encodings of the empty password are in use (see pkcs12PasswordBytes)
        List<Boolean> emptyAsTerminator = effective.length == 0 ? List.of(false, true) : List.of(false);
        CertificateFileException bagFailure = null;
        for (boolean terminator : emptyAsTerminator) {
            if (pfx.hasMac() && !macMatches(pfx, pkcs12PasswordBytes(effective, terminator))) {
                continue;
            }
            try {
                return readBags(pfx, decryptor(effective, terminator));
            } catch (CertificateFileException e) {
                bagFailure = e;
            }
        }
        if (bagFailure != null) {
            throw bagFailure;
        }
        throw new CertificateFileException(password != null && password.length > 0
                ? "wrong password for the PKCS#12 file"
                : "the PKCS#12 file needs a password: use --password-env or --password-file");
    }

    /**
     * The password as the PKCS#12 key derivation takes it (RFC 7292 appendix B.1): a BMPString with a two-byte NUL
     * terminator. The empty password is ambiguous: Bouncy Castle derives from no bytes, OpenSSL from the terminator
     * alone, so {@code emptyAsTerminator} picks which.
     */
    private static byte[] pkcs12PasswordBytes(char[] password, boolean emptyAsTerminator) {
        return password.length == 0 && emptyAsTerminator ? new byte[2]
                : PBEParametersGenerator.PKCS12PasswordToBytes(password);
    }

    /**
     * Decrypts the bags. Legacy PKCS#12 PBE derives its key like the MAC, so it takes the same empty-password
     * encoding. PBES2 (PBKDF2) has no terminator, but Bouncy Castle's key factories refuse an empty password, so
     * that case derives the key with the lightweight PBKDF2.
     */
    private static InputDecryptorProvider decryptor(char[] password, boolean emptyAsTerminator) {
        InputDecryptorProvider standard = new JcePKCSPBEInputDecryptorProviderBuilder()
                .setProvider(SmimeAlgorithms.BC).setTryWrongPKCS12Zero(emptyAsTerminator).build(password);
        if (password.length > 0) {
            return standard;
        }
        return algorithm -> PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())
                ? emptyPasswordPbes2(algorithm) : standard.get(algorithm);
    }

    private static InputDecryptor emptyPasswordPbes2(AlgorithmIdentifier algorithm) throws OperatorCreationException {
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(algorithm.getParameters());
        if (!PKCSObjectIdentifiers.id_PBKDF2.equals(pbes2.getKeyDerivationFunc().getAlgorithm())) {
            throw new OperatorCreationException("key derivation " + pbes2.getKeyDerivationFunc().getAlgorithm()
                    + " is not supported with an empty password");
        }
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        ASN1ObjectIdentifier digest = PRF_DIGESTS.get(kdf.getPrf().getAlgorithm());
        if (digest == null) {
            throw new OperatorCreationException("PBKDF2 PRF " + kdf.getPrf().getAlgorithm() + " is not supported");
        }
        AlgorithmIdentifier scheme = AlgorithmIdentifier.getInstance(pbes2.getEncryptionScheme());
        int keyBits = kdf.getKeyLength() != null ? kdf.getKeyLength().intValue() * 8
                : DefaultSecretKeySizeProvider.INSTANCE.getKeySize(scheme);
        PKCS5S2ParametersGenerator generator =
                new PKCS5S2ParametersGenerator(BcDefaultDigestProvider.INSTANCE.get(new AlgorithmIdentifier(digest)));
        generator.init(new byte[0], kdf.getSalt(), kdf.getIterationCount().intValue());
        byte[] key = ((KeyParameter) generator.generateDerivedParameters(keyBits)).getKey();
        try {
            return new JceInputDecryptorProviderBuilder().setProvider(SmimeAlgorithms.BC).build(key).get(scheme);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static KeyFile readBags(PKCS12PfxPdu pfx, InputDecryptorProvider decryptor) {
        List<PrivateKey> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (ContentInfo info : pfx.getContentInfos()) {
                PKCS12SafeBagFactory factory = PKCSObjectIdentifiers.encryptedData.equals(info.getContentType())
                        ? new PKCS12SafeBagFactory(info, decryptor) : new PKCS12SafeBagFactory(info);
                for (PKCS12SafeBag bag : factory.getSafeBags()) {
                    Object value = bag.getBagValue();
                    if (value instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                        keys.add(PrivateKeys.of(encrypted.decryptPrivateKeyInfo(decryptor)));
                    } else if (value instanceof PrivateKeyInfo plain) {
                        keys.add(PrivateKeys.of(plain));
                    } else if (value instanceof X509CertificateHolder holder) {
                        X509Certificate certificate = CertificateFileReader.toX509(holder);
                        if (!certificates.contains(certificate)) {
                            certificates.add(certificate);
                        }
                    }
                }
            }
        } catch (PKCSException e) {
            throw new CertificateFileException("wrong password, or the PKCS#12 file is damaged");
        } catch (CertificateFileException e) {
            throw e;
        } catch (IOException | java.security.cert.CertificateException | RuntimeException e) {
            throw new CertificateFileException("unreadable PKCS#12 content: " + KeyFileReader.safe(e));
        }
        if (keys.isEmpty()) {
            throw new CertificateFileException("no private key found in the PKCS#12 file");
        }
        return new KeyFile(keys, certificates);
    }

    /**
     * Recomputes the PKCS#12 integrity MAC (RFC 7292 appendix B) and compares only the MAC value.
     * {@code PKCS12PfxPdu.isMacValid} compares whole DER encodings, so it rejects files (RFC 9216's among them)
     * whose digest algorithm identifier omits the NULL parameters (bc-java issue 1875); and it takes the password
     * as characters, which cannot express OpenSSL's encoding of the empty password.
     */
    private static boolean macMatches(PKCS12PfxPdu pfx, byte[] passwordBytes) {
        MacData macData = pfx.toASN1Structure().getMacData();
        try {
            AlgorithmIdentifier digest = new AlgorithmIdentifier(macData.getMac().getAlgorithmId().getAlgorithm());
            PKCS12ParametersGenerator generator =
                    new PKCS12ParametersGenerator(BcDefaultDigestProvider.INSTANCE.get(digest));
            generator.init(passwordBytes, macData.getSalt(), macData.getIterationCount().intValue());
            HMac mac = new HMac(BcDefaultDigestProvider.INSTANCE.get(digest));
            mac.init(generator.generateDerivedMacParameters(mac.getMacSize() * 8));
            byte[] content = ASN1OctetString.getInstance(pfx.toASN1Structure().getAuthSafe().getContent()).getOctets();
            mac.update(content, 0, content.length);
            byte[] computed = new byte[mac.getMacSize()];
            mac.doFinal(computed, 0);
            return MessageDigest.isEqual(computed, macData.getMac().getDigest());
        } catch (OperatorCreationException | RuntimeException e) {
            throw new CertificateFileException("the PKCS#12 integrity check cannot be computed: "
                    + KeyFileReader.safe(e));
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }
}
