package org.smimegw.core.cert;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
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
                : Pkcs12Reader.read(bytes, password);
    }

    private static KeyFile readPem(byte[] bytes, char[] password) {
        List<PrivateKey> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : CertificateFileReader.PemObjects.read(bytes)) {
            try {
                if (object instanceof PrivateKeyInfo info) {
                    keys.add(PrivateKeys.of(info));
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    requirePassword(password);
                    keys.add(PrivateKeys.of(encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(SmimeAlgorithms.BC)
                                    .build(password))));
                } else if (object instanceof PEMKeyPair pair) {
                    keys.add(PrivateKeys.of(pair.getPrivateKeyInfo()));
                } else if (object instanceof PEMEncryptedKeyPair encrypted) {
                    requirePassword(password);
                    keys.add(PrivateKeys.of(encrypted.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(SmimeAlgorithms.BC).build(password))
                            .getPrivateKeyInfo()));
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

    private static void requirePassword(char[] password) {
        if (password == null) {
            throw new CertificateFileException(
                    "the private key is encrypted: give its password with --password-env or --password-file");
        }
    }

    /** An exception's message without anything that could be key material: only its type and short text. */
    static String safe(Exception e) {
        String message = e == null ? "" : e.getMessage();
        return message == null || message.length() > 120 ? (e == null ? "unknown" : e.getClass().getSimpleName())
                : message;
    }
}
