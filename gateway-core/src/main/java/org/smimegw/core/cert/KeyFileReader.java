package org.smimegw.core.cert;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.smimegw.core.smime.CryptoProviders;
import org.smimegw.core.smime.SmimeAlgorithms;

/**
 * Reads private keys and certificates from a PKCS#12 file (including legacy PBE) or a PEM file (PKCS#8 plain or
 * encrypted, traditional OpenSSL keys, with or without certificates). Messages never contain key material.
 */
public final class KeyFileReader {
    private KeyFileReader() {
    }

    /** The keys and certificates found in a file. */
    public record KeyFile(List<PrivateKey> keys, List<X509Certificate> certificates) {
        @Override
        public String toString() {
            return "KeyFile[" + keys.size() + " keys, " + certificates.size() + " certificates]";
        }
    }

    /** @param password the password, or null when none was given */
    public static KeyFile read(byte[] bytes, char[] password) {
        CryptoProviders.installBouncyCastle(); // the password-based decryptors below name it
        return CertificateFileReader.PemObjects.looksLikePem(bytes) ? readPem(bytes, password)
                : readPkcs12(bytes, password);
    }

    private static KeyFile readPem(byte[] bytes, char[] password) {
        List<PrivateKey> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object object : CertificateFileReader.PemObjects.read(bytes)) {
            try {
                if (object instanceof PrivateKeyInfo info) {
                    keys.add(converter.getPrivateKey(info));
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    requirePassword(password);
                    keys.add(converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(SmimeAlgorithms.BC)
                                    .build(password))));
                } else if (object instanceof PEMKeyPair pair) {
                    keys.add(converter.getKeyPair(pair).getPrivate());
                } else if (object instanceof PEMEncryptedKeyPair encrypted) {
                    requirePassword(password);
                    keys.add(converter.getKeyPair(encrypted.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(SmimeAlgorithms.BC).build(password)))
                            .getPrivate());
                } else {
                    certificates.addAll(CertificateFileReader.certificatesIn(object));
                }
            } catch (PKCSException | OperatorCreationException e) {
                throw new CertificateFileException("wrong password, or the encrypted private key is damaged");
            } catch (org.bouncycastle.openssl.EncryptionException e) {
                throw new CertificateFileException("wrong password, or the encrypted private key is damaged");
            } catch (IOException e) {
                throw new CertificateFileException("unreadable private key: " + safe(e));
            }
        }
        if (keys.isEmpty()) {
            throw new CertificateFileException("no private key found in the PEM file");
        }
        return new KeyFile(keys, certificates);
    }

    /**
     * Reads every bag of the PKCS#12 file with Bouncy Castle's PDU classes rather than a {@code KeyStore}: a key
     * store keeps one key per alias and silently drops keys without a matching local key id, while RFC 9216's
     * files hold a signing and an encryption key side by side.
     */
    private static KeyFile readPkcs12(byte[] bytes, char[] password) {
        char[] effective = password != null ? password : new char[0];
        PKCS12PfxPdu pfx;
        try {
            pfx = new PKCS12PfxPdu(bytes);
        } catch (IOException | RuntimeException e) {
            throw new CertificateFileException("not a PKCS#12 file, nor a PEM file with a private key");
        }
        if (pfx.hasMac() && !macMatches(pfx, effective)) {
            throw new CertificateFileException(password != null ? "wrong password for the PKCS#12 file"
                    : "the PKCS#12 file needs a password: use --password-env or --password-file");
        }
        InputDecryptorProvider decryptor;
        try {
            decryptor = new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(SmimeAlgorithms.BC).build(effective);
        } catch (RuntimeException e) {
            throw new CertificateFileException("unsupported PKCS#12 encryption: " + safe(e));
        }
        List<PrivateKey> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            for (ContentInfo info : pfx.getContentInfos()) {
                PKCS12SafeBagFactory factory = PKCSObjectIdentifiers.encryptedData.equals(info.getContentType())
                        ? new PKCS12SafeBagFactory(info, decryptor) : new PKCS12SafeBagFactory(info);
                for (PKCS12SafeBag bag : factory.getSafeBags()) {
                    Object value = bag.getBagValue();
                    if (value instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                        keys.add(converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(decryptor)));
                    } else if (value instanceof PrivateKeyInfo plain) {
                        keys.add(converter.getPrivateKey(plain));
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
        } catch (IOException | java.security.cert.CertificateException | RuntimeException e) {
            throw new CertificateFileException("unreadable PKCS#12 content: " + safe(e));
        }
        if (keys.isEmpty()) {
            throw new CertificateFileException("no private key found in the PKCS#12 file");
        }
        return new KeyFile(keys, certificates);
    }

    /**
     * Recomputes the PKCS#12 integrity MAC and compares only the MAC value. {@code PKCS12PfxPdu.isMacValid}
     * compares whole DER encodings, so it rejects files (RFC 9216's among them) whose digest algorithm
     * identifier omits the NULL parameters (bc-java issue 1875).
     */
    private static boolean macMatches(PKCS12PfxPdu pfx, char[] password) {
        MacData macData = pfx.toASN1Structure().getMacData();
        try {
            MacCalculator calculator = new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE)
                    .get(new AlgorithmIdentifier(macData.getMac().getAlgorithmId().getAlgorithm(),
                            new PKCS12PBEParams(macData.getSalt(), macData.getIterationCount().intValue())))
                    .build(password);
            try (OutputStream out = calculator.getOutputStream()) {
                out.write(ASN1OctetString.getInstance(pfx.toASN1Structure().getAuthSafe().getContent()).getOctets());
            }
            return MessageDigest.isEqual(calculator.getMac(), macData.getMac().getDigest());
        } catch (OperatorCreationException | IOException | RuntimeException e) {
            throw new CertificateFileException("the PKCS#12 integrity check cannot be computed: " + safe(e));
        }
    }

    private static void requirePassword(char[] password) {
        if (password == null) {
            throw new CertificateFileException(
                    "the private key is encrypted: give its password with --password-env or --password-file");
        }
    }

    /** An exception's message without anything that could be key material: only its type and short text. */
    private static String safe(Exception e) {
        String message = e == null ? "" : e.getMessage();
        return message == null || message.length() > 120 ? (e == null ? "unknown" : e.getClass().getSimpleName())
                : message;
    }
}
