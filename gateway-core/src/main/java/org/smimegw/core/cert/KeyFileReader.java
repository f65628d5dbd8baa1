package org.smimegw.core.cert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
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

    private static KeyFile readPkcs12(byte[] bytes, char[] password) {
        char[] effective = password != null ? password : new char[0];
        KeyStore store = loadPkcs12(bytes, effective, password != null);
        List<PrivateKey> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, effective);
                    if (key instanceof PrivateKey privateKey) {
                        keys.add(privateKey);
                    }
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (chain != null) {
                        for (Certificate c : chain) {
                            addOnce(certificates, (X509Certificate) c);
                        }
                    }
                } else if (store.getCertificate(alias) instanceof X509Certificate c) {
                    addOnce(certificates, c);
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new CertificateFileException("wrong password for the private key in the PKCS#12 file");
        } catch (GeneralSecurityException e) {
            throw new CertificateFileException("unreadable PKCS#12 entry: " + safe(e));
        }
        if (keys.isEmpty()) {
            throw new CertificateFileException("no private key found in the PKCS#12 file");
        }
        return new KeyFile(keys, certificates);
    }

    private static KeyStore loadPkcs12(byte[] bytes, char[] password, boolean passwordGiven) {
        Exception first = null;
        for (String provider : new String[] {null, SmimeAlgorithms.BC}) {
            try {
                KeyStore store = provider == null ? KeyStore.getInstance("PKCS12")
                        : KeyStore.getInstance("PKCS12", provider);
                store.load(new ByteArrayInputStream(bytes), password);
                return store;
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first instanceof IOException && first.getCause() instanceof UnrecoverableKeyException) {
            throw new CertificateFileException(passwordGiven ? "wrong password for the PKCS#12 file"
                    : "the PKCS#12 file needs a password: use --password-env or --password-file");
        }
        throw new CertificateFileException("not a PKCS#12 or PEM key file, or wrong password ("
                + safe(first) + ")");
    }

    private static void requirePassword(char[] password) {
        if (password == null) {
            throw new CertificateFileException(
                    "the private key is encrypted: give its password with --password-env or --password-file");
        }
    }

    private static void addOnce(List<X509Certificate> certificates, X509Certificate certificate) {
        if (!certificates.contains(certificate)) {
            certificates.add(certificate);
        }
    }

    /** An exception's message without anything that could be key material: only its type and short text. */
    private static String safe(Exception e) {
        String message = e == null ? "" : e.getMessage();
        return message == null || message.length() > 120 ? (e == null ? "unknown" : e.getClass().getSimpleName())
                : message;
    }
}
