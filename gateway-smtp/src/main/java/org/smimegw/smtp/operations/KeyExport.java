package org.smimegw.smtp.operations;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.crypto.util.PBKDF2Config;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.outbound.CertificateLookup;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.smime.SmimeAlgorithms;

/**
 * Writes one organisation identity, its private key with its certificate and the issuing chain from the store, as a
 * password-protected PKCS#12 file for a backup or a move to another node (docs/design.md §14): what
 * {@code key export} does, and what the admin page can offer as a download. {@code key import} reads the file back.
 * Every export is audited ({@code key.export}, decision {@code exported}), and so is a refused one once the identity
 * is known ({@code refused}). Neither the key nor the password reaches a message or the audit log. Thread-safe when
 * its ports are.
 */
public final class KeyExport {
    /** The file's protection, as the result line names it. */
    public static final String PROTECTION = "AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256 MAC";

    /**
     * Iterations of PBKDF2 for both bags and of the PKCS#12 key derivation for the MAC. The file may be copied
     * anywhere and guessed at offline for as long as it exists, so the cost goes to every guess: an export or an
     * import derives three keys, about a second in all here, which a rare operator action can spend. The MAC gets the
     * same count as the bags because a password can be tested against the MAC alone: a lower count there would make
     * it the cheap way in.
     */
    private static final int ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;

    private final CertificateRemoval finder;
    private final PrivateKeyRepository keys;
    private final CertificateLookup lookup;
    private final AuditLog audit;
    private final Clock clock;

    /** Where the file goes: a new file for the command line, a download for a page. */
    public interface Destination {
        /**
         * Throws {@link OperationRefused} with a one-line reason when the file could not be stored, before a second
         * is spent deriving keys for it; {@link #write} checks again.
         */
        void check();

        /**
         * Stores the whole file, or throws {@link OperationRefused} with a one-line reason and leaves nothing
         * behind.
         */
        void write(byte[] pkcs12);
    }

    public KeyExport(CertificateRemoval finder, PrivateKeyRepository keys, CertificateLookup lookup, AuditLog audit,
            Clock clock) {
        this.finder = finder;
        this.keys = keys;
        this.lookup = lookup;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Exports the identity a typed fingerprint (or unique prefix) names to {@code destination}, described as
     * {@code destinationName} in the result line and the audit log. Returns
     * {@code exported <fp> <emails> to <destinationName> (PKCS#12: ...)}; throws {@link OperationRefused} for an
     * unknown fingerprint, a certificate without a private key, an empty password or a destination that refuses.
     * The password array is cleared before this returns.
     */
    public String export(String typed, char[] password, String destinationName, Destination destination) {
        try {
            CertificateRecord c = finder.resolve(typed);
            PrivateKey key = keys.find(c.fingerprint()).orElseThrow(() -> new OperationRefused("certificate "
                    + c.fingerprint() + " has no private key; key list shows the identities that have one"));
            if (password.length == 0) {
                throw refused(c, destinationName, "the password is empty; an export needs one");
            }
            byte[] pkcs12 = null;
            try {
                destination.check();
                pkcs12 = pkcs12(c, key, lookup.chain(c.certificate()), password);
                destination.write(pkcs12);
            } catch (OperationRefused e) {
                throw refused(c, destinationName, e.getMessage());
            } finally {
                if (pkcs12 != null) {
                    Arrays.fill(pkcs12, (byte) 0);
                }
            }
            record(c, "exported", destinationName);
            return "exported " + c.fingerprint() + " " + CertificateLines.emails(c.emails()) + " to "
                    + destinationName + " (PKCS#12: " + PROTECTION + ")";
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Builds the file with Bouncy Castle's PKCS#12 builders rather than a JDK {@code KeyStore}: every algorithm,
     * iteration count and salt is named here, while a key store takes the certificate bag's encryption and the MAC
     * from security properties that differ between JDK releases and installations. The certificates and the key
     * each get their own PBES2 encryption (PBKDF2 with HMAC-SHA-256, AES-256-CBC), the whole an HMAC-SHA-256 MAC:
     * what OpenSSL 3 writes by default, so its reader opens the file as it is.
     */
    private static byte[] pkcs12(CertificateRecord c, PrivateKey key, List<X509Certificate> chain, char[] password) {
        // the certificate's address names the identity in other tools' lists; the fingerprint, as local key id,
        // pairs the key with its certificate for readers that match them by it
        DERBMPString friendlyName = new DERBMPString(c.emails().stream().findFirst().orElse(c.fingerprint()));
        DEROctetString localKeyId = new DEROctetString(HexFormat.of().parseHex(c.fingerprint()));
        try {
            List<PKCS12SafeBag> certificates = new ArrayList<>();
            PKCS12SafeBagBuilder own = new JcaPKCS12SafeBagBuilder(c.certificate());
            own.addBagAttribute(PKCS12SafeBag.friendlyNameAttribute, friendlyName);
            own.addBagAttribute(PKCS12SafeBag.localKeyIdAttribute, localKeyId);
            certificates.add(own.build());
            for (X509Certificate issuer : chain) {
                certificates.add(new JcaPKCS12SafeBagBuilder(issuer).build());
            }
            PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(key, encryptor(password));
            keyBag.addBagAttribute(PKCS12SafeBag.friendlyNameAttribute, friendlyName);
            keyBag.addBagAttribute(PKCS12SafeBag.localKeyIdAttribute, localKeyId);
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(encryptor(password), certificates.toArray(PKCS12SafeBag[]::new));
            pfx.addData(keyBag.build());
            return pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
                    .setProvider(SmimeAlgorithms.BC).setIterationCount(ITERATIONS), password).getEncoded();
        } catch (IOException | OperatorCreationException | PKCSException e) {
            // no key material in these messages: they name an algorithm or an encoding step
            throw new IllegalStateException("cannot build the PKCS#12 file: " + e.getMessage(), e);
        }
    }

    /** One encryptor per bag: each has its own salt and IV. */
    private static OutputEncryptor encryptor(char[] password) throws OperatorCreationException {
        PBKDF2Config kdf = new PBKDF2Config.Builder().withPRF(PBKDF2Config.PRF_SHA256).withIterationCount(ITERATIONS)
                .withSaltLength(SALT_BYTES).build();
        return new JcePKCSPBEOutputEncryptorBuilder(kdf, NISTObjectIdentifiers.id_aes256_CBC)
                .setProvider(SmimeAlgorithms.BC).build(password);
    }

    private OperationRefused refused(CertificateRecord c, String destinationName, String reason) {
        record(c, "refused", destinationName + ": " + reason);
        return new OperationRefused(reason);
    }

    private void record(CertificateRecord c, String decision, String detail) {
        audit.record(new AuditEvent(clock.instant(), "key.export", c.fingerprint(), decision, detail));
    }
}
