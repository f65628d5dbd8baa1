package org.smimegw.smtp.server;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.smimegw.core.cert.CertificateFileException;
import org.smimegw.core.cert.CertificateFileReader;
import org.smimegw.core.cert.KeyFileReader;
import org.smimegw.smtp.config.ConfigException;
import org.subethamail.smtp.server.SSLSocketCreator;

/**
 * The server side of STARTTLS from {@code smtp.tls.certificate} (PEM, the server certificate first or anywhere,
 * chain certificates after) and {@code smtp.tls.key} (PEM RSA or EC key, PKCS#8 or traditional, unencrypted). Only
 * TLS 1.2 and 1.3 with the JDK's default cipher suites. Problems stop start-up naming the key and the file.
 */
final class PemTls {
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private PemTls() {
    }

    static SSLContext context(Path certificateFile, Path keyFile) {
        List<X509Certificate> certificates;
        try {
            certificates = CertificateFileReader.read(read("smtp.tls.certificate", certificateFile));
        } catch (CertificateFileException e) {
            throw new ConfigException("smtp.tls.certificate: " + certificateFile + ": " + e.getMessage());
        }
        List<PrivateKey> keys;
        try {
            keys = KeyFileReader.read(read("smtp.tls.key", keyFile), null).keys();
        } catch (CertificateFileException e) {
            throw new ConfigException("smtp.tls.key: " + keyFile + ": " + e.getMessage());
        }
        if (keys.size() != 1) {
            throw new ConfigException("smtp.tls.key: " + keyFile + ": expected one private key, found " + keys.size());
        }
        PrivateKey key = keys.get(0);
        if (!"RSA".equals(key.getAlgorithm()) && !"EC".equals(key.getAlgorithm())) {
            throw new ConfigException("smtp.tls.key: " + keyFile + ": " + key.getAlgorithm()
                    + " key; only RSA and EC keys are supported");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            if (matches(key, certificate)) {
                chain.add(certificate);
                break;
            }
        }
        if (chain.isEmpty()) {
            throw new ConfigException("smtp.tls.key: " + keyFile + " does not belong to any certificate in "
                    + certificateFile);
        }
        for (X509Certificate certificate : certificates) {
            if (certificate != chain.get(0)) {
                chain.add(certificate);
            }
        }
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("tls", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("smtp.tls.certificate: cannot set up TLS with " + certificateFile + " and "
                    + keyFile + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * Wraps the accepted connection for the server side of the handshake. The peer's host is given as its numeric
     * address: the default creator of SubEthaSMTP asks DNS for it, which can hang.
     */
    static SSLSocketCreator socketCreator(SSLContext context) {
        return (Socket socket) -> {
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket,
                    socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            ssl.setUseClientMode(false);
            List<String> supported = Arrays.asList(ssl.getSupportedProtocols());
            ssl.setEnabledProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
            return ssl;
        };
    }

    private static byte[] read(String key, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(key + ": " + file + " not found");
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Whether the key signs what the certificate's public key verifies: works alike for RSA and EC. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            return false;
        }
        String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            byte[] probe = "smime-gateway tls key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
