package org.smimegw.smtp.delivery;

import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.smimegw.core.testing.TestPki;

/** A self-signed server certificate for 127.0.0.1 and the TLS contexts around it. */
public final class TestTls {
    private static final char[] PASSWORD = "test".toCharArray();

    public final X509Certificate certificate;
    public final SSLContext server;

    private TestTls(TestPki.Issued issued) throws Exception {
        this.certificate = issued.certificate();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("relay", issued.key(), PASSWORD, new Certificate[] {issued.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        this.server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
    }

    /** Self-signed, naming 127.0.0.1 (so only the trust decides), valid now. */
    public static TestTls selfSigned() throws Exception {
        return selfSigned("127.0.0.1");
    }

    /** Self-signed, naming only the address {@code ip}, valid now. */
    public static TestTls selfSigned(String ip) throws Exception {
        Instant now = Instant.now();
        return new TestTls(TestPki.certificate().subject("relay.test", null)
                .valid(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)))
                .extension("2.5.29.17", false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)))
                .build());
    }

    /** A client factory that trusts this certificate alone, as if it chained to the JDK trust store. */
    SSLSocketFactory trustingClient() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("relay", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return client.getSocketFactory();
    }
}
