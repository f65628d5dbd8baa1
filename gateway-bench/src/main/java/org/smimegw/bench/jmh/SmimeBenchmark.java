package org.smimegw.bench.jmh;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.smimegw.bench.BenchIdentities;
import org.smimegw.bench.BenchMessages;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.inbound.EncryptionOutcome;
import org.smimegw.core.inbound.InboundPipeline;
import org.smimegw.core.inbound.InboundResult;
import org.smimegw.core.inbound.SmimeResult;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.CryptoProviders;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.smtp.CryptoSetup;
import org.smimegw.smtp.config.CryptoProvider;

/**
 * The S/MIME engine alone, without SMTP or the store: sign, encrypt, decrypt and verify one message of
 * {@code size} bytes with RSA-2048 and the default algorithms, with the providers the gateway installs (the Corretto
 * provider first where it loads). Decrypt and verify go through {@link InboundPipeline} with a message that is only
 * encrypted or only signed, so each measures one step (plus the pipeline's parsing and annotation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SmimeBenchmark {
    @Param({"10240", "1048576"})
    public int size;

    private BenchIdentities parties;
    private SmimeSigner signer;
    private SmimeEncryptor encryptor;
    private InboundPipeline inbound;
    private Instant now;
    private RawMessage outgoing;
    private RawMessage outgoingSigned;
    private RawMessage encryptedOnly;
    private RawMessage signedOnly;
    private RawMessage signedAndEncrypted;
    private final Envelope envelope = new Envelope(BenchIdentities.CONTACT, List.of(BenchIdentities.ORG));

    @Setup
    public void setUp() throws Exception {
        CryptoSetup.install(CryptoProvider.AUTO);
        CryptoProviders.installBouncyCastle();
        now = Instant.now();
        parties = BenchIdentities.generate(now);
        SmimeAlgorithms algorithms = SmimeAlgorithms.defaults();
        signer = new SmimeSigner(algorithms);
        encryptor = new SmimeEncryptor(algorithms);

        InMemoryCertificateDirectory certificates = new InMemoryCertificateDirectory();
        certificates.add(parties.partnerCa().certificate(), CertificateKind.CA);
        certificates.add(parties.contact().certificate(), CertificateKind.CLIENT);
        certificates.add(parties.org().certificate(), CertificateKind.CLIENT);
        InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();
        keys.put(Fingerprints.sha256(parties.org().certificate()), parties.org().key());
        inbound = new InboundPipeline(certificates, keys, algorithms, "gateway.bench");

        outgoing = BenchMessages.plain(BenchIdentities.ORG, BenchIdentities.CONTACT, size);
        outgoingSigned = signer.sign(outgoing, parties.orgSigning(), now);
        RawMessage incoming = BenchMessages.plain(BenchIdentities.CONTACT, BenchIdentities.ORG, size);
        encryptedOnly = encryptor.encrypt(incoming, List.of(parties.org().certificate()));
        signedOnly = signer.sign(incoming, parties.contactSigning(), now);
        signedAndEncrypted = BenchMessages.inbound(parties, size, now);
        check(decrypt(), false);
        check(verify(), true);
        check(decryptAndVerify(), true);
    }

    private static void check(InboundResult result, boolean signed) {
        boolean decryptedAsExpected = signed && result.encryption() instanceof EncryptionOutcome.NotEncrypted
                || result.encryption() instanceof EncryptionOutcome.Decrypted;
        boolean verdictAsExpected = signed ? result.verdict() instanceof SmimeResult.Pass
                : result.verdict() instanceof SmimeResult.None;
        if (!decryptedAsExpected || !verdictAsExpected) {
            throw new IllegalStateException("benchmark set-up is wrong: " + result.verdict() + ", "
                    + result.encryption());
        }
    }

    /** Outbound step 1: detached multipart/signed with the organisation's key. */
    @Benchmark
    public RawMessage sign() {
        return signer.sign(outgoing, parties.orgSigning(), now);
    }

    /** Outbound step 2: enveloped to the contact and the organisation (two RSA key transports). */
    @Benchmark
    public RawMessage encrypt() {
        return encryptor.encrypt(outgoingSigned,
                List.of(parties.contact().certificate(), parties.org().certificate()));
    }

    /** Outbound, both steps, as the pipeline does them (without the certificate lookup). */
    @Benchmark
    public RawMessage signAndEncrypt() {
        return encryptor.encrypt(signer.sign(outgoing, parties.orgSigning(), now),
                List.of(parties.contact().certificate(), parties.org().certificate()));
    }

    /** Inbound, a message that is only encrypted: one RSA decryption and AES. */
    @Benchmark
    public InboundResult decrypt() {
        return inbound.process(encryptedOnly, envelope, now);
    }

    /** Inbound, a message that is only signed: verification and the path to the stored CA. */
    @Benchmark
    public InboundResult verify() {
        return inbound.process(signedOnly, envelope, now);
    }

    /** Inbound as a partner's client sends it: signed, then encrypted. */
    @Benchmark
    public InboundResult decryptAndVerify() {
        return inbound.process(signedAndEncrypted, envelope, now);
    }
}
