package org.smimegw.smtp.lookup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.port.RecipientDirectory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SMIMEARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Recipients' certificates from DANE SMIMEA records (RFC 8162, docs/design.md §10), with dnsjava, asked of the
 * configured validating resolver ({@code lookup.dns.resolver}) with the DNSSEC OK bit. Only an answer the resolver
 * marks as validated (the AD bit) counts: an insecure or bogus one is a {@link LookupFailure} (ADR 23). Of the
 * records, those that carry a whole certificate (selector 0, matching type 0, RFC 6698) give one: usage 3 (DANE-EE)
 * as it is, usage 1 (PKIX-EE) only when it chains to a stored trust anchor. A record that is only a hash, or of
 * another usage, cannot give a certificate and is skipped. Truncated UDP answers are asked again over TCP. Thread-safe.
 */
public final class DaneDirectory implements RecipientDirectory {
    /** RFC 6698 usages, selectors and matching types used here. */
    private static final int PKIX_EE = 1;
    private static final int DANE_EE = 3;
    private static final int FULL_CERTIFICATE = 0;
    private static final int EXACT = 0;
    /** The largest answer asked for over UDP (the DNS flag day's value); larger ones come over TCP. */
    private static final int UDP_PAYLOAD = 1232;

    private final InetSocketAddress resolver;
    private final Predicate<X509Certificate> chainsToAnchor;

    /**
     * @param resolver a DNSSEC-validating resolver the gateway trusts, normally on the same host
     * @param chainsToAnchor whether a certificate chains to a stored trust anchor (for usage 1)
     */
    public DaneDirectory(InetSocketAddress resolver, Predicate<X509Certificate> chainsToAnchor) {
        this.resolver = resolver;
        this.chainsToAnchor = chainsToAnchor;
    }

    @Override
    public CertificateSource source() {
        return CertificateSource.DANE;
    }

    /** RFC 8162 §3: SHA2-256 of the local part, its first 28 octets in hex, then {@code _smimecert.} and the domain. */
    static String owner(String address) {
        int at = address.lastIndexOf('@');
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(address.substring(0, at).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 28) + "._smimecert." + address.substring(at + 1)
                    .toLowerCase(Locale.ROOT) + ".";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public List<X509Certificate> find(String address, Duration timeout) throws LookupFailure {
        Message response = ask(address, timeout);
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return List.of();
        }
        if (rcode != Rcode.NOERROR) {
            // a validating resolver answers SERVFAIL for a bogus answer
            throw new LookupFailure(where() + ": " + Rcode.string(rcode) + " for " + address
                    + " (bogus DNSSEC, or the zone cannot be reached)");
        }
        List<Record> answer = response.getSection(Section.ANSWER);
        if (answer.isEmpty()) {
            return List.of();
        }
        if (!response.getHeader().getFlag(Flags.AD)) {
            throw new LookupFailure(where() + ": the answer for " + address + " is not DNSSEC-validated");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Record record : answer) {
            if (record instanceof SMIMEARecord smimea && smimea.getSelector() == FULL_CERTIFICATE
                    && smimea.getMatchingType() == EXACT) {
                X509Certificate certificate = parse(smimea.getCertificateAssociationData());
                int usage = smimea.getCertificateUsage();
                if (certificate != null && (usage == DANE_EE
                        || usage == PKIX_EE && chainsToAnchor.test(certificate))) {
                    certificates.add(certificate);
                }
            }
        }
        return certificates;
    }

    private Message ask(String address, Duration timeout) throws LookupFailure {
        try {
            SimpleResolver simple = new SimpleResolver(resolver);
            simple.setTimeout(timeout);
            simple.setEDNS(0, UDP_PAYLOAD, ExtendedFlags.DO, List.of());
            Message query = Message.newQuery(Record.newRecord(Name.fromString(owner(address)), Type.SMIMEA,
                    DClass.IN));
            // RFC 6840 §5.7: a query with AD asks the resolver to say whether it validated the answer
            query.getHeader().setFlag(Flags.AD);
            return simple.send(query);
        } catch (TextParseException e) {
            throw new LookupFailure("dane: no DNS name for " + address, e);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new LookupFailure(where() + ": no answer for " + address + " (" + why + ")", e);
        }
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    private String where() {
        return "dns " + resolver.getHostString() + ":" + resolver.getPort();
    }
}
