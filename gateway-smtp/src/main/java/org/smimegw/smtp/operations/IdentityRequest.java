package org.smimegw.smtp.operations;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.x500.X500Name;
import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.IdentityRequests;
import org.smimegw.core.mime.MailboxSyntax;
import org.smimegw.core.port.PendingKeys;

/**
 * The organisation's key pair made inside the gateway (docs/design.md §14): the checks of what the operator asked
 * for, and the texts that {@code key request}, {@code key list} and the admin page show. Stateless.
 */
public final class IdentityRequest {
    private IdentityRequest() {
    }

    /**
     * A new key pair for {@code email}, checked: the address, the subject DN (null: {@code CN=<address>}) and the
     * algorithm word (null: rsa-3072).
     *
     * @throws OperationRefused naming the option and what is wrong with it
     */
    public static IdentityRequests.Made make(String email, String subject, String algorithm) {
        String address = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (!MailboxSyntax.isMailbox(address)) {
            throw new OperationRefused("--email: '" + email + "' is not an e-mail address (local@domain)");
        }
        IdentityRequests.Algorithm chosen = algorithm == null ? IdentityRequests.Algorithm.DEFAULT
                : IdentityRequests.Algorithm.of(algorithm).orElseThrow(() -> new OperationRefused("--algorithm: '"
                        + algorithm + "' is not " + IdentityRequests.Algorithm.words()));
        X500Name name;
        try {
            name = IdentityRequests.subject(subject, address);
        } catch (IllegalArgumentException e) {
            throw new OperationRefused("--subject: " + e.getMessage());
        }
        return IdentityRequests.make(chosen, name, address);
    }

    /** The PKCS#10 request of a pending identity, made again from its stored key pair, as PEM. */
    public static String pem(CertificateAdmin admin, PendingKeys.Pending pending) {
        KeyPair pair = new KeyPair(pending.publicKey(), admin.pendingKey(pending.id())
                .orElseThrow(() -> new OperationRefused("the request " + pending.id() + " is no longer pending")));
        IdentityRequests.Algorithm algorithm = IdentityRequests.Algorithm.of(pending.algorithm())
                .orElseThrow(() -> new OperationRefused("the request " + pending.id() + " names an unknown algorithm "
                        + pending.algorithm()));
        return IdentityRequests.pem(IdentityRequests.request(new IdentityRequests.Made(pair, algorithm,
                IdentityRequests.subject(pending.subject(), pending.email()), pending.email())));
    }

    /**
     * What {@code key request} says after storing a request: {@code requested <id> <email> <algorithm>
     * subject=<dn>}, and a note when the address already has an identity that the new one will renew.
     */
    public static List<String> requested(IdentityRequests.Made made, List<String> renewing) {
        String line = "requested " + made.id() + " " + made.email() + " " + made.algorithm().word() + " subject="
                + IdentityRequests.shown(made.subject());
        if (renewing.isEmpty()) {
            return List.of(line);
        }
        return List.of(line, "note: " + made.email() + " already has a valid identity (" + String.join(", ", renewing)
                + "): it keeps signing and decrypting until the certificate for this request is imported, a renewal");
    }

    /** {@code pending <id> <email> <algorithm> requested=<date> (<age>) subject=<dn>}: a line of {@code key list}. */
    public static String line(PendingKeys.Pending p, Instant now) {
        return "pending " + p.id() + " " + p.email() + " " + p.algorithm() + " requested="
                + CertificateLines.date(p.requestedAt()) + " (" + age(p.requestedAt(), now) + ") subject="
                + p.subject();
    }

    /** A request's age, in its largest whole unit: {@code 3 days}, {@code 1 hour}, {@code 0 minutes}. */
    public static String age(Instant requestedAt, Instant now) {
        Duration age = Duration.between(requestedAt, now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        long days = age.toDays();
        if (days > 0) {
            return days + (days == 1 ? " day" : " days");
        }
        long hours = age.toHours();
        if (hours > 0) {
            return hours + (hours == 1 ? " hour" : " hours");
        }
        long minutes = age.toMinutes();
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
