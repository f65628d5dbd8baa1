package org.smimegw.smtp.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.smimegw.core.testing.TestPki;

/**
 * A server certificate for {@code localhost} and {@code 127.0.0.1}, valid around the real current time (the TLS
 * client checks it against the real clock), written as PEM files, and a client context that trusts only it.
 */
record TestTls(Path certificateFile, Path keyFile, X509Certificate certificate, SSLContext clientContext) {

    enum KeyFormat { PKCS8, TRADITIONAL }

    static TestTls rsa(Path dir) {
        return create(dir, false, KeyFormat.PKCS8);
    }

    static TestTls create(Path dir, boolean ec, KeyFormat format) {
        Instant now = Instant.now();
        TestPki.Builder builder = TestPki.certificate().subject("localhost", null)
                .valid(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)))
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
                .eku(KeyPurposeId.id_kp_serverAuth)
                .extension("2.5.29.17", false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        if (ec) {
            builder.ec();
        }
        TestPki.Issued issued = builder.build();
        Path certificate = TestPki.writePem(dir.resolve("tls-cert.pem"), issued.certificate());
        Path key = dir.resolve("tls-key.pem");
        if (format == KeyFormat.PKCS8) {
            TestPki.writePem(key, issued.key());
        } else {
            writeTraditional(key, issued.key());
        }
        return new TestTls(certificate, key, issued.certificate(), trusting(issued.certificate()));
    }

    /**
     * {@code -----BEGIN RSA PRIVATE KEY-----} / {@code EC PRIVATE KEY}: what older openssl commands write. An EC key
     * goes through Bouncy Castle's key factory first, whose encoding names the curve inside the key structure as
     * openssl does (the JDK's leaves it to the PKCS#8 wrapper, which the traditional format drops).
     */
    static void writeTraditional(Path file, PrivateKey key) {
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            PrivateKey written = "EC".equals(key.getAlgorithm())
                    ? KeyFactory.getInstance("EC", "BC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()))
                    : key;
            writer.writeObject(written);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext trusting(X509Certificate certificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
